import ExportGuardCore
import Testing
@testable import ExportGuardInspection

/// Records what the inspector reports.
final class RecordingSink: InspectionSink {
    var parts: [(location: Location, text: [UInt8])] = []
    var uninspected: [(Location, UninspectedReason)] = []
    var marks: [Location.Position] = []
    private var open = false

    /// Text by location with the position of its last mark (`doc.pdf#page=2`).
    var positioned: [String: String] { positionedBytes.mapValues { String(decoding: $0, as: UTF8.self) } }
    private var positionedBytes: [String: [UInt8]] = [:]
    private var current: String?

    func mark(_ position: Location.Position) {
        #expect(open, "marks belong to an open part")
        marks.append(position)
        if let location = parts.last?.location { current = location.at(position).description }
    }

    /// Text of every part, by location, for comparisons.
    var texts: [String: String] {
        Dictionary(parts.map { ($0.location.description, String(decoding: $0.text, as: UTF8.self)) }, uniquingKeysWith: { $0 + $1 })
    }

    var reasons: [String] { uninspected.map { "\($0.0): \($0.1)" } }

    func beginText(at location: Location) {
        #expect(!open, "parts must not interleave")
        open = true
        parts.append((location, []))
        current = location.description
    }

    func text(_ bytes: UnsafeRawBufferPointer) {
        #expect(open)
        parts[parts.count - 1].text.append(contentsOf: bytes)
        if let current { positionedBytes[current, default: []] += bytes }
    }

    func endText() {
        #expect(open)
        open = false
    }

    func uninspected(at location: Location, reason: UninspectedReason) {
        uninspected.append((location, reason))
    }

    var media: [MediaPart] = []

    func media(_ part: MediaPart) {
        #expect(!open, "media parts do not interleave with text")
        media.append(part)
    }
}

@Suite("Inspection of text and unknown content")
struct InspectionTests {
    func inspect(_ bytes: [UInt8], chunkSize: Int = 64 * 1024, maxDecoded: Int = 1 << 30) -> (RecordingSink, InspectionStats) {
        let sink = RecordingSink()
        var source = MemoryByteSource(bytes)
        let inspector = Inspector(limits: InspectionLimits(chunkSize: chunkSize, maxDecodedBytes: maxDecoded, sniffBytes: 16))
        let stats = try! inspector.inspect(&source, name: "input.txt", into: sink)
        return (sink, stats)
    }

    @Test("UTF-8 text comes out unchanged at any chunk size", arguments: [1, 2, 3, 5, 4096])
    func utf8Passthrough(chunkSize: Int) {
        let text = Array("绝密★长期 — mixed English 文本\n第二行 ☆".utf8)
        let (sink, stats) = inspect(text, chunkSize: chunkSize)
        #expect(sink.parts.count == 1)
        #expect(sink.parts.first?.text == text)
        #expect(sink.parts.first?.location == Location(parts: ["input.txt"]))
        #expect(stats.bytes == text.count)
        #expect(stats.decodedBytes == text.count)
        #expect(sink.uninspected.isEmpty)
    }

    @Test("a UTF-8 byte-order mark is dropped, even when split", arguments: [1, 2, 64])
    func bom(chunkSize: Int) {
        let (sink, _) = inspect([0xEF, 0xBB, 0xBF] + Array("机密".utf8), chunkSize: chunkSize)
        #expect(sink.parts.first?.text == Array("机密".utf8))
    }

    @Test("invalid bytes are replaced and counted; the scan goes on", arguments: [1, 3, 64])
    func invalidBytes(chunkSize: Int) {
        // Text first so the sniffer sees UTF-8; then a lone continuation byte and a cut sequence.
        let input = Array("正常的文本内容 ok ".utf8) + [0x80] + Array("后文".utf8) + [0xE6, 0x9C]
        let (sink, stats) = inspect(input, chunkSize: chunkSize)
        let expected = Array("正常的文本内容 ok ".utf8) + [0xEF, 0xBF, 0xBD] + Array("后文".utf8) + [0xEF, 0xBF, 0xBD]
        #expect(sink.parts.first?.text == expected)
        #expect(stats.replacedSequences == 2)
    }

    @Test("binary, damaged and not-yet-supported containers are reported as uninspected, never as text")
    func uninspected() {
        let (binary, binaryStats) = inspect([0x00, 0x01, 0x02, 0xFF, 0x10] + Array(repeating: 0, count: 40))
        #expect(binary.parts.isEmpty)
        #expect(binary.uninspected.count == 1)
        #expect(binaryStats.bytes == 45)

        let (pdf, _) = inspect(Array("%PDF-1.7\n".utf8) + Array(repeating: 7, count: 30))
        #expect(pdf.parts.isEmpty)
        #expect(pdf.uninspected.first?.1 == .corrupt("PDF: no objects found"))

        let (rar, _) = inspect([0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00] + Array(repeating: 7, count: 30))
        #expect(rar.parts.isEmpty)
        #expect(rar.uninspected.first?.1 == .unsupported("RAR archive"))
    }

