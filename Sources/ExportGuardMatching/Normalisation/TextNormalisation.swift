/// Input normalisation. For matching, the text is taken with full-width ASCII (U+FF01–FF5E)
/// read as ASCII, the ideographic space U+3000 as a space, and zero-width characters
/// (U+200B–200D, U+2060, U+FEFF, the soft hyphen U+00AD) ignored.
///
/// Only some of that rewrites the text: full-width letters and digits (U+FF10–FF19,
/// U+FF21–FF3A, U+FF41–FF5A) and the full-width full stop (U+FF0E, the decimal point of
/// numbers typed in full width) become ASCII and zero-width characters are removed. These are
/// the *trigger* sequences, rare in ordinary text. Full-width punctuation (`，：（）＊－`) and
/// U+3000 (the indentation of formal Chinese documents) are everywhere in Chinese text, so
/// they stay as written, and normal text never pays for a copy: keywords are compiled in
/// every spelling of their punctuation and spaces (see ``PatternVariants``), and the
/// detectors read full-width separators and U+3000 themselves.
///
/// A second stage, applied only where it has work, is ``ContextualNormalisation``.
///
/// Chunks that contain no trigger sequence are scanned in place. The literal automaton
/// recognises the trigger sequences as internal patterns, so finding out costs nothing extra;
/// a chunk that holds one is normalised into a copy and scanned again. Offsets reported to
/// callers are always offsets in the original stream (see ``OffsetMap``).
enum TextNormalisation {
    /// What a trigger sequence becomes: one ASCII byte, or nothing.
    struct Trigger {
        var bytes: [UInt8]
        var replacement: UInt8?
    }

    /// Every trigger sequence, for compiling them into the literal automaton.
    static let triggers: [Trigger] = {
        var result: [Trigger] = []
        func fullWidth(_ ascii: UInt8) -> [UInt8] { fullWidthBytes(of: ascii) }
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { result.append(Trigger(bytes: fullWidth(byte), replacement: byte)) }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { result.append(Trigger(bytes: fullWidth(byte), replacement: byte)) }
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { result.append(Trigger(bytes: fullWidth(byte), replacement: byte)) }
        // The full-width full stop, the decimal point of numbers typed in full width (３９．９０).
        result.append(Trigger(bytes: fullWidth(UInt8(ascii: ".")), replacement: UInt8(ascii: ".")))
        for zeroWidth: [UInt8] in [[0xE2, 0x80, 0x8B], [0xE2, 0x80, 0x8C], [0xE2, 0x80, 0x8D], [0xE2, 0x81, 0xA0], [0xEF, 0xBB, 0xBF], [0xC2, 0xAD]] {
            result.append(Trigger(bytes: zeroWidth, replacement: nil))
        }
        return result
    }()

    /// U+3000, the full-width form of a space.
    static let ideographicSpace: [UInt8] = [0xE3, 0x80, 0x80]

    /// The UTF-8 bytes of the full-width form (U+FF01–FF5E) of a printable ASCII byte (0x21–0x7E).
    static func fullWidthBytes(of ascii: UInt8) -> [UInt8] {
        let scalar = 0xFEE0 + UInt32(ascii)
        return [0xEF, UInt8(0x80 | ((scalar >> 6) & 0x3F)), UInt8(0x80 | (scalar & 0x3F))]
    }

