/// Collects one header block (RFC 5322) — of a message or of a MIME part — line by line as
/// the ``MIMEDecoder`` hands it over, unfolds continuation lines and keeps what inspection
/// needs: the MIME structure fields, and the header text a person wrote (the subject, the
/// display names of senders and recipients, descriptions, attachment file names) after
/// decoding RFC 2047 encoded words. Holds at most `maxBytes` of the block; the rest of an
/// oversized block is skipped up to the blank line and reported by the caller.
final class MailHeaderBlock {
    enum LineResult {
        /// More header lines may follow.
        case more
        /// The blank line: the body starts after it.
        case end
        /// A line that is not a header field: the block ended without a blank line and the
        /// body starts with this line.
        case bodyStarts([UInt8])
    }

    let maxBytes: Int
    /// Blank or white-space lines before the first field are skipped (a message's own
    /// header: iPhone and webmail clients write one); in a MIME part they end the block.
    let skipsLeadingBlankLines: Bool
    private var sawField = false
    private(set) var byteCount = 0
    private(set) var overflowed = false
    private var line: [UInt8] = []
    private var lineLength = 0
    private var field: [UInt8] = []

    private(set) var contentType: MIMEParameters?
    private(set) var disposition: MIMEParameters?
    private(set) var transferEncoding: String?
    /// Text to inspect, in the order of the fields: the header's name as written in a
    /// location (`Subject:`) and the decoded text.
    private(set) var texts: [(header: String, text: String)] = []

    /// Unstructured fields whose text is inspected, by lowercased name, with the name shown.
    static let textFields: [String: String] = [
        "subject": "Subject:", "comments": "Comments:", "keywords": "Keywords:",
        "content-description": "Content-Description:", "thread-topic": "Thread-Topic:",
    ]
    /// Address fields whose display names are inspected.
    static let addressFields: [String: String] = [
        "from": "From:", "sender": "Sender:", "reply-to": "Reply-To:", "to": "To:", "cc": "Cc:", "bcc": "Bcc:",
    ]

    init(maxBytes: Int, skipsLeadingBlankLines: Bool = false) {
        self.maxBytes = maxBytes
        self.skipsLeadingBlankLines = skipsLeadingBlankLines
    }

    /// The next bytes of the current line. True when they take the block over the limit
    /// (reported once by the caller).
    func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        lineLength += bytes.count
        if overflowed {
            byteCount += bytes.count
            return false
        }
        line.append(contentsOf: bytes)
        return charge(bytes.count)
    }

    /// The current line ended with a line break of `eolLength` bytes.
    func endLine(eolLength: Int) -> (result: LineResult, overLimit: Bool) {
        var over = false
        if overflowed {
            byteCount += eolLength
        } else {
            over = charge(eolLength)
        }
        let length = lineLength
        let current = line
        line.removeAll(keepingCapacity: true)
        lineLength = 0
        if skipsLeadingBlankLines, !sawField, !overflowed, current.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            return (.more, over)
        }
        if length == 0 {
            completeField()
            return (.end, over)
        }
        if overflowed { return (.more, over) }
        if current[0] == 0x20 || current[0] == 0x09 {
            // A continuation: unfolding removes only the line break.
            if field.isEmpty { return (.bodyStarts(current), over) }
            field.append(contentsOf: current)
            return (.more, over)
        }
        completeField()
        if Self.fieldNameEnd(current) == nil { return (.bodyStarts(current), over) }
        field = current
        sawField = true
        return (.more, over)
    }

    /// The block ended without its blank line (a boundary or the end of the input).
    func finish() {
        if !overflowed, !line.isEmpty {
            if line[0] == 0x20 || line[0] == 0x09 {
                if !field.isEmpty { field.append(contentsOf: line) }
            } else if Self.fieldNameEnd(line) != nil {
                completeField()
                field = line
            }
        }
        line.removeAll()
        lineLength = 0
        completeField()
    }

    /// Counts bytes against the limit; true when they take the block over it. The field
    /// before the current line is complete and kept; the rest is dropped.
    private func charge(_ count: Int) -> Bool {
        byteCount += count
        guard byteCount > maxBytes else { return false }
        overflowed = true
        if line.first.map({ $0 != 0x20 && $0 != 0x09 }) ?? true { completeField() }
        line.removeAll()
        field.removeAll()
        return true
    }

    /// Where the colon of a header field line is: a name of printable ASCII, then `:`
    /// (white space before the colon is obsolete syntax, still accepted).
    static func fieldNameEnd(_ line: some Collection<UInt8>) -> Int? {
        var index = 0
        var sawName = false
        var sawSpace = false
        for byte in line {
            if byte == UInt8(ascii: ":") { return sawName ? index : nil }
            if byte == 0x20 || byte == 0x09 {
                guard sawName else { return nil }
                sawSpace = true
            } else {
                guard byte > 0x20, byte < 0x7F, !sawSpace else { return nil }
                sawName = true
            }
            index += 1
        }
        return nil
    }

    private func completeField() {
        guard !field.isEmpty else { return }
        defer { field.removeAll(keepingCapacity: true) }
        guard let colon = Self.fieldNameEnd(field) else { return }
        let name = String(decoding: MIMEParameters.trimmed(Array(field[..<colon])), as: UTF8.self).lowercased()
        let value = MIMEParameters.trimmed(Array(field[(colon + 1)...]))
        switch name {
        case "content-type":
            guard contentType == nil else { return }
            let parsed = MIMEParameters(parsing: value)
            contentType = parsed
            addText("Content-Type:", parsed["name"])
        case "content-disposition":
            guard disposition == nil else { return }
            let parsed = MIMEParameters(parsing: value)
            disposition = parsed
            addText("Content-Disposition:", parsed["filename"])
        case "content-transfer-encoding":
            guard transferEncoding == nil else { return }
            transferEncoding = MIMEParameters(parsing: value).value
        default:
            if let shown = Self.textFields[name] {
                addText(shown, EncodedWordDecoder.decode(value))
            } else if let shown = Self.addressFields[name] {
                addText(shown, AddressList.displayNames(value).joined(separator: ", "))
            }
        }
    }

    private func addText(_ header: String, _ text: String?) {
        guard let text else { return }
        let trimmed = text.trimmingWhitespace
        if !trimmed.isEmpty { texts.append((header, trimmed)) }
    }
}

