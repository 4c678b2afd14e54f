import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardInspection

/// Inputs built to crash a decoder or to slip content past it; each was found by reading
/// the decoders as an attacker would.
@Suite("Hostile inputs: no trap, nothing passes unread")
struct HostileInputTests {
    /// A 512-byte tar header with a valid checksum.
    static func tarHeader(name: String, type: UInt8, size: [UInt8]) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        block.replaceSubrange(0..<name.utf8.count, with: Array(name.utf8))
        block.replaceSubrange(100..<108, with: Array("0000644\0".utf8))
        block.replaceSubrange(124..<136, with: size)
        block[156] = type
        block.replaceSubrange(257..<263, with: Array("ustar\0".utf8))
        block.replaceSubrange(148..<156, with: Array(repeating: 0x20, count: 8))
        let sum = block.reduce(0) { $0 + Int($1) }
        let octal = Array(String(sum, radix: 8).utf8)
        block.replaceSubrange(148..<(148 + 7), with: Array(repeating: UInt8(ascii: "0"), count: 6 - octal.count) + octal + [0])
        return block
    }

    static func octalSize(_ value: Int) -> [UInt8] {
        let digits = Array(String(value, radix: 8).utf8)
        return Array(repeating: UInt8(ascii: "0"), count: 11 - digits.count) + digits + [0]
    }

    @Test("tar: a pax record shorter than its own length field, or with an absurd length, is no trap")
    func paxRecords() {
        for record in ["1 \n", "9223372036854775807 k=v\n", "3 x\n", "99999999999999999999 path=a\n"] {
            let data = Array(record.utf8)
            let padded = data + [UInt8](repeating: 0, count: 512 - data.count)
            let tar = Self.tarHeader(name: "pax", type: UInt8(ascii: "x"), size: Self.octalSize(data.count)) + padded
                + Self.tarHeader(name: "a.txt", type: UInt8(ascii: "0"), size: Self.octalSize(5)) + Array("hello".utf8)
                + [UInt8](repeating: 0, count: 507 + 1024)
            let sink = inspectAllWays(tar, name: "x.tar")
            #expect(sink.texts["x.tar!a.txt"] == "hello", "\(record)")
        }
    }

    @Test("tar: sizes beyond reason (base-256, or pax, or negative) are corrupt, not a trap")
    func hugeSizes() {
        let base256: [UInt8] = [0x80, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF]
        for type in [UInt8(ascii: "0"), UInt8(ascii: "5")] {
            let tar = Self.tarHeader(name: "big", type: type, size: base256) + [UInt8](repeating: 0, count: 1024)
            #expect(inspectAllWays(tar, name: "x.tar").uninspected.map(\.1.code) == [.corrupt])
        }
        for size in ["9223372036854775807", "-5"] {
            let body = " size=\(size)\n"
            var length = body.utf8.count + 2
            if String(length).count != 2 { length += 1 }
            let data = Array("\(length)\(body)".utf8)
            let tar = Self.tarHeader(name: "pax", type: UInt8(ascii: "x"), size: Self.octalSize(data.count)) + data
                + [UInt8](repeating: 0, count: 512 - data.count)
                + Self.tarHeader(name: "a.txt", type: UInt8(ascii: "0"), size: Self.octalSize(5)) + Array("hello".utf8)
                + [UInt8](repeating: 0, count: 507 + 1024)
            #expect(inspectAllWays(tar, name: "x.tar").uninspected.map(\.1.code) == [.corrupt], "\(size)")
        }
    }

    @Test("tar: members after the end blocks, unknown types and sparse entries are read or reported")
    func tarHiding() {
        let file = Self.tarHeader(name: "a.txt", type: UInt8(ascii: "0"), size: Self.octalSize(5)) + Array("hello".utf8) + [UInt8](repeating: 0, count: 507)
        let vendor = Self.tarHeader(name: "v.txt", type: UInt8(ascii: "Z"), size: Self.octalSize(6)) + Array("机密".utf8) + [UInt8](repeating: 0, count: 506)
        let sparse = Self.tarHeader(name: "s.txt", type: UInt8(ascii: "S"), size: Self.octalSize(5)) + Array("words".utf8) + [UInt8](repeating: 0, count: 507)
        let end = [UInt8](repeating: 0, count: 1024)
        let hidden = Self.tarHeader(name: "after.txt", type: UInt8(ascii: "0"), size: Self.octalSize(6)) + Array("绝密".utf8) + [UInt8](repeating: 0, count: 506)
        let sink = inspectAllWays(file + vendor + sparse + end + hidden, name: "x.tar")
        #expect(sink.texts["x.tar!v.txt"] == "机密")
        // A sparse header whose map does not account for its data is corrupt; the rest is read.
        #expect(sink.uninspected.map(\.1.code) == [.corrupt], "\(sink.reasons)")
        // What follows the end is read as a stream of its own (here: another tar).
        #expect(sink.texts["x.tar!after-end!after.txt"] == "绝密", "\(sink.texts.keys.sorted())")
    }

    @Test("zip64 sizes and offsets beyond the file are corrupt, not a trap; a short central directory is reported")
    func zip64Claims() throws {
        let f = try Fixtures()
        try f.write("a.txt", "hello\n")
        try f.write("b.txt", "world\n")
        // Info-ZIP's -fz writes zip64 extra fields in the central directory.
        try f.run("zip", ["-q", "-fz", "z.zip", "a.txt", "b.txt"])
        try f.run("zip", ["-q", "plain.zip", "a.txt", "b.txt"])
        try f.run("python3", ["-c", """
            import struct
            data = bytearray(open('z.zip', 'rb').read())
            at = data.find(b'PK\\x01\\x02')
            name_len, extra_len = struct.unpack_from('<HH', data, at + 28)
            assert extra_len >= 36
            # a.txt: both sizes from a zip64 field whose compressed size is absurd.
            struct.pack_into('<II', data, at + 20, 0xFFFFFFFF, 0xFFFFFFFF)
            extra = at + 46 + name_len
            block = struct.pack('<HHQQ', 1, 16, 0x7FFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF)
            data[extra:extra + extra_len] = block + struct.pack('<HH', 0xCAFE, extra_len - len(block) - 4) + bytes(extra_len - len(block) - 4)
            open('bad64.zip', 'wb').write(data)
            # An end record that counts one entry more than the directory holds.
            short = bytearray(open('plain.zip', 'rb').read())
            end = short.rfind(b'PK\\x05\\x06')
            struct.pack_into('<HH', short, end + 8, 3, 3)
            open('short.zip', 'wb').write(short)
            """])
        let bad = try inspectFile(f.url("bad64.zip"))
        #expect(bad.uninspected.contains { $0.1.code == .corrupt && $0.0.description.hasSuffix("a.txt") }, "\(bad.reasons)")
        #expect(bad.texts["bad64.zip!b.txt"] == "world\n")
        let short = try inspectFile(f.url("short.zip"))
        #expect(short.reasons.contains { $0.contains("1 entries fewer than its end record counts") }, "\(short.reasons)")
    }

    @Test("a bitmap header cannot wrap text: dimensions must fill the pixel array, and text-like pixels are reported")
    func bitmapSmuggling() {
        let text = Array(String(repeating: "机密★10年 内部资料 ", count: 30).utf8)
        func bitmap(width: Int, height: Int, bits: Int, payload: [UInt8]) -> [UInt8] {
            func u32(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24 & 0xFF)] }
            let header = Array("BM".utf8) + u32(54 + payload.count) + u32(0) + u32(54)
            let dib = u32(40) + u32(width) + u32(height) + [1, 0, UInt8(bits), 0] + u32(0) + u32(payload.count) + u32(0) + u32(0) + u32(0) + u32(0)
            return header + dib + payload
        }
        // Dimensions that do not account for the bytes.
        let loose = inspectAllWays(bitmap(width: 1, height: 1, bits: 24, payload: text), name: "a.bmp")
        #expect(loose.uninspected.map(\.1.code) == [.corrupt] && loose.media.isEmpty, "\(loose.reasons)")
        // Dimensions made to fit the text: its pixels read as text.
        let rows = text.count / 4
        let fitted = inspectAllWays(bitmap(width: 1, height: rows, bits: 32, payload: Array(text.prefix(rows * 4))), name: "a.bmp")
        #expect(fitted.uninspected.map(\.1) == [.corrupt("bmp: the pixel data reads as text")] && fitted.media.isEmpty, "\(fitted.reasons)")
        // A real grey bitmap is whole.
        let grey = inspectAllWays(bitmap(width: 4, height: 2, bits: 24, payload: [UInt8](repeating: 0x80, count: 24)), name: "a.bmp")
        #expect(grey.uninspected.isEmpty && grey.media.count == 1, "\(grey.reasons)")
    }

    @Test("text in private picture chunks and segments is read; oversized ones are reported")
    func privateChunks() {
        let privateChunk = PNGBuilder.chunk("prVt", Array("绝密 private chunk".utf8))
        let binaryChunk = PNGBuilder.chunk("prBn", [0, 1, 2, 3, 0xFF, 0xFE, 0x10, 0])
        let sink = inspectAllWays(PNGBuilder.picture(extra: [privateChunk, binaryChunk]), name: "a.png")
        #expect(sink.texts["a.png"] == "绝密 private chunk")
        #expect(sink.marks == [.element("prVt")])
        #expect(sink.uninspected.isEmpty && sink.media.count == 1)

        let huge = PNGBuilder.chunk("tEXt", Array("Comment".utf8) + [0] + [UInt8](repeating: 0x41, count: PNGDecoder.maxMetadataChunk))
        let over = inspect(PNGBuilder.picture(extra: [huge]), name: "a.png")
        #expect(over.uninspected.map(\.1.code) == [.limitExceeded], "\(over.reasons)")
    }

    @Test("JPEG: extended XMP is read whole, after the other segments, never interleaved with them")
    func extendedXMP() {
        func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
            [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        }
        let xmp = Array("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><t>绝密 extended</t>\(String(repeating: "<p>filler</p>", count: 600))</x:xmpmeta>".utf8)
        let header = JPEGDecoder.extendedXMPHeader + Array(repeating: UInt8(ascii: "A"), count: 32) + [0, 0, 0x20, 0] + [0, 0, 0, 0]
        let half = xmp.count / 2
        let jpeg: [UInt8] = [0xFF, 0xD8] + segment(0xE1, header + Array(xmp[..<half])) + segment(0xFE, Array("注释 between".utf8))
            + segment(0xE1, header + Array(xmp[half...])) + [0xFF, 0xD9]
        let sink = inspectAllWays(jpeg, name: "a.jpg")
        #expect(sink.texts["a.jpg"] == "注释 between")
        #expect(sink.texts["a.jpg!XMP-extension"]?.contains("绝密 extended") == true, "\(sink.texts.keys.sorted())")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("GIF: XMP's magic trailer is not read as XML; other application extensions are read when they hold text")
    func gifExtensions() throws {
        let f = try Fixtures()
        try f.run("convert", ["-size", "8x8", "xc:white", "a.gif"])
        try f.run("exiftool", ["-q", "-XMP-dc:Description=国家秘密", "-overwrite_original", "a.gif"])
        let sink = inspectAllWays(try f.read("a.gif"), name: "a.gif")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.texts["a.gif!XMP"]?.contains("国家秘密") == true)
        // An application extension with text in it.
        var gif = try f.read("a.gif")
        let trailer = gif.removeLast()
        #expect(trailer == 0x3B)
        let words = Array("秘密 app data".utf8)
        gif += [0x21, 0xFF, 11] + Array("EXAMPLE1.0 ".utf8) + [UInt8(words.count)] + words + [0, 0x3B]
        let app = inspectAllWays(gif, name: "b.gif")
        #expect(app.texts["b.gif"]?.contains("秘密 app data") == true, "\(app.texts)")
    }

    @Test("a few bytes of GB18030 after a picture's end are read, not dropped as stray")
    func shortLegacyTrailer() throws {
        let gb = try Fixtures().run("iconv", ["-f", "UTF-8", "-t", "GB18030"], stdin: Array("绝密".utf8))
        let sink = inspectAllWays(PNGBuilder.picture() + gb, name: "a.png")
        #expect(sink.texts["a.png!after-end"] == "绝密", "\(sink.texts) \(sink.reasons)")
        // Read as the charset their pairs fit, without a doubt raised on four bytes of junk.
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }
}
