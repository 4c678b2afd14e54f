/// The text of a PowerPoint 97–2003 presentation ([MS-PPT]), also WPS Office's `.dps`:
/// the "PowerPoint Document" stream is a tree of records; the text is in its atoms —
/// TextCharsAtom (UTF-16), TextBytesAtom (8-bit) and CString (names, comments, notes) —
/// and embedded objects (a workbook, a document, the VBA project) are ExOleObjStg atoms,
/// zlib-compressed compound files.
enum PowerPointBinaryText {
    enum Failure: Error, Equatable {
        case encrypted
        case corrupt(String)
    }

    /// Containers nested at most.
    static let maxDepth = 64

    /// The text, and the embedded objects' bytes (inflated).
    static func read(_ document: [UInt8], objectLimit: Int) throws(Failure) -> (text: [UInt8], objects: [[UInt8]]) {
        var output: [UInt8] = []
        var objects: [[UInt8]] = []
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
                guard length <= end - body else { throw .corrupt("PowerPoint: a record at offset \(offset) runs past its container") }
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
                case 0x1011 where objects.count < 256:
                    // Instance 1: a 4-byte size, then zlib data; instance 0: stored.
                    let instance = (Int(document[offset]) | Int(document[offset + 1]) << 8) >> 4
                    if instance == 1, length >= 4 {
                        objects.append(try inflate(Array(document[(body + 4)..<(body + length)]), limit: objectLimit))
                    } else {
                        objects.append(Array(document[body..<(body + length)]))
                    }
                default:
                    if version == 0x0F, depth < maxDepth { children.append((body, body + length, depth + 1)) }
                }
                offset = body + length
            }
            // Depth first, in order.
            pending += children.reversed()
        }
        guard sawRecord else { throw .corrupt("PowerPoint: no records in the document stream") }
        return (output, objects)
    }

    private static func inflate(_ data: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        let (output, outcome, overLimit) = InflateStream.inflate(data, format: .gzipOrZlib, limit: limit)
        guard !overLimit, case .streamEnd = outcome else { throw .corrupt("PowerPoint: an embedded object does not inflate") }
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
