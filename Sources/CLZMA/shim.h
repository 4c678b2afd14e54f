#ifndef EXPORTGUARD_CLZMA_SHIM_H
#define EXPORTGUARD_CLZMA_SHIM_H

#include <lzma.h>

// LZMA_STREAM_INIT is a macro Swift cannot use; a zeroed stream is the same thing.
static inline lzma_stream eg_lzma_stream_init(void) {
    lzma_stream stream = LZMA_STREAM_INIT;
    return stream;
}

// Constants whose macros Swift cannot import (they go through LZMA_VLI_C and UINT32_C).
static const uint64_t eg_lzma_filter_lzma1 = LZMA_FILTER_LZMA1;
static const uint64_t eg_lzma_filter_lzma1ext = LZMA_FILTER_LZMA1EXT;
static const uint64_t eg_lzma_vli_unknown = LZMA_VLI_UNKNOWN;
static const uint32_t eg_lzma_tell_unsupported_check = LZMA_TELL_UNSUPPORTED_CHECK;
static const uint32_t eg_lzma_lzma1ext_allow_eopm = LZMA_LZMA1EXT_ALLOW_EOPM;

#endif
