import ExportGuardCore
import Testing
@testable import ExportGuardInspection

/// Inputs a review of the new readers built by hand to trap, exhaust or slip past them;
/// each now ends as a clear reason, or is read.
@Suite("Hostile 7z, media and text found in review")
struct HostileFormatTests {
    /// A 7z with a plain header: the signature header with both CRCs right.
    static func sevenZip(header: [UInt8], packed: [UInt8] = []) -> [UInt8] {
        func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        func le64(_ value: Int) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        func crc(_ bytes: [UInt8]) -> UInt32 {
            var crc = CRC32()
            bytes.withUnsafeBytes { crc.update($0) }
            return UInt32(truncatingIfNeeded: crc.value)
        }
        let start = le64(packed.count) + le64(header.count) + le32(crc(header))
        return SevenZipReader.signature + [0, 4] + le32(crc(start)) + start + packed + header
    }

    @Test("a 7z folder whose coders declare no inputs is corrupt, not a trap")
    func folderWithoutInputs() {
        // Header, main streams, pack info (one stream of 0 bytes), unpack info: one folder
        // of two complex coders with 0 inputs and 1 output each.
        let header: [UInt8] = [0x01, 0x04, 0x06, 0x00, 0x01, 0x09, 0x00, 0x00, 0x07, 0x0B, 0x01, 0x00, 0x02, 0x10, 0x00, 0x01, 0x10, 0x00, 0x01, 0x00]
        let sink = inspectAllWays(Self.sevenZip(header: header), name: "x.7z")
        #expect(sink.uninspected.map(\.1.code) == [.corrupt], "\(sink.reasons)")
    }

    @Test("file sizes that add up past any number are corrupt, not an overflow")
    func oversizedSubstreams() {
        let huge: [UInt8] = [0xFF] + [UInt8](repeating: 0xFF, count: 7) + [0x1F]  // 2^61 - 1
        var header: [UInt8] = [0x01, 0x04, 0x06, 0x00, 0x01, 0x09, 0x00, 0x00]
        header += [0x07, 0x0B, 0x01, 0x00, 0x01, 0x01, 0x00, 0x0C] + huge + [0x00]  // one Copy folder
        header += [0x08, 0x0D, 0x06, 0x09] + Array(repeating: huge, count: 5).flatMap { $0 } + [0x00, 0x00, 0x00]
        let sink = inspectAllWays(Self.sevenZip(header: header), name: "x.7z")
        #expect(sink.uninspected.map(\.1.code) == [.corrupt], "\(sink.reasons)")
    }

    @Test("an MP4 data box shorter than its fields is passed over, not a trap")
    func shortDataBox() {
        let bytes: [UInt8] = [0, 0, 0, 0x0C] + Array("ftypisom".utf8) + [0, 0, 0, 0x14] + Array("moov".utf8) + [0, 0, 0, 0x0C] + Array("data".utf8) + [0, 0, 0, 1]
        let sink = inspectAllWays(bytes, name: "v.mp4")
        #expect(sink.media.map(\.format) == ["mp4"], "\(sink.reasons)")
    }

    @Test("BER indefinite lengths nested 100,000 deep end as corrupt, not a stack overflow")
    func deepIndefiniteLengths() {
        let bytes: [UInt8] = [0x30, 0x80, 0x06, 0x09] + CMSDecoder.signedData + [0xA0, 0x80] + Array(repeating: [0x30, 0x80], count: 100_000).flatMap { $0 }
        let sink = inspect(bytes, name: "s.p7s")
        #expect(sink.uninspected.map(\.1.code) == [.corrupt], "\(sink.reasons)")
    }

    @Test("a name table whose 5,000 records all point at one long string reads it once")
    func nameTableBomb() {
        let stored = [UInt8](repeating: 0x41, count: 0xFFFE)
        var records: [UInt8] = []
        for _ in 0..<5000 { records += [0, 1, 0, 0, 0, 0, 0, 1, 0xFF, 0xFE, 0, 0] }
        func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
        func be32(_ value: Int) -> [UInt8] { be16(value >> 16) + be16(value & 0xFFFF) }
        let table = be16(0) + be16(5000) + be16(6 + records.count) + records + stored
        let font = be32(0x0001_0000) + be16(1) + be16(16) + be16(0) + be16(0) + Array("name".utf8) + be32(0) + be32(28) + be32(table.count) + table
        let sink = inspect(font, name: "f.ttf")
        #expect(sink.media.map(\.format) == ["font"], "\(sink.reasons)")
        #expect((sink.texts["f.ttf"]?.utf8.count ?? 0) <= 0xFFFE)
    }

    @Test("a UTF-16 block after a UTF-8 byte-order mark starts where its own mark is")
    func markAfterUTF8BOM() throws {
        let block = try Fixtures().run("iconv", ["-f", "UTF-8", "-t", "UTF-16LE"], stdin: Array("secret 机密\r\n".utf8))
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF, 0x61, 0xFF, 0xFE] + block
        let sink = inspectAllWays(bytes, name: "t.csv")
        #expect(sink.texts["t.csv"] == "asecret 机密\r\n", "\(sink.texts)")
    }

    @Test("bytes that are not text after a long run of ASCII are reported, not read quietly as UTF-8")
    func binaryAfterASCII() {
        let bytes = Array(String(repeating: "plain words in a log line\n", count: 200).utf8) + [0xB9, 0xFA, 0x01, 0x02, 0x03] + [UInt8](repeating: 0x07, count: 64)
        let sink = inspectAllWays(bytes, name: "t.log")
        #expect(sink.uninspected.map(\.1.code) == [.binaryContent], "\(sink.reasons)")
    }

    @Test("text ending in a DOS end-of-file mark after Chinese is still text")
    func dosEndOfFile() {
        let bytes = Array("notes: 会议纪要 下周\r\n".utf8) + [0x1A]
        let sink = inspectAllWays(bytes, name: "t.txt")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("an encrypted ID3 text frame is reported, not read as garbage")
    func encryptedID3Frame() {
        let value = [3] + Array("机密".utf8)
        let frame = Array("TIT2".utf8) + [0, 0, 0, UInt8(value.count)] + [0, 0x40] + value  // 2.3: encrypted
        let size = frame.count
        let tag = Array("ID3".utf8) + [3, 0, 0, 0, 0, 0, UInt8(size)] + frame
        let audio = (0..<3).flatMap { _ in [0xFF, 0xFB, 0x90, 0x64] + [UInt8](repeating: 0x55, count: 413) }
        let sink = inspectAllWays(tag + audio, name: "a.mp3")
        #expect(sink.uninspected.map(\.1.code) == [.unsupported], "\(sink.reasons)")
    }
}
