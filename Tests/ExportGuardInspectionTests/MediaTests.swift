import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardInspection

/// Builds PNG files chunk by chunk, with real CRC-32s, for tests that need a chunk the
/// image tools do not write (or a damaged one).
enum PNGBuilder {
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        var crc = CRC32()
        typed.withUnsafeBytes { crc.update($0) }
        return bigEndian(data.count) + typed + bigEndian(Int(crc.value))
    }

    static func bigEndian(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// A 1×1 grey picture with `extra` chunks before its image data.
    static func picture(extra: [[UInt8]] = []) -> [UInt8] {
        let header = bigEndian(1) + bigEndian(1) + [8, 0, 0, 0, 0]
        // zlib of one scanline: filter 0, one grey byte.
        let data: [UInt8] = [0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]
        return PNGDecoder.signature + chunk("IHDR", header) + extra.flatMap { $0 } + chunk("IDAT", data) + chunk("IEND", [])
    }
}

@Suite("Media: images are parsed structurally, their metadata read, damage reported")
struct MediaTests {
    @Test("a whole PNG is reported as media at any depth; a top-level one is not nested")
    func wholePNG() throws {
        let png = PNGBuilder.picture()
        let top = inspectAllWays(png, name: "photo.png")
        #expect(top.uninspected.isEmpty, "\(top.reasons)")
        #expect(top.media == [MediaPart(location: Location(parts: ["photo.png"]), format: "png", bytes: png.count, nested: false)])

        let f = try Fixtures()
        try f.write("photo.png", png)
        try f.run("zip", ["-q", "-0", "pics.zip", "photo.png"])
        let nested = inspectAllWays(try f.read("pics.zip"), name: "pics.zip")
        #expect(nested.uninspected.isEmpty, "\(nested.reasons)")
        #expect(nested.media.map(\.nested) == [true])
        #expect(nested.media.map(\.location.description) == ["pics.zip!photo.png"])
    }

