#ifndef EXPORTGUARD_CLIBXML2_SHIM_H
#define EXPORTGUARD_CLIBXML2_SHIM_H

// Debian builds libxml2 with ICU; its ICU types clash with Foundation's own ICU
// module ("'UErrorCode' has different definitions"). Read the feature flags first,
// then switch the ICU part off before any other libxml2 header is seen.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

// libxml2 prints some errors (a charset conversion that fails) through its generic error
// function, to standard error, besides reporting them to the parser: discard that copy.
// Variadic, so written in C; the setting is per thread, so it is made for each parser.
static inline void eg_xml_discard(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

static inline void eg_xml_silence_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, eg_xml_discard);
    xmlThrDefSetGenericErrorFunc(NULL, eg_xml_discard);
}

#endif
