import CLiteralFilter

/// The tables of a bucketed shift-or filter over byte pairs with exact confirmation (see
/// `CLiteralFilter.h`): the fast path of ``LiteralScanner`` for chunks of a few KiB and up.
///
/// The DFA takes one dependent table load per byte, so its speed is bound by load latency.
/// This filter takes four independent loads per eight bytes and only looks further where a
/// literal may end: about twice as fast on 100 and on 1,000 keywords. Literals are
/// put into eight buckets by length, so short literals (whose few pairs pass often) do not
/// weaken the filter for the long ones. The last three buckets hold the normalisation
/// triggers (see ``TextNormalisation``): a chunk that holds none is scanned as it is, and the
/// filter finds that out in the same pass.
///
/// Only sets whose literals all have at least ``minimumLength`` bytes get a filter: a pair
/// sampled every second byte would often miss a shorter one entirely.
final class LiteralFilter: @unchecked Sendable {
    static let minimumLength = 3
    /// The tables for the C scanner. They and everything they point to are immutable.
    let tables: UnsafeMutablePointer<eg_literal_filter>
    private var allocations: [UnsafeMutableRawPointer] = []

    /// Builds the filter for `patterns` (ids are their indices); nil when a non-empty
    /// pattern is shorter than ``minimumLength`` or there is none.
    init?(_ patterns: ArraySlice<LiteralPattern>) {
        let literals = patterns.indices.filter { !patterns[$0].bytes.isEmpty }
        guard !literals.isEmpty, literals.allSatisfy({ patterns[$0].bytes.count >= Self.minimumLength }) else { return nil }
        let buckets = Self.buckets(for: literals.map { patterns[$0].bytes.count })
        tables = .allocate(capacity: 1)

        // Reach: bit (8k + b) stays set in the entry of a pair unless a literal of bucket b
        // has that pair k + 1 bytes before its end, or is too short to constrain lane k.
        let domain = Int(EG_FILTER_PAIRS)
        let reach = UnsafeMutablePointer<UInt64>.allocate(capacity: domain)
        reach.initialize(repeating: ~0, count: domain)
        // Literals of up to four bytes are looked for one byte late (see `delayedBuckets`):
        // their shape gets any byte after them.
        let delayed = literals.map { patterns[$0].bytes.count <= Self.delayedLength }
        var unconstrained: UInt64 = 0
        for ((literal, bucket), delay) in zip(zip(literals, buckets), delayed) {
            let pattern = patterns[literal]
            var shape: ByteShape = pattern.bytes.map { Self.spellings(of: $0, caseless: pattern.caseInsensitive) }
            if delay { shape.append(nil) }
            Self.constrain(shape, bucket: bucket, reach: reach, unconstrained: &unconstrained)
        }
        for (index, shapes) in Self.triggerBuckets.enumerated() {
            for shape in shapes {
                Self.constrain(shape, bucket: Self.keywordBuckets + index, reach: reach, unconstrained: &unconstrained)
            }
        }
        for entry in 0..<domain { reach[entry] &= ~unconstrained }

        // Confirmation: literals grouped by (bucket, key), the key being their last bytes,
        // lower-cased, as many as the bucket's shortest literal has, at most four.
        var keyLength = [UInt8](repeating: 4, count: Int(EG_FILTER_BUCKETS))
        for (literal, bucket) in zip(literals, buckets) {
            keyLength[bucket] = min(keyLength[bucket], UInt8(min(4, patterns[literal].bytes.count)))
        }
        struct Group { var bucket: Int; var key: UInt32; var members: [Int] }
        var groups: [Group] = []
        var groupIndex: [UInt64: Int] = [:]
        for (literal, bucket) in zip(literals, buckets) {
            let key = Self.key(patterns[literal].bytes, length: Int(keyLength[bucket]))
            let tag = UInt64(bucket) << 32 | UInt64(key)
            if let index = groupIndex[tag] {
                groups[index].members.append(literal)
            } else {
                groupIndex[tag] = groups.count
                groups.append(Group(bucket: bucket, key: key, members: [literal]))
            }
        }
        var slotBits: UInt32 = 4
        while (1 << slotBits) < 2 * groups.count { slotBits += 1 }
        let slotCount = 1 << Int(slotBits)
        let slotKey = UnsafeMutablePointer<UInt32>.allocate(capacity: slotCount)
        let slotBucket = UnsafeMutablePointer<UInt8>.allocate(capacity: slotCount)
        let slotFirst = UnsafeMutablePointer<UInt32>.allocate(capacity: slotCount)
        let slotMembers = UnsafeMutablePointer<UInt32>.allocate(capacity: slotCount)
        slotKey.initialize(repeating: 0, count: slotCount)
        slotBucket.initialize(repeating: 0, count: slotCount)
        slotFirst.initialize(repeating: 0, count: slotCount)
        slotMembers.initialize(repeating: 0, count: slotCount)

        var literalBytes: [UInt8] = []
        var offsets: [UInt32] = [], lengths: [UInt32] = [], caseless: [UInt8] = [], ids: [UInt32] = []
        var mostPerBucket = [Int](repeating: 0, count: Int(EG_FILTER_BUCKETS))
        for group in groups {
            var slot = Int(Self.slotHash(group.key, bucket: group.bucket, bits: slotBits))
            while slotBucket[slot] != 0 { slot = (slot + 1) & (slotCount - 1) }
            slotKey[slot] = group.key
            slotBucket[slot] = UInt8(group.bucket + 1)
            slotFirst[slot] = UInt32(ids.count)
            slotMembers[slot] = UInt32(group.members.count)
            mostPerBucket[group.bucket] = max(mostPerBucket[group.bucket], group.members.count)
            for literal in group.members {
                let pattern = patterns[literal]
                offsets.append(UInt32(literalBytes.count))
                lengths.append(UInt32(pattern.bytes.count))
                caseless.append(pattern.caseInsensitive ? 1 : 0)
                ids.append(UInt32(literal))
                literalBytes.append(contentsOf: pattern.caseInsensitive ? pattern.bytes.map(\.asciiLowercased) : pattern.bytes)
            }
        }

        var filter = eg_literal_filter()
        filter.reach = UnsafePointer(reach)
        filter.slotKey = UnsafePointer(slotKey)
        filter.slotBucket = UnsafePointer(slotBucket)
        filter.slotFirst = UnsafePointer(slotFirst)
        filter.slotCount = UnsafePointer(slotMembers)
        filter.slotBits = slotBits
        withUnsafeMutableBytes(of: &filter.keyLength) { $0.copyBytes(from: keyLength) }
        for (bucket, isDelayed) in zip(buckets, delayed) where isDelayed { filter.delayedBuckets |= UInt8(1) << bucket }
        filter.literalBytes = UnsafePointer(Self.copy(literalBytes, into: &allocations))
        filter.literalOffset = UnsafePointer(Self.copy(offsets, into: &allocations))
        filter.literalLength = UnsafePointer(Self.copy(lengths, into: &allocations))
        filter.literalCaseless = UnsafePointer(Self.copy(caseless, into: &allocations))
        filter.literalId = UnsafePointer(Self.copy(ids, into: &allocations))
        filter.hitsPerEnd = UInt32(mostPerBucket.reduce(0, +))
        tables.initialize(to: filter)
        allocations += [UnsafeMutableRawPointer(reach), UnsafeMutableRawPointer(slotKey), UnsafeMutableRawPointer(slotBucket),
                        UnsafeMutableRawPointer(slotFirst), UnsafeMutableRawPointer(slotMembers)]
    }

