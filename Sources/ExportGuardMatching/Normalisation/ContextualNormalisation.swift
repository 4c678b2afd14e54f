import CByteMasks
import ExportGuardCore

/// The second stage of normalisation: rewrites that depend on the characters around them,
/// or that are too rare to be worth a copy of the whole chunk, applied only around the
/// places that need them (see ``MatchScanner``).
///
/// - **Separators between ideographs** carry no meaning: a run of at most
///   ``maximumSeparators`` spaces, tabs, line breaks (LF, CR), no-break spaces (U+00A0) or
///   ideographic spaces (U+3000) after a CJK ideograph (U+4000–9FFF, after folding) and
///   before another (U+3400–9FFF) or the star of a marking is removed (`机 密`, `国家\n秘密`,
///   `机密 ★`).
/// - **Compatibility ideographs and radicals** become the ideograph they stand for
///   (``CompatibilityIdeographs``).
/// - **Symbol-font characters** (private use U+F020–F0FF) become the star they draw
///   (``SymbolFontCharacters``; without a font, Wingdings: its stars are U+F0AA–F0B5).
/// - **Variation selectors** (U+FE00–FE0F, as after an emoji star) are removed.
///
/// A stretch of text gets these rewrites only where a *site* starts: a continuation byte
/// followed by a separator, or the lead bytes of a character that may be rewritten. Both
/// the literal filter and the automaton find sites in the pass they make anyway.
enum ContextualNormalisation {
    /// Separators in one run, at most.
    static let maximumSeparators = 8
    /// Bytes a run takes at most (eight ideographic spaces, and as many variation selectors
    /// inside it).
    static let maximumRunBytes = 6 * maximumSeparators

    /// One rewrite: output bytes `outputStart..<outputEnd` stand for input bytes
    /// `inputStart..<inputEnd` (a removal has an empty output range).
    struct Edit {
        var inputStart: Int
        var inputEnd: Int
        var outputStart: Int
        var outputEnd: Int
    }

    /// Whether a site may start at `index`: what the automaton's site patterns stand for,
    /// and the scan when the literal filter listed more sites than it could hold (the
    /// filter's own checks, `separator_run_before` and `rare_site_at`, find the same sites).
    @inline(__always)
    static func isSiteCandidate(_ bytes: UnsafePointer<UInt8>, at index: Int, count: Int) -> Bool {
        let a = bytes[index]
        guard index + 1 < count else { return false }
        let b = bytes[index + 1]
        if a & 0xC0 == 0x80 {
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { return true }
            if b == 0xC2 { return index + 2 < count && bytes[index + 2] == 0xA0 }
            if b == 0xE3 { return index + 3 < count && bytes[index + 2] == 0x80 && bytes[index + 3] == 0x80 }
            return false
        }
        if a == 0xE2 { return b >= 0xBA && b <= 0xBF }
        if a == 0xEF { return (b >= 0xA4 && b <= 0xAB) || b == 0x82 || b == 0xB8 }
        if a == 0xF0 { return b == 0xAF }
        return false
    }

    /// The patterns the automaton looks for as sites (its own form of ``isSiteCandidate``).
    static let sitePatterns: [[UInt8]] = {
        var result: [[UInt8]] = []
        for continuation in UInt8(0x80)...UInt8(0xBF) {
            for separator: [UInt8] in [[0x20], [0x09], [0x0A], [0x0D], [0xC2, 0xA0], [0xE3, 0x80, 0x80]] {
                result.append([continuation] + separator)
            }
        }
        for second in UInt8(0xBA)...UInt8(0xBF) { result.append([0xE2, second]) }
        for second in Array(UInt8(0xA4)...UInt8(0xAB)) + [0x82, 0xB8] { result.append([0xEF, second]) }
        result.append([0xF0, 0xAF])
        return result
    }()

    /// Whether the character whose first two bytes are `lead` and `second` may have a
    /// ``replacement(for:)``: a radical (E2 BA–BF), a symbol-font character (EF 80–83), a
    /// compatibility ideograph (EF A4–AB, F0 AF) or a variation selector (EF B8). Most
    /// characters with these lead bytes are punctuation (“”、，), which this rules out
    /// before any decoding.
    @inline(__always)
    static func mayBeReplaced(lead: UInt8, second: UInt8) -> Bool {
        switch lead {
        case 0xE2: return second >= 0xBA && second <= 0xBF
        case 0xEF: return second <= 0x83 || (second >= 0xA4 && second <= 0xAB) || second == 0xB8
        case 0xF0: return second == 0xAF
        default: return false
        }
    }

