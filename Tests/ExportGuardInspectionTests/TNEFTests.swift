import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardInspection

/// Outlook's winmail.dat, built attribute by attribute as [MS-OXTNEF] lays it out.
@Suite("TNEF (winmail.dat): subject, compressed RTF body, properties, attachments")
struct TNEFTests {
    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    static func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16 & 0xFFFF) }

    static func attribute(_ level: UInt8, _ id: Int, _ data: [UInt8]) -> [UInt8] {
        [level] + le32(id) + le32(data.count) + data + le16(data.reduce(0) { ($0 + Int($1)) & 0xFFFF })
    }

    /// A string (PT_UNICODE) and a binary (PT_BINARY) property, as TNEF writes them.
    static func unicodeProperty(_ id: Int, _ text: String) -> [UInt8] {
        let bytes: [UInt8] = text.utf16.flatMap { le16(Int($0)) } + [0, 0]
        return property(0x001F, id, bytes)
    }

    static func binaryProperty(_ id: Int, _ bytes: [UInt8]) -> [UInt8] {
        property(0x0102, id, bytes)
    }

    private static func property(_ type: Int, _ id: Int, _ bytes: [UInt8]) -> [UInt8] {
        let header: [UInt8] = le16(type) + le16(id) + le32(1) + le32(bytes.count)
        let padding = [UInt8](repeating: 0, count: (4 - bytes.count % 4) % 4)
        return header + bytes + padding
    }

    /// Compressed RTF ("LZFu"): a reference to `{\rtf1` in the preamble, then literals, then
    /// the reference to the write position that ends the data.
    static func compressedRTF(after prefix: [UInt8]) -> [UInt8] {
        enum Token { case reference(Int, Int), literal(UInt8) }
        var tokens: [Token] = [.reference(0, 6)] + prefix.map { .literal($0) }
        tokens.append(.reference((207 + 6 + prefix.count) & 0xFFF, 2))
        var body: [UInt8] = []
        for start in stride(from: 0, to: tokens.count, by: 8) {
            let group = tokens[start..<min(start + 8, tokens.count)]
            var control: UInt8 = 0
            var bytes: [UInt8] = []
            for (bit, token) in group.enumerated() {
                switch token {
                case .reference(let offset, let length):
                    control |= 1 << bit
                    let value = offset << 4 | (length - 2)
                    bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
                case .literal(let byte):
                    bytes.append(byte)
                }
            }
            body += [control] + bytes
        }
        return le32(body.count + 12) + le32(6 + prefix.count) + Array("LZFu".utf8) + le32(0) + body
    }

    static func winmail() -> [UInt8] {
        let rtfTail = Array(#"\ansi\ansicpg936{\fonttbl{\f0\fcharset134 SimSun;}}\f0 \'bb\'fa\'c3\'dc\u9733?10\'c4\'ea\par}"#.utf8)
        var message = TNEFDecoder.signature + le16(0x1234)
        message += attribute(1, 0x0006_9007, le32(936) + le32(0))
        // What Outlook writes besides: the TNEF version, the message class and status, a date.
        message += attribute(1, 0x0008_9006, le32(0x0001_0000))
        message += attribute(1, 0x0007_8008, Array("IPM.Microsoft Mail.Note".utf8) + [0])
        message += attribute(1, 0x0006_8007, [0x20])
        message += attribute(1, 0x0003_8005, [UInt8](repeating: 1, count: 14))
        message += attribute(1, 0x0001_8004, Array("Quarterly figures".utf8) + [0])
        let properties = [unicodeProperty(0x0C1A, "张伟"), binaryProperty(0x1009, compressedRTF(after: rtfTail))]
        message += attribute(1, 0x0006_9003, le32(properties.count) + properties.flatMap { $0 })
        message += attribute(2, 0x0006_9002, [UInt8](repeating: 0, count: 14))
        message += attribute(2, 0x0001_8010, Array("IDS~1.CSV".utf8) + [0])
        message += attribute(2, 0x0006_800F, Array("王芳,310104197512311378\n".utf8))
        let attachmentProperties = [unicodeProperty(0x3707, "身份证名单.csv")]
        message += attribute(2, 0x0006_9005, le32(1) + attachmentProperties.flatMap { $0 })
        return message
    }

    @Test("compressed RTF decompresses against its preamble")
    func compressedRTF() {
        let data = Self.compressedRTF(after: Array(" hello}".utf8))
        #expect(CompressedRTF.decompress(data)?.bytes == Array(#"{\rtf1 hello}"#.utf8))
        #expect(CompressedRTF.decompress(data)?.complete == true)
        // Cut before its end marker: what came is kept, and it is not complete.
        var cut = Array(data.dropLast(2))
        cut.replaceSubrange(0..<4, with: Self.le32(cut.count - 4))
        #expect(CompressedRTF.decompress(cut)?.complete == false)
        let stored = Self.le32(12 + 5) + Self.le32(5) + Array("MELA".utf8) + Self.le32(0) + Array("{\\rtf".utf8)
        #expect(CompressedRTF.decompress(stored)?.bytes == Array("{\\rtf".utf8))
        #expect(CompressedRTF.decompress(Array("short".utf8)) == nil)
    }

    @Test("a winmail.dat: its subject and sender, the RTF body in GBK, an attachment under its long name")
    func winmail() {
        let sink = inspectAllWays(Self.winmail(), name: "winmail.dat")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.texts["winmail.dat"] == "Quarterly figures\n张伟\n身份证名单.csv", "\(sink.texts)")
        #expect(sink.texts["winmail.dat!body.rtf"] == "机密★10年\n", "\(sink.texts)")
        #expect(sink.texts["winmail.dat!身份证名单.csv"] == "王芳,310104197512311378\n")
    }

    @Test("a winmail.dat cut short, or with properties that do not parse, is corrupt; what came before is read")
    func damaged() {
        let whole = Self.winmail()
        let cut = inspectAllWays(Array(whole.prefix(whole.count - 20)), name: "cut.dat")
        #expect(cut.uninspected.map(\.1.code) == [.corrupt], "\(cut.reasons)")
        #expect(cut.texts["cut.dat!body.rtf"] == "机密★10年\n")
        var broken = TNEFDecoder.signature + Self.le16(1)
        broken += Self.attribute(1, 0x0006_9003, Self.le32(1) + Self.le16(0x7777) + Self.le16(0x0037))
        #expect(inspectAllWays(broken, name: "b.dat").uninspected.map(\.1.code) == [.corrupt])
    }
}