    deinit {
        for allocation in allocations { allocation.deallocate() }
        tables.deallocate()
    }

    /// Slots a hit buffer needs for ``eg_literal_filter_scan`` to make progress, with room
    /// to spare so one call usually covers a whole chunk.
    var hitBufferSize: Int { max(4096, 64 * Int(tables.pointee.hitsPerEnd)) }

    /// Buckets for literals; the others hold the triggers (`EG_FILTER_TRIGGER_BUCKETS`).
    static let keywordBuckets = 5
    /// Literals this short are put in buckets of their own (see ``buckets(for:)``) and
    /// looked for with one more byte after them, so that every alignment of the pairs
    /// sampled at every second byte has one that is distinctive (`delayedBuckets`).
    static let delayedLength = 4

    /// What the reach table is built from: for each byte position the bytes allowed there
    /// (several for the cases of a letter, ranges for triggers); nil stands for any byte.
    typealias ByteShape = [[UInt8]?]

    /// The trigger sequences by bucket, each with any byte before and after it (the two-byte
    /// soft hyphen with two after), so that the pairs sampled at either parity include a
    /// distinctive one: full-width punctuation (EF BC 8C for "，") and curly quotes and dashes
    /// (E2 80 9C, E2 80 94) share the first two bytes, and the last two (BD 92) are also the
    /// middle and end of common Chinese characters (归 is E5 BD 92); only a pair with the lead
    /// byte, or the last byte and the one after, tells them apart. A bucket is as selective
    /// in each lane as its least selective shape, so shapes share a bucket only where that
    /// costs nothing: the soft hyphen's "any two bytes after" would let curly quotes through
    /// the E2 bucket, but not the rare EF BD and EF BB.
    ///
    /// The sites of the contextual normalisation (see `ContextualNormalisation`) are shaped
    /// by the end of a run of separators: the last separator and the wide character after it
    /// (an ideograph's lead byte, or E2, EF, F0), and the ideograph before a short run.
    /// Shaped by its start instead (a character, then a separator), a site would pass
    /// wherever Chinese text meets a space or a line break, mostly before ASCII. The C side
    /// walks back over the run to the character before it. A run after a character that
    /// becomes an ideograph (a radical, a compatibility ideograph, a variation selector's
    /// base) is that character's site's business. Runs ending in ASCII
    /// separators have a bucket of their own; those ending in U+00A0 or U+3000 join the rare
    /// EF shapes, where their pairs (C2 A0, 80 80) are as rare. Radicals (E2 BA–BF) fit no
    /// bucket without letting "，" or "。" through, and are looked for in the filter's loop.
    static let triggerBuckets: [[ByteShape]] = {
        let continuation = Array(UInt8(0x80)...UInt8(0xBF))
        let separator: [UInt8] = [0x20, 0x09, 0x0A, 0x0D]
        let wide = Array(UInt8(0xE2)...UInt8(0xE9)) + [0xEF, 0xF0]
        return [
            [[nil, [0xEF], [0xBC], Array(0x90...0x99) + Array(0xA1...0xBA) + [0x8E], nil]],   // ０–９ Ａ–Ｚ ．
            [[nil, [0xEF], [0xBD], Array(0x81...0x9A), nil], [nil, [0xEF], [0xBB], [0xBF], nil],   // ａ–ｚ, U+FEFF
             [nil, [0xC2], [0xAD], nil, nil],                                                      // soft hyphen
             [nil, [0xE2], [0x80], [0x8B, 0x8C, 0x8D], nil], [nil, [0xE2], [0x81], [0xA0], nil],   // U+200B–D, U+2060
             [nil, [0xEF], Array(0xA4...0xAB), continuation, nil],                                 // compatibility ideographs
             [nil, [0xEF], [0x82], Array(0xAA...0xB5), nil],                                       // symbol-font stars
             [nil, [0xEF], [0xB8], Array(0x80...0x8F), nil],                                       // variation selectors
             [nil, [0xF0], [0xAF], continuation, nil],                                             // U+2F800–2FA1F
             [nil, [0xC2], [0xA0], nil, nil],                                                      // any U+00A0
             [[0xE3], [0x80], [0x80], wide + separator, nil]],                                     // U+3000, then wide or more
            // Seven bytes, so that both pair parities see the lead byte of the ideograph
            // before a run of one or two (E4–E9: `。` and `，` at the end of a line do not
            // pass); longer runs are rare enough to be confirmed as they come.
            [[nil, Array(0xE4...0xE9), continuation, continuation, separator, wide, nil],
             [Array(0xE4...0xE9), continuation, continuation, separator, separator, wide, nil],
             [continuation, continuation, separator, separator, separator, wide, nil],
             [continuation, separator, separator, separator, separator, wide, nil],
             [separator, separator, separator, separator, separator, wide, nil]],
        ]
    }()

