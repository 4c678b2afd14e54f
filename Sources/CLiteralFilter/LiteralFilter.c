#include "CLiteralFilter.h"

#include <string.h>
#if defined(__SSE2__) && defined(__x86_64__)
#include <immintrin.h>
#define EG_FILTER_SSE2 1
#endif

static inline uint32_t pair_at(const uint8_t *p) {
    uint16_t pair;
    memcpy(&pair, p, 2);  // one load
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    pair = __builtin_bswap16(pair);
#endif
    return pair;
}

/// ASCII upper-case letters of four bytes lower-cased; every other byte unchanged.
static inline uint32_t fold4(uint32_t v) {
    uint32_t t = v & 0x7F7F7F7Fu;
    uint32_t atLeastA = t + 0x3F3F3F3Fu, pastZ = t + 0x25252525u;
    return v | ((atLeastA & ~pastZ & ~v & 0x80808080u) >> 2);
}

static inline uint8_t fold1(uint8_t c) {
    return (uint8_t)(c - 'A') < 26 ? (uint8_t)(c | 0x20) : c;
}

static inline uint32_t slot_hash(uint32_t key, unsigned bucket, uint32_t bits) {
    return ((key ^ (bucket * 0x85EBCA6Bu)) * 0x9E3779B1u) >> (32 - bits);
}

/// Whether a normalisation trigger sequence starts at `bytes[index]` and ends before `count`:
/// a full-width digit, letter or full stop (EF BC 90-99, EF BC A1-BA, EF BD 81-9A, EF BC 8E), U+FEFF (EF BB BF),
/// U+200B-200D (E2 80 8B-8D), U+2060 (E2 81 A0) or the soft hyphen (C2 AD). The Swift
/// side's `TextNormalisation.trigger(in:at:count:)` is the definition; tests compare them.
static int trigger_at(const uint8_t *bytes, size_t index, size_t count) {
    uint8_t a = bytes[index];
    if (a == 0xC2) return index + 1 < count && bytes[index + 1] == 0xAD;
    if ((a != 0xEF && a != 0xE2) || index + 2 >= count) return 0;
    uint8_t b = bytes[index + 1], c = bytes[index + 2];
    if (a == 0xEF) {
        return (b == 0xBC && ((uint8_t)(c - 0x90) < 10 || (uint8_t)(c - 0xA1) < 26 || c == 0x8E)) ||
               (b == 0xBD && (uint8_t)(c - 0x81) < 26) || (b == 0xBB && c == 0xBF);
    }
    return (b == 0x80 && (uint8_t)(c - 0x8B) < 3) || (b == 0x81 && c == 0xA0);
}

/// Whether the continuation byte at `index` ends a character that a run of separators
/// after it may join to the next one, and such a run follows: the character is an ideograph
/// or a form that becomes one (or the chunk does not show which), and the run ends before
/// something that is not ASCII (or at the chunk's end). Most separators after Chinese text
/// run into ASCII words: those are ruled out here, before any work on the Swift side.
static int separator_site_at(const uint8_t *bytes, size_t index, size_t count) {
    if (index >= 2) {
        uint8_t lead = bytes[index - 2], second = bytes[index - 1];
        int wide = (lead >= 0xE4 && lead <= 0xE9) || (lead == 0xE3 && second >= 0x90) ||
                   (lead == 0xE2 && second >= 0xBA && second <= 0xBF) ||
                   (lead == 0xEF && ((second >= 0xA4 && second <= 0xAB) || second == 0xB8)) || (lead & 0xC0) == 0x80;
        if (!wide) return 0;
    }
    size_t j = index + 1;
    int separators = 0;
    while (j < count && separators <= 8) {
        uint8_t c = bytes[j];
        if (c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D) {
            j += 1;
        } else if (c == 0xC2 && j + 1 < count && bytes[j + 1] == 0xA0) {
            j += 2;
        } else if (c == 0xE3 && j + 2 < count && bytes[j + 1] == 0x80 && bytes[j + 2] == 0x80) {
            j += 3;
        } else {
            break;
        }
        separators += 1;
    }
    if (separators == 0 || separators > 8) return 0;
    return j + 2 >= count || bytes[j] >= 0x80;
}

