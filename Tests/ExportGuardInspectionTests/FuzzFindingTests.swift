import ExportGuardCore
import Testing
@testable import ExportGuardInspection

/// Wrong answers the fuzz targets in `Fuzz/` found, each kept as the smallest input that
/// showed it.
@Suite("Found by fuzzing")
struct FuzzFindingTests {
    @Test("a stream's kind is sniffed from its window only, so it does not depend on read sizes")
    func sniffWindow() {
        // Text for the whole window, binary after it: read whole, the sniff once saw it all
        // and called the stream binary; read in small pieces, text.
        let bytes = Array(String(repeating: "机密 ", count: 10).utf8) + [UInt8](repeating: 0, count: 100)
        let limits = InspectionLimits(sniffBytes: 64)
        let recorded = inspectAllWays(bytes, limits: limits)
        #expect(recorded.texts["input"]?.hasPrefix("机密 机密") == true, "\(recorded.texts) \(recorded.reasons)")
    }

    @Test("text from iconv is valid UTF-8 whatever the input: code points past U+10FFFF become U+FFFD")
    func iconvOutputValidated() {
        let converter = IconvConverter(from: "UTF-8")!
        var output: [UInt8] = []
        let input: [UInt8] = Array("机密 ".utf8) + [0xF4, 0x90, 0x80, 0x80, 0x20, 0xFB, 0x8C, 0x8C, 0x8C, 0x8C] + Array(" 文件".utf8)
        input.withUnsafeBytes { converter.convert($0, final: true) { output.append(contentsOf: $0) } }
        #expect(String(validating: output, as: UTF8.self) != nil, "\(output)")
        #expect(String(decoding: output, as: UTF8.self).hasPrefix("机密 "))
        #expect(String(decoding: output, as: UTF8.self).hasSuffix(" 文件"))
        #expect(converter.replaced >= 1)
    }

    @Test("text of a stream read as UTF-8 by name goes through the validator, as sniffed UTF-8 does")
    func namedUTF8() throws {
        let bytes: [UInt8] = Array("机密 ".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array(" 文件".utf8)
        let sink = RecordingSink()
        var source = MemoryByteSource(bytes)
        _ = try Inspector().inspect(&source, name: "input", kind: .legacyChinese("utf-8"), into: sink, drain: false)
        #expect(sink.texts["input"] == "机密 \u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD} 文件")
    }
}
