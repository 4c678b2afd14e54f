/// The byte strings the automaton compiles for one keyword, so that the keyword matches the
/// text (see ``TextNormalisation``) whatever mix of ASCII and full-width punctuation, and
/// of spaces and U+3000, the text uses.
///
/// The keyword is first brought to its canonical form (full-width ASCII to ASCII, U+3000 to a
/// space, zero-width characters removed). The text is searched with full-width letters and
/// digits already folded but full-width punctuation and U+3000 left as written, so every
/// ASCII punctuation character and space of the keyword is compiled in both spellings:
/// `export-controlled` also as `export－controlled`, `top secret` as `top　secret`,
/// `（秘密）` as `(秘密)`, `(秘密）`, `（秘密)` and itself. At one end offset at most one
/// spelling can match (they differ in their last bytes), so each keyword is still reported
/// once per end offset.
enum PatternVariants {
    /// Keywords with more punctuation and spaces than this get only the all-ASCII and
    /// all-full-width spellings instead of every mix (2^n strings).
    static let maximumMixedPunctuation = 4

    static func variants(of pattern: LiteralPattern) -> [LiteralPattern] {
        let canonical = canonicalForm(pattern.bytes)
        guard !canonical.isEmpty else { return [] }
        let punctuation = canonical.indices.filter { canonical[$0].isASCIIPunctuation || canonical[$0] == UInt8(ascii: " ") }
        func spelling(_ fullWidth: (Int) -> Bool) -> LiteralPattern {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(canonical.count + 2 * punctuation.count)
            var which = 0
            for (index, byte) in canonical.enumerated() {
                if which < punctuation.count, punctuation[which] == index {
                    if fullWidth(which) {
                        let wide = byte == UInt8(ascii: " ") ? TextNormalisation.ideographicSpace : TextNormalisation.fullWidthBytes(of: byte)
                        bytes.append(contentsOf: wide)
                    } else {
                        bytes.append(byte)
                    }
                    which += 1
                } else {
                    bytes.append(byte)
                }
            }
            return LiteralPattern(bytes: bytes, caseInsensitive: pattern.caseInsensitive, wholeWord: pattern.wholeWord)
        }
        if punctuation.isEmpty { return [spelling { _ in false }] }
        if punctuation.count > maximumMixedPunctuation {
            return [spelling { _ in false }, spelling { _ in true }]
        }
        return (0..<(1 << punctuation.count)).map { mask in spelling { mask & (1 << $0) != 0 } }
    }
}

extension PatternVariants {
    /// The keyword normalised as the text is (``TextNormalisation``, then
    /// ``ContextualNormalisation``), without separators at either end: text loses the
    /// separators next to ideographs, so a keyword that began or ended with one could match
    /// where the text no longer has it.
    static func canonicalForm(_ bytes: [UInt8]) -> [UInt8] {
        var result = ContextualNormalisation.apply(TextNormalisation.canonicalPattern(bytes))
        let separators: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        while true {
            if let first = result.first, separators.contains(first) {
                result.removeFirst()
            } else if result.count >= 2, result[0] == 0xC2, result[1] == 0xA0 {
                result.removeFirst(2)
            } else {
                break
            }
        }
        while true {
            if let last = result.last, separators.contains(last) {
                result.removeLast()
            } else if result.count >= 2, result[result.count - 2] == 0xC2, result[result.count - 1] == 0xA0 {
                result.removeLast(2)
            } else {
                break
            }
        }
        return result
    }
}

extension UInt8 {
    /// Printable ASCII that is neither a letter nor a digit (nor a space).
    var isASCIIPunctuation: Bool {
        (0x21...0x7E).contains(self) && !isASCIILetter && !(self &- 0x30 < 10)
    }
}
