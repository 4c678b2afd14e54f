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

#endif