    /// The trigger sequence starting at `index`: its length and replacement. Zero length when none.
    @inline(__always)
    static func trigger(in bytes: UnsafePointer<UInt8>, at index: Int, count: Int) -> (length: Int, replacement: UInt8?) {
        let b0 = bytes[index]
        switch b0 {
        case 0xEF:
            guard index + 2 < count else { return (0, nil) }
            let b1 = bytes[index + 1], b2 = bytes[index + 2]
            if b1 == 0xBC {
                if b2 &- 0x90 < 10 { return (3, b2 &- 0x90 &+ 0x30) }      // ０–９
                if b2 == 0x8E { return (3, UInt8(ascii: ".")) }            // ．
                if b2 &- 0xA1 < 26 { return (3, b2 &- 0xA1 &+ 0x41) }      // Ａ–Ｚ
            } else if b1 == 0xBD {
                if b2 &- 0x81 < 26 { return (3, b2 &- 0x81 &+ 0x61) }      // ａ–ｚ
            } else if b1 == 0xBB, b2 == 0xBF {
                return (3, nil)                                           // U+FEFF
            }
        case 0xE2:
            guard index + 2 < count else { return (0, nil) }
            let b1 = bytes[index + 1], b2 = bytes[index + 2]
            if b1 == 0x80, b2 &- 0x8B < 3 { return (3, nil) }             // U+200B–200D
            if b1 == 0x81, b2 == 0xA0 { return (3, nil) }                  // U+2060
        case 0xC2:
            guard index + 1 < count else { return (0, nil) }
            if bytes[index + 1] == 0xAD { return (2, nil) }                // U+00AD
        default:
            break
        }
        return (0, nil)
    }

    /// How many bytes at the end of `bytes` (0–3) are an incomplete UTF-8 sequence, which may
    /// be a trigger sequence or a site (see ``ContextualNormalisation``) the next chunk
    /// completes. Those bytes are held back until it arrives.
    static func incompleteSuffix(_ bytes: UnsafeRawBufferPointer) -> Int {
        let count = bytes.count
        var back = 1
        while back <= min(3, count) {
            let byte = bytes[count - back]
            if byte & 0xC0 != 0x80 {
                return byte >= 0xC0 && sequenceLength(lead: byte) > back ? back : 0
            }
            back += 1
        }
        return 0
    }

    /// The length of the UTF-8 sequence a byte leads (1 for anything else).
    @inline(__always)
    static func sequenceLength(lead: UInt8) -> Int {
        lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    /// Normalises `raw` into `output` and records every edit in `offsets`; `start` is the
    /// normalised offset of the first output byte.
    static func normalise(_ raw: UnsafeRawBufferPointer, into output: inout [UInt8], start: Int, offsets: inout OffsetMap) {
        output.removeAll(keepingCapacity: true)
        output.reserveCapacity(raw.count)
        guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let count = raw.count
        var index = 0
        var copiedUpTo = 0
        while index < count {
            let byte = base[index]
            // Lead bytes of trigger sequences only; everything else is copied in runs.
            guard byte == 0xEF || byte == 0xE2 || byte == 0xC2 else {
                index &+= 1
                continue
            }
            let (length, replacement) = trigger(in: base, at: index, count: count)
            guard length > 0 else {
                index &+= 1
                continue
            }
            output.append(contentsOf: UnsafeBufferPointer(start: base + copiedUpTo, count: index - copiedUpTo))
            if let replacement {
                output.append(replacement)
                offsets.record(boundary: start + output.count, removed: length - 1, trailing: true)
            } else {
                offsets.record(boundary: start + output.count, removed: length, trailing: false)
            }
            index += length
            copiedUpTo = index
        }
        output.append(contentsOf: UnsafeBufferPointer(start: base + copiedUpTo, count: count - copiedUpTo))
    }

    /// Applies the same normalisation to a keyword, and additionally folds full-width
    /// punctuation (U+FF01–FF5E) to ASCII and U+3000 to a space: the canonical form
    /// ``PatternVariants`` expands.
    static func canonicalPattern(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var index = 0
            while index < buffer.count {
                let (length, replacement) = trigger(in: base, at: index, count: buffer.count)
                if length > 0 {
                    if let replacement { result.append(replacement) }
                    index += length
                    continue
                }
                if let ascii = fullWidthPunctuation(in: base, at: index, count: buffer.count) {
                    result.append(ascii)
                    index += 3
                    continue
                }
                if index + 2 < buffer.count, base[index] == 0xE3, base[index + 1] == 0x80, base[index + 2] == 0x80 {
                    result.append(UInt8(ascii: " "))
                    index += 3
                    continue
                }
                result.append(base[index])
                index += 1
            }
        }
        return result
    }