/// Whether a rare character's site starts at `bytes[index]` (an EF or F0 lead): a
/// compatibility ideograph (EF A4-AB, F0 AF), a private-use symbol-font star (EF 82) or a
/// variation selector (EF B8). Radicals and separators are found apart (below).
static int rare_site_at(const uint8_t *bytes, size_t index, size_t count) {
    if (index + 1 >= count) return 0;
    uint8_t a = bytes[index], b = bytes[index + 1];
    if (a == 0xEF) return (b >= 0xA4 && b <= 0xAB) || b == 0x82 || b == 0xB8;
    if (a == 0xF0) return b == 0xAF;
    return 0;
}

static inline void record_site(eg_filter_sites *sites, size_t index) {
    if (sites->count > 0 && sites->positions[sites->count - 1] == (uint32_t)index) return;
    if (sites->count < sites->capacity) {
        sites->positions[sites->count++] = (uint32_t)index;
    } else {
        sites->overflow = 1;
    }
}

typedef struct {
    const uint8_t *history;
    ptrdiff_t historyCount;
    const uint8_t *bytes;
    size_t count;
    int *trigger;
    eg_filter_sites *sites;
} text_view;

/// A run of separators goes on to (or ends at) `position`: walks back over it (ASCII
/// separators, U+00A0, U+3000, variation selectors; at most eight separators) and records
/// the site at the byte before it when that may end an ideograph and the run ends before a
/// wide character (`separator_site_at`). A run that begins the chunk is left to the Swift
/// side, which sees the history.
static void separator_run_before(const text_view *text, size_t position) {
    const uint8_t *b = text->bytes;
    size_t count = text->count;
    if (position > count) return;
    size_t start = position;
    int separators = 0, selectors = 0;
    while (separators <= 8) {
        if (start >= 1 && (b[start - 1] == 0x20 || b[start - 1] == 0x09 || b[start - 1] == 0x0A || b[start - 1] == 0x0D)) {
            start -= 1;
        } else if (start >= 2 && b[start - 2] == 0xC2 && b[start - 1] == 0xA0) {
            start -= 2;
        } else if (start >= 3 && b[start - 3] == 0xE3 && b[start - 2] == 0x80 && b[start - 1] == 0x80) {
            start -= 3;
        } else if (selectors < 8 && start >= 3 && b[start - 3] == 0xEF && b[start - 2] == 0xB8 && (b[start - 1] & 0xF0) == 0x80) {
            start -= 3;
            selectors += 1;
            continue;
        } else {
            break;
        }
        separators += 1;
    }
    if (separators == 0 || separators > 8 || start == 0 || (b[start - 1] & 0xC0) != 0x80) return;
    if (separator_site_at(b, start - 1, count)) record_site(text->sites, start - 1);
}

/// Checks for a trigger or a site near `index` of the chunk (`index` is the trigger
/// position: the second byte of a shape), for the trigger buckets that passed: buckets 5
/// and 6 hold the triggers, 6 also the rare characters' sites and runs holding U+00A0 or
/// U+3000, 7 the runs of ASCII separators.
static inline void check_normalisation(const text_view *text, size_t index, unsigned buckets) {
    const uint8_t *bytes = text->bytes;
    size_t count = text->count;
    if ((buckets & 0x60u) && trigger_at(bytes, index, count)) {
        *text->trigger = 1;
        return;
    }
    if (!text->sites) return;
    if ((buckets & 0x40u) && rare_site_at(bytes, index, count)) {
        record_site(text->sites, index);
    }
    // Every separator shape has its run go on to `index + 2` (the wide character after an
    // ASCII run, or the byte after U+00A0 or U+3000).
    if (buckets & 0xC0u) separator_run_before(text, index + 2);
}

/// Records the radicals' sites (E2 followed by BA-BF) starting in `bytes[from ..< to]`;
/// `bytes[to]` must exist.
static void radical_sites(const uint8_t *bytes, size_t from, size_t to, eg_filter_sites *sites) {
    for (size_t k = from; k < to; k++) {
        if (bytes[k] == 0xE2 && bytes[k + 1] >= 0xBA && bytes[k + 1] <= 0xBF) record_site(sites, k);
    }
}

