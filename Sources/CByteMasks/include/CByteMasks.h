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


/// The index of the first byte of `p[0 ..< n]` equal to one of `a`, `b`, `c`, `d`, `e`, or
/// `n`. Sixteen bytes at a time: how the text scanner finds the places where an encoded run
/// may begin (a line break, `\\`, `%`, `=`, `;`) without looking at every byte in Swift.
static inline size_t eg_find_any5(const uint8_t *p, size_t n, uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint8_t e) {
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b), vc = _mm_set1_epi8((char)c);
    const __m128i vd = _mm_set1_epi8((char)d), ve = _mm_set1_epi8((char)e);
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                                   _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd)), _mm_cmpeq_epi8(v, ve)));
        int mask = _mm_movemask_epi8(hit);
        if (mask != 0) return i + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    for (; i < n; i++) {
        uint8_t x = p[i];
        if (x == a || x == b || x == c || x == d || x == e) return i;
    }
    return n;
}

#endif