    /// The ASCII byte a full-width character U+FF01–FF5E at `index` stands for.
    @inline(__always)
    static func fullWidthPunctuation(in bytes: UnsafePointer<UInt8>, at index: Int, count: Int) -> UInt8? {
        guard index + 2 < count, bytes[index] == 0xEF else { return nil }
        let b1 = bytes[index + 1], b2 = bytes[index + 2]
        let scalar: UInt32
        if b1 == 0xBC, b2 &- 0x81 < 0x3F {
            scalar = 0xFF00 + UInt32(b2 - 0x80)
        } else if b1 == 0xBD, b2 &- 0x80 < 0x1F {
            scalar = 0xFF40 + UInt32(b2 - 0x80)
        } else {
            return nil
        }
        return UInt8(scalar - 0xFEE0)
    }
}

/// Maps offsets in the normalised text back to the original stream.
///
/// Every rewrite is an *edit* at a normalised boundary `b` that removed `d` original bytes:
///
/// - a replacement (three bytes become one) is *trailing*: its extra bytes belong to the
///   output byte just before `b`, so both a match ending at `b` and one starting at `b`
///   count them;
/// - a removal (a zero-width character) is *free*: a match starting at `b` starts after it,
///   a match ending at `b` ends before it.
///
/// Edits older than the scanner's window are folded into a base shift.
struct OffsetMap {
    private var boundaries: [Int] = []
    /// Bytes removed by every edit up to and including this one.
    private var cumulative: [Int] = []
    private var removed: [Int] = []
    private var trailing: [Bool] = []
    /// First listed edit still needed.
    private var head = 0
    /// Bytes removed by edits before `head`.
    private var baseShift = 0
    /// Bytes removed by every edit so far.
    private(set) var totalShift = 0

    mutating func record(boundary: Int, removed amount: Int, trailing isTrailing: Bool) {
        boundaries.append(boundary)
        removed.append(amount)
        trailing.append(isTrailing)
        totalShift += amount
        cumulative.append(totalShift)
    }

    private var lastBoundary: Int { head < boundaries.count ? boundaries[boundaries.count - 1] : Int.min }

    /// The original offset of a match starting at normalised offset `offset`.
    func start(_ offset: Int) -> Int {
        if offset >= lastBoundary { return offset + totalShift }
        return offset + shift(at: offset, includingFreeAtOffset: true)
    }

    /// The original offset of a match ending at normalised offset `offset`.
    func end(_ offset: Int) -> Int {
        if offset > lastBoundary { return offset + totalShift }
        return offset + shift(at: offset, includingFreeAtOffset: false)
    }

    /// Bytes removed by edits with boundary < offset, plus those at == offset that are
    /// trailing (or free, when asked).
    private func shift(at offset: Int, includingFreeAtOffset: Bool) -> Int {
        // One past the last listed edit with boundary <= offset.
        var low = head, high = boundaries.count
        while low < high {
            let middle = (low + high) / 2
            if boundaries[middle] <= offset { low = middle + 1 } else { high = middle }
        }
        var index = low - 1
        guard index >= head else { return baseShift }
        var sum = cumulative[index]
        if !includingFreeAtOffset {
            while index >= head, boundaries[index] == offset {
                if !trailing[index] { sum -= removed[index] }
                index -= 1
            }
        }
        return sum
    }

    /// Forgets edits before `offset`; later queries are never below it.
    mutating func prune(below offset: Int) {
        var newHead = head
        while newHead < boundaries.count, boundaries[newHead] < offset { newHead += 1 }
        guard newHead != head else { return }
        baseShift = cumulative[newHead - 1]
        head = newHead
        if head == boundaries.count {
            boundaries.removeAll(keepingCapacity: true)
            cumulative.removeAll(keepingCapacity: true)
            removed.removeAll(keepingCapacity: true)
            trailing.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024, head * 2 > boundaries.count {
            boundaries.removeFirst(head)
            cumulative.removeFirst(head)
            removed.removeFirst(head)
            trailing.removeFirst(head)
            head = 0
        }
    }
}
