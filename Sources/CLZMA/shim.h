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
static const uint64_t eg_lzma_filter_lzma2 = LZMA_FILTER_LZMA2;
static const uint64_t eg_lzma_filter_delta = LZMA_FILTER_DELTA;
static const uint64_t eg_lzma_filter_x86 = LZMA_FILTER_X86;
static const uint64_t eg_lzma_filter_powerpc = LZMA_FILTER_POWERPC;
static const uint64_t eg_lzma_filter_ia64 = LZMA_FILTER_IA64;
static const uint64_t eg_lzma_filter_arm = LZMA_FILTER_ARM;
static const uint64_t eg_lzma_filter_armthumb = LZMA_FILTER_ARMTHUMB;
static const uint64_t eg_lzma_filter_sparc = LZMA_FILTER_SPARC;
#ifdef LZMA_FILTER_ARM64
static const uint64_t eg_lzma_filter_arm64 = LZMA_FILTER_ARM64;
#else
static const uint64_t eg_lzma_filter_arm64 = 0; // not in this liblzma: never matched
#endif
static const uint64_t eg_lzma_vli_unknown = LZMA_VLI_UNKNOWN;
static const uint32_t eg_lzma_tell_unsupported_check = LZMA_TELL_UNSUPPORTED_CHECK;
static const uint32_t eg_lzma_lzma1ext_allow_eopm = LZMA_LZMA1EXT_ALLOW_EOPM;

#endif
