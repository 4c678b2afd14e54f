import ExportGuardCore

/// Finds uuencoded files in a text part (`begin 644 report.doc` … `end`, as old mail
/// programs and Usenet gateways attach files) and decodes each into a stream of its own,
/// named by its file name under the text part. The text itself is read as it is as well.
/// A file is held until its `end` line, up to a bound, and read then: its part and the
/// text part never interleave, however the bytes arrive.
struct UUEncodedBlocks {
    /// Characters of a line kept (uuencode lines hold at most 61; what follows is ignored,
    /// as uudecode does).
    static let maxLine = 256
    /// Bytes of one decoded file held at most.
    static let maximumBytes = 64 << 20

    private var line: [UInt8] = []
    private var name: String?
    private var decoded: [UInt8] = []
    private var tooLarge = false

    mutating func feed(_ bytes: UnsafeRawBufferPointer, part: StreamDispatcher) {
        for byte in bytes {
            if byte == 0x0A {
                endLine(part: part)
            } else if line.count < Self.maxLine {
                line.append(byte)
            }
        }
    }

    private mutating func endLine(part: StreamDispatcher) {
        defer { line.removeAll(keepingCapacity: true) }
        if line.last == 0x0D { line.removeLast() }
        guard name != nil else {
            if let begun = Self.beginName(line) {
                name = begun
                decoded = []
                tooLarge = false
            }
            return
        }
        if line == Array("end".utf8) {
            emit(part: part)
            return
        }
        guard let first = line.first, !tooLarge else { return }
        let count = Int((first &- 0x20) & 0x3F)
        var index = 1
        var produced = 0
        while produced < count, index < line.count {
            var group: UInt32 = 0
            for offset in 0..<4 {
                let character = index + offset < line.count ? line[index + offset] : 0x20
                group = group << 6 | UInt32((character &- 0x20) & 0x3F)
            }
            for shift in [16, 8, 0] where produced < count {
                decoded.append(UInt8(group >> UInt32(shift) & 0xFF))
                produced += 1
            }
            index += 4
        }
        if decoded.count > Self.maximumBytes {
            tooLarge = true
            decoded = []
        }
    }

    /// The file is complete (or cut short): read it as a stream of its own.
    private mutating func emit(part: StreamDispatcher, complete: Bool = true) {
        guard let fileName = name else { return }
        name = nil
        part.closeText()
        let file = part.child(named: fileName)
        if tooLarge {
            part.uninspected(.limitExceeded("uuencode: a file of more than \(Self.maximumBytes >> 20) MiB"), at: file.location)
        } else {
            decoded.withUnsafeBytes { file.feed($0) }
        }
        file.finish()
        decoded = []
        if !complete { part.uninspected(.corrupt("uuencode: the file ends without its end line"), at: file.location) }
    }

    /// `begin 644 name` (mode in octal): the name, or nil when the line is not one.
    static func beginName(_ line: [UInt8]) -> String? {
        let text = String(decoding: line, as: UTF8.self)
        let fields = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0] == "begin", (1...6).contains(fields[1].count),
              fields[1].allSatisfy({ ("0"..."7").contains($0) }), !fields[2].trimmingSpaces().isEmpty else { return nil }
        return fields[2].trimmingSpaces()
    }

    /// The part ended: a file left open was cut short, and is read as far as it went.
    mutating func finish(part: StreamDispatcher) {
        if !line.isEmpty { endLine(part: part) }
        emit(part: part, complete: false)
    }
}
