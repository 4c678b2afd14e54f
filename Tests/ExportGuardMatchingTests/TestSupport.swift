@testable import ExportGuardMatching
import ExportGuardCore

/// A small seeded generator so property tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Feeds `text` to a fresh scanner in chunks of the given sizes (cycled) and returns every match.
func scan(_ matcher: Matcher, _ text: [UInt8], chunkSizes: [Int] = [Int.max]) -> [Match] {
    var scanner = matcher.makeScanner()
    var matches: [Match] = []
    var offset = 0
    var turn = 0
    while offset < text.count {
        let size = max(1, min(chunkSizes[turn % chunkSizes.count], text.count - offset))
        scanner.feed(Array(text[offset..<(offset + size)]), into: &matches)
        offset += size
        turn += 1
    }
    scanner.finish(into: &matches)
    return matches
}

func literalMatches(_ matches: [Match]) -> [LiteralMatch] {
    matches.compactMap { if case .literal(let m) = $0 { m } else { nil } }
        .sorted { ($0.end, $0.pattern) < ($1.end, $1.pattern) }
}

func detectorMatches(_ matches: [Match]) -> [DetectorMatch] {
    matches.compactMap { if case .detector(let m) = $0 { m } else { nil } }
        .sorted { ($0.start, $0.end, $0.detector.rawValue) < ($1.start, $1.end, $1.detector.rawValue) }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Feeds `text` in chunks of the given sizes with a matcher built from `patterns` (and `detectors`).
func makeMatcher(_ patterns: [LiteralPattern], detectors: Set<DetectorKind> = [], literalFilter: Bool = true) -> Matcher {
    var set = PatternSet(detectors: detectors)
    for pattern in patterns { set.add(pattern) }
    return Matcher(set, literalFilter: literalFilter)
}

/// The normalisation the matcher promises, written the slow and obvious way: every
/// full-width ASCII character (U+FF01–FF5E) becomes ASCII, U+3000 a space, zero-width
/// characters disappear. For each output byte: the original byte range it stands for.
func referenceNormalisation(_ bytes: [UInt8]) -> (bytes: [UInt8], starts: [Int], ends: [Int]) {
    var output: [UInt8] = [], starts: [Int] = [], ends: [Int] = []
    var offset = 0
    for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
        let encoded = Array(String(scalar).utf8)
        let value = scalar.value
        let replacement: [UInt8]
        if (0xFF01...0xFF5E).contains(value) {
            replacement = [UInt8(value - 0xFEE0)]
        } else if value == 0x3000 {
            replacement = [0x20]
        } else if [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0xAD].contains(value) {
            replacement = []
        } else {
            replacement = encoded
        }
        for (k, byte) in replacement.enumerated() {
            output.append(byte)
            if replacement == encoded {
                starts.append(offset + k)
                ends.append(offset + k + 1)
            } else {
                starts.append(offset)
                ends.append(offset + encoded.count)
            }
        }
        offset += encoded.count
    }
    return contextualReference(output, starts, ends)
}

/// The contextual normalisation, the slow way, on the first stage's output: variation
/// selectors go, symbol-font stars and compatibility ideographs become what they stand for,
/// then every run of at most eight separators after an ideograph of U+4000–9FFF and before an
/// ideograph or a marking star goes.
func contextualReference(_ bytes: [UInt8], _ starts: [Int], _ ends: [Int]) -> (bytes: [UInt8], starts: [Int], ends: [Int]) {
    // Scalars with the original range each stands for.
    var scalars: [(scalar: Unicode.Scalar, start: Int, end: Int, replaced: Bool)] = []
    var index = 0
    for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
        let length = String(scalar).utf8.count
        let range = (starts[index], ends[index + length - 1])
        index += length
        if (0xFE00...0xFE0F).contains(scalar.value) { continue }
        if let folded = (0xF020...0xF0FF).contains(scalar.value)
            ? SymbolFontCharacters.unicode(font: nil, code: scalar.value) : CompatibilityIdeographs.table[scalar] {
            scalars.append((folded, range.0, range.1, true))
        } else {
            scalars.append((scalar, range.0, range.1, false))
        }
    }
    func isIdeograph(_ s: Unicode.Scalar) -> Bool { (0x3400...0x9FFF).contains(s.value) }
    func isSeparator(_ s: Unicode.Scalar) -> Bool { [" ", "\t", "\n", "\r", "\u{A0}"].contains(s) }
    var kept: [Bool] = Array(repeating: true, count: scalars.count)
    var k = 0
    while k < scalars.count {
        guard isSeparator(scalars[k].scalar) else { k += 1; continue }
        var end = k
        while end < scalars.count, isSeparator(scalars[end].scalar) { end += 1 }
        if k > 0, end - k <= 8, end < scalars.count, (0x4000...0x9FFF).contains(scalars[k - 1].scalar.value),
           isIdeograph(scalars[end].scalar) || ContextualNormalisation.isStar(scalars[end].scalar) {
            for j in k..<end { kept[j] = false }
        }
        k = end
    }
    var output: [UInt8] = [], outStarts: [Int] = [], outEnds: [Int] = []
    for (entry, keep) in zip(scalars, kept) where keep {
        let encoded = Array(String(entry.scalar).utf8)
        let original = entry.end - entry.start
        for (j, byte) in encoded.enumerated() {
            output.append(byte)
            if !entry.replaced, encoded.count == original {
                outStarts.append(entry.start + j)
                outEnds.append(entry.start + j + 1)
            } else {
                outStarts.append(entry.start)
                outEnds.append(entry.end)
            }
        }
    }
    return (output, outStarts, outEnds)
}

/// The reference search: normalise text and patterns, try every pattern at every offset of
/// the normalised text, map the result back to original offsets.
func naiveSearch(_ patterns: [LiteralPattern], _ text: [UInt8]) -> [LiteralMatch] {
    let (normal, starts, ends) = referenceNormalisation(text)
    var result: [LiteralMatch] = []
    for (id, pattern) in patterns.enumerated() {
        var p = referenceNormalisation(pattern.bytes).bytes
        // Keywords lose separators at either end (see PatternVariants.canonicalForm).
        var trimmed = String(decoding: p, as: UTF8.self)
        while let first = trimmed.unicodeScalars.first, [" ", "\t", "\n", "\r", "\u{A0}"].contains(first) { trimmed.unicodeScalars.removeFirst() }
        while let last = trimmed.unicodeScalars.last, [" ", "\t", "\n", "\r", "\u{A0}"].contains(last) { trimmed.unicodeScalars.removeLast() }
        p = Array(trimmed.utf8)
        guard !p.isEmpty, p.count <= normal.count else { continue }
        for start in 0...(normal.count - p.count) {
            let slice = normal[start..<(start + p.count)]
            let equal = pattern.caseInsensitive
                ? zip(slice, p).allSatisfy { $0.asciiLowercased == $1.asciiLowercased }
                : slice.elementsEqual(p)
            guard equal else { continue }
            if pattern.wholeWord {
                if p.first!.isASCIIWordByte, start > 0, normal[start - 1].isASCIIWordByte { continue }
                let end = start + p.count
                if p.last!.isASCIIWordByte, end < normal.count, normal[end].isASCIIWordByte { continue }
            }
            result.append(LiteralMatch(pattern: id, start: starts[start], end: ends[start + p.count - 1]))
        }
    }
    return result.sorted { ($0.end, $0.pattern) < ($1.end, $1.pattern) }
}