    @Test("PNG text chunks (tEXt, zTXt, iTXt) are read as text parts named by chunk and keyword")
    func pngText() throws {
        let latin1 = PNGBuilder.chunk("tEXt", Array("Title".utf8) + [0] + [0x43, 0x61, 0x66, 0xE9])  // "Café" in Latin-1
        let compressed = try Fixtures().run("python3", ["-c", "import sys,zlib; sys.stdout.buffer.write(zlib.compress('内部资料 不得外传'.encode()))"])
        let itxt = PNGBuilder.chunk("iTXt", Array("Comment".utf8) + [0, 0, 0] + Array("zh".utf8) + [0] + Array("注释".utf8) + [0] + Array("机密★10年".utf8))
        let itxtZ = PNGBuilder.chunk("iTXt", Array("Description".utf8) + [0, 1, 0, 0, 0] + compressed)
        let sink = inspectAllWays(PNGBuilder.picture(extra: [latin1, itxt, itxtZ]), name: "a.png")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.texts["a.png"] == "Café注释\n机密★10年内部资料 不得外传")
        #expect(sink.marks == [.element("tEXt:Title"), .element("iTXt:Comment"), .element("iTXt:Description")])
        #expect(sink.media.count == 1)
    }

    @Test("a PNG signature followed by scrambled bytes is corrupt, inside a zip too")
    func scrambledPNG() throws {
        let secret = Array("机密★10年 绝密资料 ".utf8)
        let scrambled = PNGDecoder.signature + (0..<2000).map { secret[$0 % secret.count] ^ 0x5A }
        let top = inspectAllWays(scrambled, name: "photo.png")
        #expect(top.media.isEmpty)
        #expect(top.uninspected.map(\.1.code) == [.corrupt])

        let f = try Fixtures()
        try f.write("photo.png", scrambled)
        try f.run("zip", ["-q", "pics.zip", "photo.png"])
        let nested = try inspectFile(f.url("pics.zip"))
        #expect(nested.media.isEmpty)
        #expect(nested.reasons.count == 1)
        #expect(nested.uninspected.first?.0.description == "pics.zip!photo.png")
        #expect(nested.uninspected.first?.1.code == .corrupt)
    }

    @Test("a bad CRC, a missing IEND and a first chunk that is not IHDR are corrupt")
    func damagedPNG() {
        var badCRC = PNGBuilder.picture()
        badCRC[badCRC.count - 20] ^= 0x01  // inside IDAT
        #expect(inspectAllWays(badCRC).uninspected.map(\.1) == [.corrupt("png: CRC of the IDAT chunk does not match")])
        let cut = Array(PNGBuilder.picture().dropLast(12))
        #expect(inspectAllWays(cut).uninspected.map(\.1) == [.corrupt("png: truncated in the IDAT chunk")])
        let noHeader = PNGDecoder.signature + PNGBuilder.chunk("IEND", [])
        #expect(inspectAllWays(noHeader).uninspected.map(\.1) == [.corrupt("png: the first chunk is IEND, not IHDR")])
    }

    @Test("bytes after IEND are a stream of their own; zero padding is ignored")
    func trailingData() throws {
        let png = PNGBuilder.picture()
        let withText = inspectAllWays(png + Array("绝密 hidden after the end".utf8), name: "a.png")
        #expect(withText.texts["a.png!after-end"] == "绝密 hidden after the end")
        #expect(withText.media.count == 1)

        let noise = inspectAllWays(png + (1..<600).map { UInt8(($0 * 7919) & 0xFF) }, name: "a.png")
        #expect(noise.uninspected.map(\.1.code) == [.binaryContent])
        #expect(noise.uninspected.first?.0.description == "a.png!after-end")

        let padded = inspectAllWays(png + [UInt8](repeating: 0, count: 300), name: "a.png")
        #expect(padded.uninspected.isEmpty && padded.texts.isEmpty)
    }

    @Test("pictures made by ImageMagick and tagged by exiftool: whole, with their comments, EXIF and XMP read")
    func realPictures() throws {
        let f = try Fixtures()
        try f.run("convert", ["-size", "16x16", "xc:white", "-set", "comment", "机密★10年 批注", "a.jpg"])
        try f.run("exiftool", ["-q", "-ImageDescription=绝密资料", "-XPComment=内部文件", "-overwrite_original", "a.jpg"])
        try f.run("convert", ["-size", "16x16", "xc:white", "-set", "comment", "GIF 注释", "a.gif"])
        try f.run("convert", ["-size", "16x16", "xc:white", "-set", "comment", "PNG 注释", "a.png"])
        try f.run("exiftool", ["-q", "-XMP-dc:Description=国家秘密", "-overwrite_original", "a.png"])
        try f.run("convert", ["-size", "16x16", "xc:white", "a.bmp"])
        try f.run("convert", ["-size", "16x16", "xc:white", "a.webp"])
        try f.run("zip", ["-q", "pics.zip", "a.jpg", "a.gif", "a.png", "a.bmp", "a.webp"])
        let sink = inspectAllWays(try f.read("pics.zip"), name: "pics.zip")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(Set(sink.media.map(\.format)) == ["jpeg", "gif", "png", "bmp", "webp"])
        #expect(sink.media.allSatisfy { $0.nested })
        let texts = sink.texts
        #expect(texts["pics.zip!a.jpg"]?.contains("机密★10年 批注") == true)
        #expect(texts["pics.zip!a.jpg"]?.contains("绝密资料") == true)
        #expect(texts["pics.zip!a.jpg"]?.contains("内部文件") == true)
        #expect(texts["pics.zip!a.gif"] == "GIF 注释")
        #expect(texts["pics.zip!a.png"]?.contains("PNG 注释") == true)
        #expect(texts["pics.zip!a.png!XMP"]?.contains("国家秘密") == true)
    }

    @Test("TIFF: directories and strips checked, text tags read; a cut or looping file is corrupt")
    func tiff() throws {
        let f = try Fixtures()
        try f.run("convert", ["-size", "16x16", "xc:white", "-compress", "none", "a.tiff"])
        try f.run("exiftool", ["-q", "-ImageDescription=地形图 机密", "-Artist=测绘院", "-overwrite_original", "a.tiff"])
        let tiff = try f.read("a.tiff")
        let sink = inspectAllWays(tiff, name: "a.tiff")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.media.map(\.format) == ["tiff"])
        #expect(sink.texts["a.tiff"]?.contains("地形图 机密") == true)
        #expect(sink.texts["a.tiff"]?.contains("测绘院") == true)
        // Cut in the middle of its image data (exiftool puts the directory at the end).
        let cut = inspect(Array(tiff.prefix(tiff.count / 3)), name: "a.tiff")
        #expect(cut.uninspected.map(\.1.code) == [.corrupt], "\(cut.reasons)")
        #expect(cut.media.isEmpty)
        // A directory whose next-directory offset points back at itself.
        var looping = Array("II*\0".utf8) + [8, 0, 0, 0] + [0, 0]
        looping[8] = 1
        looping += [0x0E, 0x01, 2, 0, 1, 0, 0, 0, 0x41, 0, 0, 0] + [8, 0, 0, 0]
        #expect(inspect(looping, name: "l.tiff").uninspected.map(\.1) == [.corrupt("tiff: directories loop")])
    }

    @Test("EXIF: ASCII, UserComment and XP tags are read, in either byte order; damaged offsets are skipped")
    func exif() {
        func block(bigEndian: Bool) -> [UInt8] {
            func u16(_ v: Int) -> [UInt8] { bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)] }
            func u32(_ v: Int) -> [UInt8] { bigEndian ? u16(v >> 16) + u16(v & 0xFFFF) : u16(v & 0xFFFF) + u16(v >> 16) }
            let description = Array("机密★10年".utf8) + [0]
            let comment = Array("UNICODE\0".utf8) + Array("内部".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            // IFD0 at 8 with three entries, then the next-IFD offset, then the values.
            let valuesStart = 8 + 2 + 3 * 12 + 4
            var values: [UInt8] = description + comment
            let bad = 0xFFFF
            var out = (bigEndian ? Array("MM".utf8) : Array("II".utf8)) + u16(42) + u32(8) + u16(3)
            out += u16(0x010E) + u16(2) + u32(description.count) + u32(valuesStart)
            out += u16(0x9286) + u16(7) + u32(comment.count) + u32(valuesStart + description.count)
            out += u16(0x013B) + u16(2) + u32(40) + u32(bad)  // points past the end
            out += u32(0)
            out += values
            values.removeAll()
            return out
        }
        for bigEndian in [false, true] {
            let fields = EXIFReader.texts(block(bigEndian: bigEndian))
            #expect(fields == [
                .init(name: "ImageDescription", text: Array("机密★10年".utf8)),
                .init(name: "UserComment", text: Array("内部".utf8)),
            ], "big-endian \(bigEndian)")
        }
        #expect(EXIFReader.texts(Array("II*\0\u{FF}\u{FF}\u{FF}\u{7F}".utf8)).isEmpty)
    }
}