/// The E2 bytes of the block at `base` (bit k for base + k; the byte after each exists).
__attribute__((noinline)) static void radical_leads(const uint8_t *bytes, size_t base, unsigned leads, eg_filter_sites *sites) {
    while (leads) {
        size_t k = base + (size_t)__builtin_ctz(leads);
        leads &= leads - 1;
        if (bytes[k + 1] >= 0xBA && bytes[k + 1] <= 0xBF) record_site(sites, k);
    }
}

#if EG_FILTER_SSE2
__attribute__((target("avx2"))) static size_t radical_blocks_avx2(const uint8_t *bytes, size_t from, size_t to, eg_filter_sites *sites) {
    const __m256i lead = _mm256_set1_epi8((char)0xE2);
    size_t k = from;
    for (; k + 64 <= to; k += 64) {
        __m256i low = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(bytes + k)), lead);
        __m256i high = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(bytes + k + 32)), lead);
        if (__builtin_expect(!_mm256_testz_si256(_mm256_or_si256(low, high), _mm256_or_si256(low, high)), 0)) {
            radical_leads(bytes, k, (unsigned)_mm256_movemask_epi8(low), sites);
            radical_leads(bytes, k + 32, (unsigned)_mm256_movemask_epi8(high), sites);
        }
    }
    return k;
}

static size_t radical_blocks_sse2(const uint8_t *bytes, size_t from, size_t to, eg_filter_sites *sites) {
    const __m128i lead = _mm_set1_epi8((char)0xE2);
    size_t k = from;
    for (; k + 16 <= to; k += 16) {
        unsigned leads = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(bytes + k)), lead));
        if (__builtin_expect(leads != 0, 0)) radical_leads(bytes, k, leads, sites);
    }
    return k;
}
#endif

/// Records the radicals' sites starting in whole 16- or 64-byte blocks from `from` up to
/// `to` (`bytes[to]` must exist) and returns where the blocks ended; the caller finishes the
/// rest with `radical_sites`. Radicals fit no bucket without letting "，" or "。" through,
/// so they have a pass of their own over what the filter has just read (still in L1): the
/// lead byte E2 is rare enough that a wide compare is cheaper than a check in each block.
static size_t radical_blocks(const uint8_t *bytes, size_t from, size_t to, eg_filter_sites *sites) {
#if EG_FILTER_SSE2
    // A load and a test of what the runtime found at start-up.
    return __builtin_cpu_supports("avx2") ? radical_blocks_avx2(bytes, from, to, sites) : radical_blocks_sse2(bytes, from, to, sites);
#else
    (void)bytes, (void)to, (void)sites;
    return from;
#endif
}

/// The byte at `index` relative to the chunk; negative indices read the history.
static inline uint8_t text_byte(const text_view *text, ptrdiff_t index) {
    return index >= 0 ? text->bytes[index] : text->history[text->historyCount + index];
}

static int literal_at(const eg_literal_filter *f, const text_view *text, uint32_t literal, ptrdiff_t start) {
    const uint8_t *expected = f->literalBytes + f->literalOffset[literal];
    uint32_t length = f->literalLength[literal];
    if (f->literalCaseless[literal]) {
        for (uint32_t k = 0; k < length; k++) {
            if (fold1(text_byte(text, start + (ptrdiff_t)k)) != expected[k]) return 0;
        }
        return 1;
    }
    if (start >= 0) return memcmp(text->bytes + start, expected, length) == 0;
    for (uint32_t k = 0; k < length; k++) {
        if (text_byte(text, start + (ptrdiff_t)k) != expected[k]) return 0;
    }
    return 1;
}

