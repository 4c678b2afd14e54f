/*
 * SAX2 callbacks that only count: elements, and bytes of character data and attribute
 * values. The least any XML text extractor must do, shared by the XML anchors.
 */
#ifndef COUNTING_SAX_H
#define COUNTING_SAX_H
#include <libxml/parser.h>
#include <string.h>

static long elements, textBytes;

static void counting_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI,
                           int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                           const xmlChar **attributes) {
    (void)ctx; (void)localname; (void)prefix; (void)URI; (void)nb_namespaces; (void)namespaces;
    (void)nb_defaulted;
    elements++;
    for (int i = 0; i < nb_attributes; i++) textBytes += attributes[5 * i + 4] - attributes[5 * i + 3];
}

static void counting_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI) {
    (void)ctx; (void)localname; (void)prefix; (void)URI;
}

static void counting_characters(void *ctx, const xmlChar *text, int length) {
    (void)ctx; (void)text;
    textBytes += length;
}

static void counting_sax_handler(xmlSAXHandler *sax) {
    memset(sax, 0, sizeof *sax);
    sax->initialized = XML_SAX2_MAGIC;
    sax->startElementNs = counting_start;
    sax->endElementNs = counting_end;
    sax->characters = counting_characters;
    sax->cdataBlock = counting_characters;
}
#endif