/// Metafiles built record by record, for the text records no tool here writes.
enum MetafileBuilder {
    static func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    static func u32(_ v: Int) -> [UInt8] { u16(v & 0xFFFF) + u16(v >> 16 & 0xFFFF) }
    static func utf16(_ text: String) -> [UInt8] { text.utf16.flatMap { u16(Int($0)) } }

    /// An EMF drawing each `(string, y)` with EMR_EXTTEXTOUTW.
    static func emf(_ strings: [(String, Int)]) -> [UInt8] {
        var records: [[UInt8]] = []
        for (string, y) in strings {
            let text = utf16(string)
            let padded = text + Array(repeating: 0, count: (4 - text.count % 4) % 4)
            // type, size, bounds (16), graphics mode, scales; EMRTEXT: x, y, nChars, offString, options, rect (16), offDx.
            var record = u32(84) + u32(76 + padded.count) + Array(repeating: 0, count: 16) + u32(1) + u32(0) + u32(0)
            record += u32(0) + u32(y) + u32(string.utf16.count) + u32(76) + u32(0) + Array(repeating: 0, count: 16) + u32(0)
            records.append(record + padded)
        }
        let eof = u32(14) + u32(20) + u32(0) + u32(16) + u32(20)
        let total = 88 + records.reduce(0) { $0 + $1.count } + eof.count
        var header = u32(1) + u32(88) + Array(repeating: 0, count: 32) + Array(" EMF".utf8) + u32(0x10000) + u32(total)
        header += u32(records.count + 2) + Array(repeating: 0, count: 88 - header.count - 0)
        return Array(header.prefix(88)) + records.flatMap { $0 } + eof
    }