    /// Length of the separator starting at `index` (0 when none or cut by the end).
    @inline(__always)
    static func separatorLength(_ bytes: UnsafePointer<UInt8>, at index: Int, count: Int) -> Int {
        let a = bytes[index]
        if a == 0x20 || a == 0x09 || a == 0x0A || a == 0x0D { return 1 }
        if a == 0xC2, index + 1 < count, bytes[index + 1] == 0xA0 { return 2 }
        if a == 0xE3, index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] == 0x80 { return 3 }
        return 0
    }

    /// Whether the three bytes from `index` are a variation selector (U+FE00–FE0F), which
    /// a run of separators may hold.
    @inline(__always)
    static func isVariationSelector(_ bytes: UnsafePointer<UInt8>, at index: Int, count: Int) -> Bool {
        index + 2 < count && bytes[index] == 0xEF && bytes[index + 1] == 0xB8 && bytes[index + 2] & 0xF0 == 0x80
    }

    /// Whether the three bytes from `index` are a CJK ideograph (U+3400–9FFF).
    @inline(__always)
    static func isIdeograph(_ bytes: UnsafePointer<UInt8>, at index: Int, count: Int) -> Bool {
        guard index >= 0, index + 2 < count else { return false }
        let lead = bytes[index]
        return (lead >= 0xE4 && lead <= 0xE9) || (lead == 0xE3 && bytes[index + 1] >= 0x90)
    }

    /// Whether a run of separators may be removed before the character at `index`: an
    /// ideograph (or a form that becomes one) or a marking star.
    static func foldsBefore(_ bytes: UnsafePointer<UInt8>, at index: Int, count: Int) -> Bool {
        if isIdeograph(bytes, at: index, count: count) { return true }
        guard let (scalar, _) = scalar(bytes, at: index, count: count) else { return false }
        if let folded = replacement(for: scalar) { return (0x3400...0x9FFF).contains(folded.value) || isStar(folded) }
        return isStar(scalar)
    }

    /// The stars of classification markings besides ★ and ☆ (see ``AnchoredDetectors``, which
    /// also takes ＊ and `*`; those are too common elsewhere for separators before them to go).
    static let otherStars: [Unicode.Scalar] = [
        "\u{2731}", "\u{2732}", "\u{2733}", "\u{2734}", "\u{2735}", "\u{2736}", "\u{2737}", "\u{2738}",
        "\u{2739}", "\u{2726}", "\u{272A}", "\u{2730}", "\u{2B50}", "\u{1F31F}", "\u{25B2}", "\u{25B3}", "\u{2217}",
    ]

    static func isStar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\u{2605}" || scalar == "\u{2606}" || otherStars.contains(scalar)
    }

    /// What a rewritable character becomes: its ideograph, its star, or (variation
    /// selectors) U+0000 for nothing.
    static func replacement(for scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar.value {
        case 0xFE00...0xFE0F: return "\u{0}"
        case 0xF020...0xF0FF: return SymbolFontCharacters.unicode(font: nil, code: scalar.value)
        default: return CompatibilityIdeographs.table[scalar]
        }
    }

    /// The scalar starting at `index` and its length, when it is complete and valid.
    static func scalar(_ bytes: UnsafePointer<UInt8>, at index: Int, count: Int) -> (Unicode.Scalar, Int)? {
        guard index >= 0, index < count else { return nil }
        let lead = bytes[index]
        guard lead & 0xC0 != 0x80 else { return nil }
        let length = TextNormalisation.sequenceLength(lead: lead)
        guard index + length <= count else { return nil }
        var value = UInt32(lead) & (length == 1 ? 0x7F : length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<max(length, 1) {
            let byte = bytes[index + k]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    /// Applies every rewrite to `input` and lists the edits. A separator run whose
    /// neighbours are not both inside `input` is left as it is.
    static func apply(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8], edits: inout [Edit]) {
        output.removeAll(keepingCapacity: true)
        edits.removeAll(keepingCapacity: true)
        guard let bytes = input.baseAddress else { return }
        let count = input.count
        output.reserveCapacity(count)
        // The output is the input but for the edits: unchanged bytes are copied in spans, up
        // to each edit or each separator (whose test reads the output before it).
        var copied = 0
        func copy(upTo end: Int) {
            guard end > copied else { return }
            output.append(contentsOf: UnsafeBufferPointer(start: bytes + copied, count: end - copied))
            copied = end
        }
        var index = 0
        while index < count {
            index += eg_find_rewrite_candidate(bytes + index, count - index)
            guard index < count else { break }
            let byte = bytes[index]
            if separatorLength(bytes, at: index, count: count) > 0 {
                // Most separators follow no ideograph (spaces between English words): when
                // the three bytes before are unedited input, they answer without a copy.
                if index - copied >= 3, !(bytes[index - 3] >= 0xE4 && bytes[index - 3] <= 0xE9) {
                    index += 1
                    continue
                }
                copy(upTo: index)
                // Before the run: an ideograph of U+4000–9FFF (the literal filter sees its lead
                // byte, E4–E9, at both pair parities; see `LiteralFilter.triggerBuckets`).
                if output.count >= 3, case let lead = output[output.count - 3], lead >= 0xE4 && lead <= 0xE9 {
                    var end = index
                    var separators = 0
                    var selectors = 0
                    while end < count {
                        if isVariationSelector(bytes, at: end, count: count) {
                            guard selectors < maximumSeparators else { break }
                            end += 3
                            selectors += 1
                            continue
                        }
                        let length = separatorLength(bytes, at: end, count: count)
                        guard length > 0, separators < maximumSeparators else { break }
                        end += length
                        separators += 1
                    }
                    if end < count, separatorLength(bytes, at: end, count: count) == 0, foldsBefore(bytes, at: end, count: count) {
                        edits.append(Edit(inputStart: index, inputEnd: end, outputStart: output.count, outputEnd: output.count))
                        index = end
                        copied = end
                        continue
                    }
                }
                index += 1
                continue
            }
            if index + 1 < count, mayBeReplaced(lead: byte, second: bytes[index + 1]),
               let (scalar, length) = scalar(bytes, at: index, count: count),
               let folded = replacement(for: scalar) {
                copy(upTo: index)
                let start = output.count
                if folded != "\u{0}" { UTF8.encode(folded) { output.append($0) } }
                edits.append(Edit(inputStart: index, inputEnd: index + length, outputStart: start, outputEnd: output.count))
                index += length
                copied = index
                continue
            }
            index += 1
        }
        copy(upTo: count)
    }

    /// ``apply(_:into:edits:)`` for a whole text: what keywords are compiled from.
    static func apply(_ text: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var edits: [Edit] = []
        text.withUnsafeBufferPointer { apply($0, into: &output, edits: &edits) }
        return output
    }
}
