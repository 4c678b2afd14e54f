import ExportGuardCore

/// Finds uuencoded files in a text part (`begin 644 report.doc` … `end`, as old mail
/// programs and Usenet gateways attach files) and decodes each into a stream of its own,
/// named by its file name under the text part. The text itself is read as it is as well.
struct UUEncodedBlocks {
    /// Lines longer than this are not uuencode (its lines hold at most 61 characters).
    static let maxLine = 256

    private var line: [UInt8] = []
    private var overlong = false
    private var file: StreamDispatcher?
    private var decoded: [UInt8] = []

    mutating func feed(_ bytes: UnsafeRawBufferPointer, part: StreamDispatcher) {
        for byte in bytes {
            if byte == 0x0A {
                endLine(part: part)
                continue
            }
            if line.count < Self.maxLine { line.append(byte) } else { overlong = true }
        }
    }

    private mutating func endLine(part: StreamDispatcher) {
        defer {
            line.removeAll(keepingCapacity: true)
            overlong = false
        }
        if line.last == 0x0D { line.removeLast() }
        guard let file else {
            if !overlong, let name = Self.beginName(line) {
                part.closeText()
                self.file = part.child(named: name)
            }
            return
        }
        if line == Array("end".utf8) {
            file.finish()
            self.file = nil
            return
        }
        guard !overlong, let first = line.first else { return }
        let count = Int((first &- 0x20) & 0x3F)
        decoded.removeAll(keepingCapacity: true)
        var index = 1
        while decoded.count < count, index < line.count {
            var group: UInt32 = 0
            for offset in 0..<4 {
                let character = index + offset < line.count ? line[index + offset] : 0x20
                group = group << 6 | UInt32((character &- 0x20) & 0x3F)
            }
            for shift in [16, 8, 0] where decoded.count < count { decoded.append(UInt8(group >> UInt32(shift) & 0xFF)) }
            index += 4
        }
        part.closeText()
        decoded.withUnsafeBytes { file.feed($0) }
    }

    /// `begin 644 name` (mode in octal): the name, or nil when the line is not one.
    static func beginName(_ line: [UInt8]) -> String? {
        let text = String(decoding: line, as: UTF8.self)
        let fields = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0] == "begin", (3...4).contains(fields[1].count),
              fields[1].allSatisfy({ ("0"..."7").contains($0) }), !fields[2].trimmingSpaces().isEmpty else { return nil }
        return fields[2].trimmingSpaces()
    }

    /// The part ended: a file left open was cut short.
    mutating func finish(part: StreamDispatcher) {
        if !line.isEmpty { endLine(part: part) }
        guard let file else { return }
        file.finish()
        self.file = nil
        part.uninspected(.corrupt("uuencode: the file ends without its end line"), at: file.location)
    }
}
