/// The text of a PowerPoint 97–2003 presentation ([MS-PPT]), also WPS Office's `.dps`:
/// the "PowerPoint Document" stream is a tree of records; the text is in its atoms —
/// TextCharsAtom (UTF-16), TextBytesAtom (8-bit) and CString (names, comments, notes).
enum PowerPointBinaryText {
    enum Failure: Error, Equatable {
        case encrypted
        case corrupt(String)
    }

    /// Containers nested at most.
    static let maxDepth = 64

    static func text(_ document: [UInt8]) throws(Failure) -> [UInt8] {
        var output: [UInt8] = []
        var pending: [(start: Int, end: Int, depth: Int)] = [(0, document.count, 0)]
        var sawRecord = false
        while let (start, end, depth) = pending.popLast() {
            var offset = start
            var children: [(Int, Int, Int)] = []
            while offset + 8 <= end {
                let version = Int(document[offset]) & 0x0F
                let type = Int(document[offset + 2]) | Int(document[offset + 3]) << 8
                let length = Int(document[offset + 4]) | Int(document[offset + 5]) << 8 | Int(document[offset + 6]) << 16 | Int(document[offset + 7]) << 24
                let body = offset + 8
                guard length <= end - body else { break }
                sawRecord = true
                switch type {
                case 0x2F14:
                    throw .encrypted
                case 0x0FA0, 0x0FBA:
                    let units = stride(from: body, to: body + length - 1, by: 2).map { UInt16(document[$0]) | UInt16(document[$0 + 1]) << 8 }
                    let text = String(decoding: units, as: UTF16.self)
                    // Names of PowerPoint's own binary tags (`___PPT10`) are not text.
                    if !(type == 0x0FBA && text.hasPrefix("___PPT")) { append(text, to: &output) }
                case 0x0FA8:
                    append(String(decoding: document[body..<(body + length)].map { UInt16($0) }, as: UTF16.self), to: &output)
                default:
                    if version == 0x0F, depth < maxDepth { children.append((body, body + length, depth + 1)) }
                }
                offset = body + length
            }
            // Depth first, in order.
            pending += children.reversed()
        }
        guard sawRecord else { throw .corrupt("PowerPoint: no records in the document stream") }
        return output
    }

    /// An atom's text as a line; PowerPoint ends paragraphs with a carriage return.
    private static func append(_ text: String, to output: inout [UInt8]) {
        let cleaned = text.replacingOccurrences(of: "\r", with: "\n").replacingOccurrences(of: "\u{0B}", with: "\n")
        guard cleaned.unicodeScalars.contains(where: { $0.value > 0x20 }) else { return }
        output.append(contentsOf: cleaned.utf8)
        output.append(0x0A)
    }
}