/// The four bytes ending at `end`, ASCII letters lower-cased, the byte at `end` highest.
static inline uint32_t folded_last4(const text_view *text, ptrdiff_t end) {
    uint32_t last4 = 0;
    if (end >= 3) {
        memcpy(&last4, text->bytes + end - 3, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        last4 = __builtin_bswap32(last4);
#endif
    } else {
        for (int k = 0; k < 4; k++) {
            ptrdiff_t index = end - 3 + k;
            if (index >= -text->historyCount) last4 |= (uint32_t)text_byte(text, index) << (8 * k);
        }
    }
    return fold4(last4);
}

/// Confirms the literals of `buckets` that may end at lane `end` (the index of their last
/// byte, or of the byte after it in a bucket with a delay).
static size_t confirm(const eg_literal_filter *f, const text_view *text, ptrdiff_t end, unsigned buckets,
                      uint64_t *hits, size_t written) {
    if (buckets & EG_FILTER_TRIGGER_BUCKETS) {
        // The shapes in these buckets are a byte, the trigger sequence and one byte after it
        // (two after the two-byte soft hyphen): the sequence starts at end - 3.
        if (end >= 3) check_normalisation(text, (size_t)(end - 3), buckets);
        buckets &= ~EG_FILTER_TRIGGER_BUCKETS;
    }
    const uint32_t slotMask = (1u << f->slotBits) - 1;
    ptrdiff_t keyEnd = -1;
    uint32_t last4 = 0;
    while (buckets) {
        unsigned bucket = (unsigned)__builtin_ctz(buckets);
        buckets &= buckets - 1;
        ptrdiff_t literalEnd = end - ((f->delayedBuckets >> bucket) & 1);
        if (literalEnd < 0) continue;  // ended in the history: reported with the chunk before
        if (literalEnd != keyEnd) {
            last4 = folded_last4(text, literalEnd);
            keyEnd = literalEnd;
        }
        uint32_t key = last4 & (0xFFFFFFFFu << (8 * (4 - f->keyLength[bucket])));
        for (uint32_t slot = slot_hash(key, bucket, f->slotBits); f->slotBucket[slot] != 0; slot = (slot + 1) & slotMask) {
            if (f->slotBucket[slot] != bucket + 1 || f->slotKey[slot] != key) continue;
            uint32_t first = f->slotFirst[slot], stop = first + f->slotCount[slot];
            for (uint32_t literal = first; literal < stop; literal++) {
                ptrdiff_t start = literalEnd + 1 - (ptrdiff_t)f->literalLength[literal];
                if (start < -text->historyCount || !literal_at(f, text, literal, start)) continue;
                hits[written++] = (uint64_t)(literalEnd + 1) << 32 | f->literalId[literal];
            }
            break;
        }
    }
    return written;
}

/// Confirms every lane of a block (ends base + 1 + lane) whose byte in `pass` is non-zero.
static inline size_t confirm_lanes(const eg_literal_filter *f, const text_view *text, size_t base, uint64_t pass,
                                   uint64_t *hits, size_t written) {
    while (pass) {
        unsigned lane = (unsigned)__builtin_ctzll(pass) >> 3;
        unsigned buckets = (unsigned)(pass >> (8 * lane)) & 0xFF;
        pass &= ~(0xFFull << (8 * lane));
        written = confirm(f, text, (ptrdiff_t)(base + 1 + lane), buckets, hits, written);
    }
    return written;
}

size_t eg_literal_filter_scan(const eg_literal_filter *filter,
                              const uint8_t *history, size_t historyCount,
                              const uint8_t *bytes, size_t count, size_t from, size_t *next,
                              uint64_t *carry, int *trigger, eg_filter_sites *sites, uint64_t *hits, size_t capacity) {
    const uint64_t *reach = filter->reach;
    const size_t reserve = 9 * (size_t)filter->hitsPerEnd;
    text_view text = {history, (ptrdiff_t)historyCount, bytes, count, trigger, sites};
    size_t written = 0;
    size_t i = from, radicalsDone = from;
    if (capacity < 2 * reserve) {  // then the first block always fits after the end-0 hits
        *next = i;
        return 0;
    }
    // Literals ending on the first byte began in the history; no lane covers that end.
    if (i == 0 && historyCount > 0 && count > 0) {
        written = confirm(filter, &text, 0, 0xFF, hits, written);
    }

    // One block: the pairs at p, p + 2, p + 4 and p + 6 (block index o lands in lane o and
    // up), then the eight finished lanes (ends p + 1 ... p + 8) leave the low half.
#if EG_FILTER_SSE2
    __m128i state = _mm_cvtsi64_si128((long long)*carry);
#define EG_PAIR(p, o) \
    state = _mm_or_si128(state, _mm_slli_si128(_mm_loadl_epi64((const __m128i *)(reach + pair_at((p) + (o)))), o));
#define EG_BLOCK(p, fails)                                                        \
    EG_PAIR(p, 0) EG_PAIR(p, 2) EG_PAIR(p, 4) EG_PAIR(p, 6)                       \
    fails = (uint64_t)_mm_cvtsi128_si64(state);                                   \
    state = _mm_srli_si128(state, 8);
#else
    uint64_t low = *carry, high = 0;
#define EG_PAIR(p, o)                                                             \
    {                                                                             \
        uint64_t entry = reach[pair_at((p) + (o))];                               \
        low |= entry << (8 * (o));                                                \
        high |= (o) ? entry >> (64 - 8 * (o)) : 0;                                \
    }
#define EG_BLOCK(p, fails)                                                        \
    EG_PAIR(p, 0) EG_PAIR(p, 2) EG_PAIR(p, 4) EG_PAIR(p, 6)                       \
    fails = low;                                                                  \
    low = high;                                                                   \
    high = 0;
#endif

    // Every block but the last has all its lanes inside the chunk. The room left for hits is
    // checked once per run of blocks that cannot fill it, not per block.
    const size_t perBlock = 8 * (size_t)filter->hitsPerEnd;
    while (i + 8 < count && capacity - written >= reserve) {
        size_t blocks = (capacity - written - reserve) / perBlock + 1;
        size_t stop = count - 8 - i < 8 * blocks ? count - 8 : i + 8 * blocks;  // i < stop <= count - 8
        // Stretches of at most 4 KiB, so that the radicals' pass reads them from L1.
        if (stop - i > 4096) stop = i + 4096;
        for (; i < stop; i += 8) {
            uint64_t fails;
            EG_BLOCK(bytes + i, fails)
            if (__builtin_expect(fails != ~0ull, 0)) written = confirm_lanes(filter, &text, i, ~fails, hits, written);
        }
        if (sites && i - radicalsDone >= 4096) radicalsDone = radical_blocks(bytes, radicalsDone, i, sites);  // i < count
    }
    if (i < count && i + 8 >= count && capacity - written >= reserve) {
        // The last one to eight bytes, zero-padded: pairs that reach into the padding only
        // affect lanes that end past the chunk, which are masked off.
        uint8_t padded[16] = {0};
        memcpy(padded, bytes + i, count - i);
        uint64_t fails;
        EG_BLOCK(padded, fails)
        size_t lanes = count - 1 - i;  // ends i + 1 ... count - 1
        uint64_t pass = lanes ? ~fails & (~0ull >> (8 * (8 - lanes))) : 0;
        if (pass != 0) written = confirm_lanes(filter, &text, i, pass, hits, written);
        i = count;
    }
    if (i == count) {
        // Literals of delayed buckets that end on the last byte: their lane would be past it.
        if (filter->delayedBuckets != 0 && count > 0) {
            written = confirm(filter, &text, (ptrdiff_t)count, filter->delayedBuckets, hits, written);
        }
        // Trigger sequences too close to the end for their bucket's byte after them.
        for (size_t k = count > 4 ? count - 4 : 0; k < count; k++) check_normalisation(&text, k, EG_FILTER_TRIGGER_BUCKETS);
    }
    // Each call covers the bytes it went through, so one that resumes after a full hit
    // buffer records no site twice.
    if (sites && i > radicalsDone) {
        size_t to = i < count ? i : count - 1;
        radical_sites(bytes, radical_blocks(bytes, radicalsDone, to, sites), to, sites);
    }
#if EG_FILTER_SSE2
    *carry = (uint64_t)_mm_cvtsi128_si64(state);
#else
    *carry = low;
#endif
    *next = i;
    return written;
}
