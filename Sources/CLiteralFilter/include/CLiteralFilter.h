#ifndef EXPORTGUARD_C_LITERAL_FILTER_H
#define EXPORTGUARD_C_LITERAL_FILTER_H

// A bucketed shift-or filter over byte pairs, with exact confirmation: the matching
// core's fast path for large literal sets (the idea of Hyperscan's FDR engine).
//
// Every literal belongs to one of eight buckets. For each text position p, the two bytes at
// p and p + 1 (a "pair", first | second << 8) select a 64-bit reach entry whose
// byte k has bit b clear when some literal of bucket b has that pair k + 1 bytes before its
// last byte (or is too short to reach that far back). ORing the entries of the pairs before
// a position, each shifted into its lane, leaves bit b clear only where every pair seen
// agrees with some literal of bucket b ending there; those ends are confirmed exactly
// against the literals of the bucket whose last bytes (the key) match. Pairs are sampled at
// every second position, which halves the work and still gives literals of three bytes or
// more at least one pair.
//
// The tables are built by the Swift side (LiteralFilter) and only read here.

#include <stddef.h>
#include <stdint.h>

#define EG_FILTER_PAIRS 65536
#define EG_FILTER_BUCKETS 8
/// Buckets 5 to 7 hold the normalisation trigger sequences (full-width letters and digits,
/// zero-width characters, the soft hyphen), each with bytes of context on either side, so
/// that the pairs sampled at either parity include the lead byte or the last byte: full-width
/// punctuation shares the first two bytes and is everywhere in Chinese text. A hit there
/// only reports that the chunk needs normalising, or where the contextual normalisation
/// may have work (a site).
#define EG_FILTER_TRIGGER_BUCKETS 0xE0u

typedef struct {
    /// EG_FILTER_PAIRS reach entries (512 KiB: it stays in a 1 MiB L2; hashing pairs into a
    /// smaller table made lead and continuation bytes of UTF-8 collide, which cost more).
    const uint64_t *reach;
    /// Confirmation hash table, 1 << slotBits slots, open addressing on (bucket, key).
    const uint32_t *slotKey;
    /// Per slot: bucket + 1 (0: empty slot).
    const uint8_t *slotBucket;
    /// Per slot: the slot's literals are entries [slotFirst, slotFirst + slotCount) below.
    const uint32_t *slotFirst;
    const uint32_t *slotCount;
    uint32_t slotBits;
    /// Bytes of the key per bucket (2 to 4): the shortest literal of the bucket, at most 4.
    uint8_t keyLength[EG_FILTER_BUCKETS];
    /// Bit b set: bucket b's lanes stand for the byte after its literals' ends. Short
    /// literals have too few pairs for sampling at every second byte to be selective; one
    /// more byte after them (any byte) gives every alignment a distinctive pair.
    uint8_t delayedBuckets;
    /// Literal bytes, one after the other; ASCII letters of case-insensitive ones lower-cased.
    const uint8_t *literalBytes;
    const uint32_t *literalOffset;
    const uint32_t *literalLength;
    const uint8_t *literalCaseless;
    /// The id reported for each literal.
    const uint32_t *literalId;
    /// Most literals that can be confirmed at one end (a bound), for sizing the hit buffer.
    uint32_t hitsPerEnd;
} eg_literal_filter;

/// Where the contextual normalisation may have work: chunk indices, mostly ascending (the
/// caller sorts them). `overflow` is set when more were found than fit.
typedef struct {
    uint32_t *positions;
    size_t count;
    size_t capacity;
    int overflow;
} eg_filter_sites;

/// Scans `bytes[from ..< count]` (`from` a multiple of 8 as returned in `*next`; 0 to start)
/// and writes one hit per literal occurring there, `(exclusive end index << 32) | id`, in
/// order of their ends. `history` holds the `historyCount` bytes before `bytes`, for
/// literals that begin before it. `*carry` is 0 on the first call and carried to the next.
/// `*trigger` is set to 1 when a normalisation trigger sequence (see eg_contains_trigger)
/// starts in the part scanned; the hits are then those of the text as it is, unnormalised.
/// Sites of the contextual normalisation go to `sites` (when not NULL).
///
/// `capacity` must be at least 18 * hitsPerEnd (else nothing is done). Stops early when the
/// hits might not fit; then `*next < count` and the caller calls again from `*next` with
/// more room. Returns the number of hits written.
size_t eg_literal_filter_scan(const eg_literal_filter *filter,
                              const uint8_t *history, size_t historyCount,
                              const uint8_t *bytes, size_t count, size_t from, size_t *next,
                              uint64_t *carry, int *trigger, eg_filter_sites *sites, uint64_t *hits, size_t capacity);

#endif
