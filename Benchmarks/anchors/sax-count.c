/*
 * sax-count: the libxml2 anchor for Benchmarks/end-to-end.sh. Reads an XML file with
 * read(2) in 64 KiB chunks and pushes it through libxml2's SAX2 push parser
 * (xmlCreatePushParserCtxt + xmlParseChunk), with start/end element and character
 * callbacks that only count, as the least any XML text extractor must do.
 *
 *   sax-count FILE      prints: elements=N textBytes=M bytes=B
 *
 * Build: cc -O2 -o sax-count sax-count.c $(pkg-config --cflags --libs libxml-2.0)
 */
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static long elements, textBytes;

static void start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI,
                  int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                  const xmlChar **attributes) {
    (void)ctx; (void)localname; (void)prefix; (void)URI; (void)nb_namespaces; (void)namespaces;
    (void)nb_defaulted;
    elements++;
    for (int i = 0; i < nb_attributes; i++) textBytes += attributes[5 * i + 4] - attributes[5 * i + 3];
}

static void end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI) {
    (void)ctx; (void)localname; (void)prefix; (void)URI;
}

static void characters(void *ctx, const xmlChar *text, int length) {
    (void)ctx; (void)text;
    textBytes += length;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: sax-count FILE\n"); return 64; }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) { perror(argv[1]); return 66; }
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = start;
    sax.endElementNs = end;
    sax.characters = characters;
    sax.cdataBlock = characters;
    static char buffer[1 << 16];
    ssize_t n = read(fd, buffer, sizeof buffer);
    long bytes = n > 0 ? n : 0;
    xmlParserCtxtPtr parser = xmlCreatePushParserCtxt(&sax, NULL, buffer, n > 4 ? 4 : (int)(n > 0 ? n : 0), argv[1]);
    if (n > 4) xmlParseChunk(parser, buffer + 4, (int)n - 4, 0);
    while ((n = read(fd, buffer, sizeof buffer)) > 0) {
        bytes += n;
        if (xmlParseChunk(parser, buffer, (int)n, 0) != 0) break;
    }
    xmlParseChunk(parser, NULL, 0, 1);
    int wellFormed = parser->wellFormed;
    xmlFreeParserCtxt(parser);
    printf("elements=%ld textBytes=%ld bytes=%ld%s\n", elements, textBytes, bytes, wellFormed ? "" : " (not well-formed)");
    return 0;
}
