/// One literal to find: UTF-8 bytes plus how to compare them.
public struct LiteralPattern: Sendable, Hashable {
    /// The pattern's UTF-8 bytes as written.
    public var bytes: [UInt8]
    /// ASCII letters match either case. Non-ASCII bytes always match exactly.
    public var caseInsensitive: Bool
    /// An ASCII letter or digit at either end of the pattern must not touch another one
    /// in the text, so `PLA` does not match inside `PLAN`.
    public var wholeWord: Bool

    public init(_ text: String, caseInsensitive: Bool = false, wholeWord: Bool = false) {
        self.init(bytes: Array(text.utf8), caseInsensitive: caseInsensitive, wholeWord: wholeWord)
    }

    public init(bytes: [UInt8], caseInsensitive: Bool = false, wholeWord: Bool = false) {
        self.bytes = bytes
        self.caseInsensitive = caseInsensitive
        self.wholeWord = wholeWord
    }
}

extension UInt8 {
    /// ASCII letter, digit or underscore: what a word boundary separates.
    @inlinable
    var isASCIIWordByte: Bool {
        (self &- 0x30) < 10 || ((self | 0x20) &- 0x61) < 26 || self == 0x5F
    }

    @inlinable
    var isASCIILetter: Bool { ((self | 0x20) &- 0x61) < 26 }

    /// Lower-cases ASCII letters and leaves every other byte alone.
    @inlinable
    var asciiLowercased: UInt8 { isASCIILetter ? self | 0x20 : self }
}