/// The display names in an address list (`"张三" <a@b.cn>, =?GB2312?B?...?= <c@d.cn>,
/// e@f.cn (李四), 项目组: g@h.cn;`): phrases before angle addresses, comments, group names,
/// and bare words that are no address at all. Addresses themselves are not returned.
enum AddressList {
    static func displayNames(_ value: [UInt8]) -> [String] {
        var names: [String] = []
        var phrase: [UInt8] = []
        var comments: [[UInt8]] = []
        var comment: [UInt8] = []
        var sawAngle = false
        var inQuotes = false
        var inAngle = false
        var depth = 0
        var escaped = false

        func add(_ bytes: [UInt8]) {
            let text = EncodedWordDecoder.decode(bytes).trimmingWhitespace
            if !text.isEmpty { names.append(text) }
        }
        func endMailbox() {
            if sawAngle || !phrase.contains(UInt8(ascii: "@")) { add(phrase) }
            for text in comments { add(text) }
            phrase = []
            comments = []
            sawAngle = false
        }

        for byte in value {
            if escaped {
                escaped = false
                if depth > 0 { comment.append(byte) } else { phrase.append(byte) }
                continue
            }
            if depth > 0 {
                switch byte {
                case UInt8(ascii: "\\"): escaped = true
                case UInt8(ascii: "("): depth += 1; comment.append(byte)
                case UInt8(ascii: ")"):
                    depth -= 1
                    if depth == 0 {
                        comments.append(comment)
                        comment = []
                    } else {
                        comment.append(byte)
                    }
                default: comment.append(byte)
                }
                continue
            }
            if inQuotes {
                switch byte {
                case UInt8(ascii: "\\"): escaped = true
                case UInt8(ascii: "\""): inQuotes = false
                default: phrase.append(byte)
                }
                continue
            }
            if inAngle {
                if byte == UInt8(ascii: ">") { inAngle = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inQuotes = true
            case UInt8(ascii: "("): depth = 1
            case UInt8(ascii: "<"):
                inAngle = true
                sawAngle = true
            case UInt8(ascii: ","), UInt8(ascii: ";"):
                endMailbox()
            case UInt8(ascii: ":"):
                // A group's name.
                add(phrase)
                phrase = []
            default:
                phrase.append(byte)
            }
        }
        if depth > 0 { comments.append(comment) }
        endMailbox()
        return names
    }
}

extension String {
    /// Without white space (and line breaks) at either end.
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
