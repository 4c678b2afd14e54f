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

#include "counting-sax.h"

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: sax-count FILE\n"); return 64; }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) { perror(argv[1]); return 66; }
    xmlSAXHandler sax;
    counting_sax_handler(&sax);
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
