/// Decodes RFC 2047 encoded words (`=?GB2312?B?u/rD3A==?=`, `=?utf-8?Q?=E6=9C=BA?=`) in
/// header text. White space between two encoded words is dropped; adjacent words in the
/// same charset are joined before they are converted, so a character split between them
/// (some encoders do that) survives. Text outside encoded words is raw header bytes:
/// see ``MailCharset/decodeRaw(_:)``. Charsets go through glibc's iconv.
enum EncodedWordDecoder {
    /// Longest charset name taken in an encoded word.
    static let maxCharsetLength = 64

    static func decode(_ raw: some Collection<UInt8>) -> String {
        let bytes = Array(raw)
        var output = ""
        var literal: [UInt8] = []
        var gap: [UInt8] = []
        var lastWasWord = false
        var pending: (charset: String, bytes: [UInt8])?

        func flushPending() {
            if let word = pending {
                output += MailCharset.decode(word.bytes, charset: word.charset)
                pending = nil
            }
        }
        func flushLiteral() {
            if !literal.isEmpty {
                output += MailCharset.decodeRaw(literal)
                literal.removeAll()
            }
        }

        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "="), let word = encodedWord(in: bytes, at: index) {
                if !lastWasWord { literal += gap }
                gap.removeAll()
                if !literal.isEmpty {
                    flushPending()
                    flushLiteral()
                }
                if let current = pending, current.charset == word.charset {
                    pending = (current.charset, current.bytes + word.bytes)
                } else {
                    flushPending()
                    pending = (word.charset, word.bytes)
                }
                lastWasWord = true
                index = word.end
                continue
            }
            let byte = bytes[index]
            if lastWasWord, byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A {
                gap.append(byte)
            } else {
                if lastWasWord {
                    literal += gap
                    gap.removeAll()
                    lastWasWord = false
                    flushPending()
                }
                literal.append(byte)
            }
            index += 1
        }
        literal += gap
        flushPending()
        flushLiteral()
        return output
    }

    /// The encoded word starting at `start` (`=?charset?B|Q?text?=`), decoded to bytes in
    /// its charset, and the index after it.
    private static func encodedWord(in bytes: [UInt8], at start: Int) -> (charset: String, bytes: [UInt8], end: Int)? {
        guard start + 1 < bytes.count, bytes[start + 1] == UInt8(ascii: "?") else { return nil }
        var index = start + 2
        let charsetStart = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "?") {
            let byte = bytes[index]
            guard byte > 0x20, byte < 0x7F, index - charsetStart < maxCharsetLength else { return nil }
            index += 1
        }
        guard index > charsetStart, index + 2 < bytes.count, bytes[index + 2] == UInt8(ascii: "?") else { return nil }
        var charset = String(decoding: bytes[charsetStart..<index], as: UTF8.self)
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }
        charset = charset.lowercased()
        let encoding = bytes[index + 1] | 0x20
        guard encoding == UInt8(ascii: "b") || encoding == UInt8(ascii: "q") else { return nil }
        let textStart = index + 3
        index = textStart
        while index < bytes.count, bytes[index] != UInt8(ascii: "?") {
            let byte = bytes[index]
            guard byte > 0x20, byte != 0x7F else { return nil }
            index += 1
        }
        guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "=") else { return nil }
        let text = bytes[textStart..<index]
        let decoded = encoding == UInt8(ascii: "b")
            ? Base64StreamDecoder.decodeLeniently(text)
            : QuotedPrintableStreamDecoder.decodeQ(text)
        return (charset, decoded, index + 2)
    }
}
