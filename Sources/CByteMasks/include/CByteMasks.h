#ifndef EXPORTGUARD_C_BYTE_MASKS_H
#define EXPORTGUARD_C_BYTE_MASKS_H

// Byte-class bit masks over 64 bytes, one bit per byte (bit k for byte k), for the
// matching core's hot loops. Swift on baseline x86-64 has no way to turn a vector
// comparison into a bit mask (pmovmskb); these are static inline so Swift inlines them.
// SSE2 is part of every x86-64 CPU; elsewhere a portable loop gives the same result.

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Bit k set when p[k] is an ASCII digit, for k in 0..<64. Reads exactly 64 bytes.
static inline uint64_t eg_digit_mask64(const uint8_t *p) {
#if defined(__SSE2__)
    // x - '0' - 128 < 10 - 128 as signed bytes  <=>  x - '0' < 10 as unsigned bytes.
    const __m128i shift = _mm_set1_epi8((char)(-'0' - 128));
    const __m128i limit = _mm_set1_epi8((char)(10 - 128));
    uint64_t mask = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        __m128i digits = _mm_cmplt_epi8(_mm_add_epi8(v, shift), limit);
        mask |= (uint64_t)(uint16_t)_mm_movemask_epi8(digits) << (16 * k);
    }
    return mask;
#else
    uint64_t mask = 0;
    for (int k = 0; k < 64; k++) {
        mask |= (uint64_t)((uint8_t)(p[k] - '0') < 10) << k;
    }
    return mask;
#endif
}

#endif
