/*
 * zip-sax-count: the office-document anchor for Benchmarks/end-to-end.sh. Reads a zip
 * (docx, xlsx, pptx, odt) front to back by its local headers with read(2) in 64 KiB chunks,
 * inflates each stored or deflated member with zlib, and pushes every member whose name
 * ends in .xml or .rels through libxml2's SAX2 push parser with the counting callbacks of
 * counting-sax.h. The least a reader of office documents must do, on one core. Members
 * written with a data descriptor (sizes after the data) are not supported: the documents
 * end-to-end.sh generates have none.
 *
 *   zip-sax-count FILE      prints: members=N xmlMembers=X elements=E textBytes=T decoded=D
 *
 * Build: cc -O2 -o zip-sax-count zip-sax-count.c $(pkg-config --cflags --libs libxml-2.0) -lz
 */
#include <fcntl.h>
#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "counting-sax.h"

/* A buffered reader over the file. */
static int fd;
static unsigned char buffer[1 << 16];
static size_t have, used;

static int fill(void) {
    if (used < have) return 1;
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) return 0;
    have = (size_t)n;
    used = 0;
    return 1;
}

static int take(unsigned char *out, size_t count) {
    while (count > 0) {
        if (!fill()) return 0;
        size_t n = have - used < count ? have - used : count;
        memcpy(out, buffer + used, n);
        used += n;
        out += n;
        count -= n;
    }
    return 1;
}

static unsigned le16(const unsigned char *p) { return p[0] | p[1] << 8; }
static uint32_t le32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: zip-sax-count FILE\n"); return 64; }
    fd = open(argv[1], O_RDONLY);
    if (fd < 0) { perror(argv[1]); return 66; }
    xmlSAXHandler sax;
    counting_sax_handler(&sax);
    static unsigned char out[1 << 16];
    long members = 0, xmlMembers = 0, decoded = 0;
    for (;;) {
        unsigned char header[30];
        if (!take(header, 30) || le32(header) != 0x04034b50) break;  /* the central directory */
        unsigned method = le16(header + 8), flags = le16(header + 6);
        uint32_t compressed = le32(header + 18);
        unsigned nameLength = le16(header + 26), extraLength = le16(header + 28);
        char name[1024];
        if (nameLength >= sizeof name || (flags & 8)) { fprintf(stderr, "zip-sax-count: unsupported member\n"); return 65; }
        if (!take((unsigned char *)name, nameLength)) return 65;
        name[nameLength] = 0;
        for (unsigned i = 0; i < extraLength; i++) { unsigned char c; if (!take(&c, 1)) return 65; }
        members++;
        size_t length = strlen(name);
        int isXML = (length > 4 && strcmp(name + length - 4, ".xml") == 0) || (length > 5 && strcmp(name + length - 5, ".rels") == 0);
        xmlParserCtxtPtr parser = NULL;
        if (isXML) { xmlMembers++; parser = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, name); }
        z_stream z;
        memset(&z, 0, sizeof z);
        if (method == 8 && inflateInit2(&z, -MAX_WBITS) != Z_OK) return 70;
        uint32_t left = compressed;
        while (left > 0) {
            if (!fill()) return 65;
            size_t n = have - used < left ? have - used : left;
            if (method == 0) {
                decoded += (long)n;
                if (parser) xmlParseChunk(parser, (const char *)buffer + used, (int)n, 0);
            } else {
                z.next_in = buffer + used;
                z.avail_in = (uInt)n;
                while (z.avail_in > 0) {
                    z.next_out = out;
                    z.avail_out = sizeof out;
                    int status = inflate(&z, Z_NO_FLUSH);
                    size_t produced = sizeof out - z.avail_out;
                    decoded += (long)produced;
                    if (parser && produced) xmlParseChunk(parser, (const char *)out, (int)produced, 0);
                    if (status == Z_STREAM_END) break;
                    if (status != Z_OK) { fprintf(stderr, "zip-sax-count: inflate failed in %s\n", name); return 65; }
                }
            }
            used += n;
            left -= (uint32_t)n;
        }
        if (method == 8) inflateEnd(&z);
        if (parser) { xmlParseChunk(parser, NULL, 0, 1); xmlFreeParserCtxt(parser); }
    }
    printf("members=%ld xmlMembers=%ld elements=%ld textBytes=%ld decoded=%ld\n", members, xmlMembers, elements, textBytes, decoded);
    return 0;
}