    /// A placeable WMF drawing each `(bytes, y)` with META_EXTTEXTOUT.
    static func wmf(_ strings: [([UInt8], Int)]) -> [UInt8] {
        var records: [UInt8] = []
        for (string, y) in strings {
            let padded = string + (string.count % 2 == 1 ? [0] : [])
            records += u32((14 + padded.count) / 2) + u16(0x0A32) + u16(y) + u16(10) + u16(string.count) + u16(0) + padded
        }
        records += u32(3) + u16(0)
        let words = (18 + records.count) / 2
        let placeable = WMFDecoder.placeableKey + Array(repeating: 0, count: 18)
        let header = u16(1) + u16(9) + u16(0x0300) + u32(words) + u16(0) + u32(7) + u16(0)
        return placeable + header + records
    }
}

@Suite("Metafiles: EMF and WMF text is read, their structure checked")
struct MetafileTests {
    @Test("EMF: strings on one baseline join, a new baseline starts a line; the part is whole media")
    func emfText() {
        let emf = MetafileBuilder.emf([("机", 100), ("密", 100), ("★10年", 100), ("第二行", 140)])
        let sink = inspectAllWays(emf, name: "chart.emf")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.texts["chart.emf"] == "机密★10年\n第二行")
        #expect(sink.media.map(\.format) == ["emf"])
        let cut = inspectAllWays(Array(emf.dropLast(20)), name: "chart.emf")
        #expect(cut.uninspected.map(\.1) == [.corrupt("emf: truncated before EMR_EOF")])
    }

    @Test("WMF: META_EXTTEXTOUT strings are read (GB18030 recognised), the declared size checked")
    func wmfText() throws {
        let gb = try Fixtures().run("iconv", ["-f", "UTF-8", "-t", "GB18030"], stdin: Array("内部资料".utf8))
        let wmf = MetafileBuilder.wmf([(Array("Title".utf8), 10), (gb, 30)])
        let sink = inspectAllWays(wmf, name: "logo.wmf")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.texts["logo.wmf"] == "Title\n内部资料")
        #expect(sink.media.map(\.format) == ["wmf"])
        var wrongSize = wmf
        wrongSize[22 + 6] &+= 4
        #expect(inspectAllWays(wrongSize).uninspected.map(\.1.code) == [.corrupt])
    }

    @Test("the metafiles in python-pptx's and XlsxWriter's test files are whole; a chart's EMF text is read")
    func peerMetafiles() throws {
        let peers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/peers").standardized
        let pptx = peers.appendingPathComponent("python-pptx/shp-access-ole-object.pptx")
        if FileManager.default.fileExists(atPath: pptx.path) {
            let sink = try inspectFile(pptx)
            #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
            #expect(sink.texts["shp-access-ole-object.pptx!ppt/media/image1.emf"] == "Microsoft \nExcel Worksheet", "drawn glyph by glyph on two lines")
        }
        for name in ["image38.xlsx", "image39.xlsx"] {
            let xlsx = peers.appendingPathComponent("xlsxwriter/\(name)")
            guard FileManager.default.fileExists(atPath: xlsx.path) else { continue }
            let sink = try inspectFile(xlsx)
            #expect(sink.uninspected.isEmpty, "\(name): \(sink.reasons)")
            #expect(sink.media.contains { $0.format == "wmf" }, "\(name)")
        }
    }
}
