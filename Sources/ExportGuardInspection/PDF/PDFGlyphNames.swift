/// Glyph names to text, for `/Differences` arrays and named CMap targets: the Adobe Glyph
/// List's `uniXXXX` and `uXXXX` forms, one-letter names, and the names of ASCII's symbols and
/// the common typographic marks (ISO 32000-1 Annex D). Suffixes (`a.sc`, `f_i`) are resolved
/// as the AGL specification says: up to the first period, ligature parts by underscore.
enum PDFGlyphNames {
    private static let names: [String: String] = [
        "space": " ", "exclam": "!", "quotedbl": "\"", "numbersign": "#", "dollar": "$", "percent": "%",
        "ampersand": "&", "quotesingle": "'", "quoteright": "\u{2019}", "parenleft": "(", "parenright": ")",
        "asterisk": "*", "plus": "+", "comma": ",", "hyphen": "-", "period": ".", "slash": "/",
        "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
        "eight": "8", "nine": "9", "colon": ":", "semicolon": ";", "less": "<", "equal": "=", "greater": ">",
        "question": "?", "at": "@", "bracketleft": "[", "backslash": "\\", "bracketright": "]",
        "asciicircum": "^", "underscore": "_", "grave": "`", "quoteleft": "\u{2018}", "braceleft": "{",
        "bar": "|", "braceright": "}", "asciitilde": "~", "bullet": "\u{2022}", "endash": "\u{2013}",
        "emdash": "\u{2014}", "quotedblleft": "\u{201C}", "quotedblright": "\u{201D}", "ellipsis": "\u{2026}",
        "fi": "fi", "fl": "fl", "ff": "ff", "ffi": "ffi", "ffl": "ffl", "nbspace": "\u{00A0}", "minus": "\u{2212}",
        "periodcentered": "\u{00B7}", "degree": "\u{00B0}", "copyright": "\u{00A9}", "registered": "\u{00AE}",
        "trademark": "\u{2122}", "section": "\u{00A7}", "paragraph": "\u{00B6}", "dagger": "\u{2020}",
        "daggerdbl": "\u{2021}", "guillemotleft": "\u{00AB}", "guillemotright": "\u{00BB}", "euro": "\u{20AC}",
        "sterling": "\u{00A3}", "yen": "\u{00A5}", "cent": "\u{00A2}", "multiply": "\u{00D7}", "divide": "\u{00F7}",
    ]

    static func text(for name: String) -> String? {
        // `a.sc` is `a`; `f_i` is `f` then `i`.
        let base = name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? name
        if base.contains("_") {
            let parts = base.split(separator: "_").map { text(for: String($0)) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
            return parts.compactMap { $0 }.joined()
        }
        if let known = names[base] { return known }
        if base.count == 1, let scalar = base.unicodeScalars.first, scalar.isASCII, scalar.properties.isAlphabetic { return base }
        if base.hasPrefix("uni"), base.count >= 7, (base.count - 3) % 4 == 0 {
            var text = ""
            var index = base.index(base.startIndex, offsetBy: 3)
            while index < base.endIndex {
                let next = base.index(index, offsetBy: 4)
                guard let value = UInt32(base[index..<next], radix: 16), let scalar = Unicode.Scalar(value) else { return nil }
                text.unicodeScalars.append(scalar)
                index = next
            }
            return text
        }
        if base.hasPrefix("u"), (5...7).contains(base.count), let value = UInt32(base.dropFirst(), radix: 16), let scalar = Unicode.Scalar(value) {
            return String(scalar)
        }
        return nil
    }
}
