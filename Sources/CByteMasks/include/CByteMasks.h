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

/// The index of the first byte of `p[0 ..< n]` where the contextual normalisation may have
/// something to rewrite, or `n`: a separator (tab, LF, CR, space, U+00A0, U+3000), or the
/// first byte of a character it may replace (E2 BA–BF radicals, EF 80–83 symbol-font
/// characters, EF A4–AB compatibility ideographs, EF B8 variation selectors, F0 AF
/// supplementary compatibility ideographs). It may stop early (near the end, where it cannot
/// see the bytes after), never late. Chinese punctuation (EF BC xx, E3 80 8x) shares lead
/// bytes with these and is passed over sixteen bytes at a time.
static inline size_t eg_find_rewrite_candidate(const uint8_t *p, size_t n) {
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i zero = _mm_setzero_si128();
#define EG_SET(x) _mm_set1_epi8((char)(x))
#define EG_EQ(v, x) _mm_cmpeq_epi8((v), EG_SET(x))
    /* v - low < width, as unsigned bytes */
#define EG_IN(v, low, width) _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8((v), EG_SET(low)), EG_SET((width) - 1)), zero)
    for (; i + 18 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i v1 = _mm_loadu_si128((const __m128i *)(p + i + 1));
        __m128i v2 = _mm_loadu_si128((const __m128i *)(p + i + 2));
        __m128i hit = _mm_or_si128(_mm_or_si128(EG_EQ(v, 0x09), EG_EQ(v, 0x0A)), _mm_or_si128(EG_EQ(v, 0x0D), EG_EQ(v, 0x20)));
        hit = _mm_or_si128(hit, _mm_and_si128(EG_EQ(v, 0xC2), EG_EQ(v1, 0xA0)));
        hit = _mm_or_si128(hit, _mm_and_si128(EG_EQ(v, 0xE3), _mm_and_si128(EG_EQ(v1, 0x80), EG_EQ(v2, 0x80))));
        hit = _mm_or_si128(hit, _mm_and_si128(EG_EQ(v, 0xF0), EG_EQ(v1, 0xAF)));
        hit = _mm_or_si128(hit, _mm_and_si128(EG_EQ(v, 0xE2), EG_IN(v1, 0xBA, 6)));
        __m128i ef = _mm_or_si128(_mm_or_si128(EG_IN(v1, 0x00, 0x84), EG_IN(v1, 0xA4, 8)), EG_EQ(v1, 0xB8));
        hit = _mm_or_si128(hit, _mm_and_si128(EG_EQ(v, 0xEF), ef));
        int mask = _mm_movemask_epi8(hit);
        if (mask != 0) return i + (size_t)__builtin_ctz((unsigned)mask);
    }
#undef EG_IN
#undef EG_EQ
#undef EG_SET
#endif
    for (; i < n; i++) {
        uint8_t x = p[i];
        if (x == 0x09 || x == 0x0A || x == 0x0D || x == 0x20) return i;
        if (x != 0xC2 && x != 0xE2 && x != 0xE3 && x != 0xEF && x != 0xF0) continue;
        if (i + 2 >= n) return i;
        uint8_t y = p[i + 1];
        if ((x == 0xC2 && y == 0xA0) || (x == 0xE3 && y == 0x80 && p[i + 2] == 0x80) || (x == 0xF0 && y == 0xAF)
            || (x == 0xE2 && y >= 0xBA && y <= 0xBF) || (x == 0xEF && (y <= 0x83 || (y >= 0xA4 && y <= 0xAB) || y == 0xB8))) return i;
    }
    return n;
}

#endif
