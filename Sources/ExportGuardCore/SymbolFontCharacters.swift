/// Characters of the symbol fonts Word's Insert › Symbol writes (Wingdings, Symbol) as
/// the Unicode characters they draw.
///
/// Such a character is stored by its code in the font, either as `<w:sym w:font="Wingdings"
/// w:char="F0AB"/>` or as a private-use code point U+F020–F0FF in a run set in that font;
/// either way, read as text it says nothing. Only the characters that mean something to
/// detection are listed: the stars of classification markings. A private-use character
/// without a font is read as Wingdings, the font nearly every such star comes from.
public enum SymbolFontCharacters {
    /// Wingdings codes of stars (after Unicode's mapping of the font).
    private static let wingdings: [UInt8: Unicode.Scalar] = [
        0xAA: "\u{2726}", 0xAB: "\u{2605}", 0xAC: "\u{2736}", 0xAD: "\u{2734}",
        0xAE: "\u{2739}", 0xAF: "\u{2735}", 0xB4: "\u{272A}", 0xB5: "\u{2730}",
    ]
    /// Symbol's asterisk operator.
    private static let symbol: [UInt8: Unicode.Scalar] = [0x2A: "\u{2217}"]

    /// The Unicode character `code` stands for in `font` (a `w:char` value such as 0xF0AB
    /// or 0xAB, or a private-use scalar), or nil when the font or the code is not listed.
    public static func unicode(font: String?, code: UInt32) -> Unicode.Scalar? {
        guard code <= 0xFF || (0xF000...0xF0FF).contains(code) else { return nil }
        let byte = UInt8(code & 0xFF)
        switch font?.lowercased() {
        case "symbol": return symbol[byte]
        case nil, "wingdings": return wingdings[byte]
        default: return nil
        }
    }
}