    /// Clears the bucket's bit, for every pair of neighbouring byte sets of the shape, in the
    /// lane of that pair's distance from the shape's end (eight lanes: the last eight pairs).
    /// Lanes further back than the shape's start are left free, in `unconstrained`.
    private static func constrain(_ shape: ByteShape, bucket: Int, reach: UnsafeMutablePointer<UInt64>, unconstrained: inout UInt64) {
        let any = Array(UInt8.min...UInt8.max)
        for lane in 0..<8 {
            let bit = UInt64(1) << (8 * lane + bucket)
            let position = shape.count - 2 - lane
            guard position >= 0 else {
                unconstrained |= bit
                continue
            }
            for first in shape[position] ?? any {
                for second in shape[position + 1] ?? any {
                    reach[pairIndex(first, second)] &= ~bit
                }
            }
        }
    }

    /// Bucket per literal, given their lengths: literals of up to 4 bytes, of 5 to 8, and
    /// longer ones each get their own buckets (a bucket is only as selective as its
    /// shortest literal allows); the longest group gets the buckets left, split by length.
    static func buckets(for lengths: [Int]) -> [Int] {
        let group = lengths.map { $0 <= delayedLength ? 0 : $0 <= 8 ? 1 : 2 }
        let used = Set(group).sorted()
        var firstBucket: [Int: Int] = [:], bucketCount: [Int: Int] = [:]
        for (rank, g) in used.enumerated() {
            firstBucket[g] = rank
            bucketCount[g] = rank == used.count - 1 ? keywordBuckets - rank : 1
        }
        var result = [Int](repeating: 0, count: lengths.count)
        for g in used {
            let members = lengths.indices.filter { group[$0] == g }.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
            let share = bucketCount[g]!
            for (rank, index) in members.enumerated() {
                result[index] = firstBucket[g]! + rank * share / members.count
            }
        }
        return result
    }