    @Test("the decoded-bytes limit ends the part as uninspected")
    func decodedLimit() {
        let (sink, stats) = inspect(Array(repeating: UInt8(ascii: "a"), count: 1000), chunkSize: 100, maxDecoded: 250)
        #expect(stats.decodedBytes <= 250)
        #expect(sink.uninspected.count == 1)
        if case .limitExceeded? = sink.uninspected.first?.1 {} else { Issue.record("expected a limit reason") }
    }

    @Test("empty input is an empty text part")
    func empty() {
        let (sink, stats) = inspect([])
        #expect(sink.parts.count == 1)
        #expect(sink.parts.first?.text == [])
        #expect(stats.bytes == 0)
    }

    @Test("a missing file is an error with the path")
    func missingFile() {
        #expect(throws: InspectionError.self) { try FileByteSource(path: "/nonexistent/exportguard-test") }
    }
}

@Suite("UTF-8 decoding against a byte-by-byte reference")
struct UTF8DecoderPropertyTests {
    /// Strict RFC 3629 decoding, one replacement per invalid byte; a valid but incomplete
    /// sequence at the very end is one replacement.
    static func reference(_ bytes: [UInt8]) -> (text: [UInt8], replacements: Int) {
        var out: [UInt8] = []
        var replacements = 0
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < bytes.count {
            let lead = bytes[i]
            if lead < 0x80 {
                out.append(lead)
                i += 1
                continue
            }
            let length = UTF8Validator.sequenceLength(lead: lead)
            if length > 1, i + length > bytes.count,
               bytes[(i + 1)...].allSatisfy({ $0 & 0xC0 == 0x80 }) {
                out += [0xEF, 0xBF, 0xBD]
                replacements += 1
                break
            }
            if length > 1, i + length <= bytes.count,
               bytes.withUnsafeBytes({ UTF8Validator.isValidSequence($0, at: i, length: length) }) {
                out += bytes[i..<(i + length)]
                i += length
                continue
            }
            out += [0xEF, 0xBF, 0xBD]
            replacements += 1
            i += 1
        }
        return (out, replacements)
    }

    @Test("random mixes of ASCII, CJK, 2- and 4-byte characters, surrogates, overlongs and stray bytes, in random chunks")
    func randomInput() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [
            Array("a b".utf8), Array("机密文本".utf8), Array("é".utf8), Array("😀".utf8), Array("\u{E000}".utf8),
            [0xED, 0xA0, 0x80], [0xE0, 0x80, 0x80], [0xE0, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80],
            [0x80], [0xC0, 0xAF], [0xE6, 0x9C], [0xE6], [0xFF], [0xEF, 0xBB, 0xBF],
        ]
        for _ in 0..<300 {
            var input: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &generator) { input += pieces.randomElement(using: &generator)! }
            let expected = Self.reference(input)
            var decoder = UTF8TextDecoder()
            var text: [UInt8] = []
            var start = 0
            input.withUnsafeBytes { bytes in
                while start < bytes.count {
                    let end = min(bytes.count, start + Int.random(in: 1...9, using: &generator))
                    decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) { text += $0 }
                    start = end
                }
            }
            decoder.finish { text += $0 }
            #expect(text == expected.text, "input \(input)")
            #expect(decoder.replacements == expected.replacements, "input \(input)")
        }
    }
}

@Suite("XML name table")
struct XMLNameTableTests {
    /// libxml2 hands the same address for the same name; should an address ever be reused
    /// for another name, that name is a new one, with an id of its own.
    @Test("a name at a reused address, and the next new name, keep their qualified names apart")
    func reusedAddress() {
        var names = XMLNameTable()
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: 6)
        defer { storage.deallocate() }
        func cString(_ text: String, at offset: Int) -> UnsafePointer<UInt8> {
            for (k, byte) in text.utf8.enumerated() { storage[offset + k] = byte }
            storage[offset + text.utf8.count] = 0
            return UnsafePointer(storage + offset)
        }
        let prefix = names.name(cString("w", at: 0))
        let reused = cString("a", at: 2)
        #expect(names.qualified(prefix, names.name(reused)) == "w:a")
        let b = names.name(cString("b", at: 2))  // the same address, another name
        let c = names.name(cString("c", at: 4))
        #expect(b.string == "b" && c.string == "c")
        #expect(names.qualified(prefix, b) == "w:b")
        #expect(names.qualified(prefix, c) == "w:c")
    }
}