    /// The reach entry of two neighbouring bytes (a little-endian `UInt16`, as the C side
    /// loads it).
    static func pairIndex(_ first: UInt8, _ second: UInt8) -> Int {
        Int(first) | Int(second) << 8
    }

    private static func spellings(of byte: UInt8, caseless: Bool) -> [UInt8] {
        caseless && byte.isASCIILetter ? [byte | 0x20, byte & ~0x20] : [byte]
    }

    /// The last `length` bytes, lower-cased, in the high bytes of a little-endian word (as
    /// the C side reads the four bytes ending at a position).
    static func key(_ bytes: [UInt8], length: Int) -> UInt32 {
        var key: UInt32 = 0
        for k in 0..<length {
            key |= UInt32(bytes[bytes.count - 1 - k].asciiLowercased) << (8 * (3 - k))
        }
        return key
    }

    static func slotHash(_ key: UInt32, bucket: Int, bits: UInt32) -> UInt32 {
        ((key ^ (UInt32(bucket) &* 0x85EB_CA6B)) &* 0x9E37_79B1) >> (32 - bits)
    }

    private static func copy<T>(_ values: [T], into allocations: inout [UnsafeMutableRawPointer]) -> UnsafeMutablePointer<T> {
        let memory = UnsafeMutablePointer<T>.allocate(capacity: max(1, values.count))
        memory.initialize(from: values, count: values.count)
        allocations.append(UnsafeMutableRawPointer(memory))
        return memory
    }
}
