import ExportGuardCore
import Testing
@testable import ExportGuardInspection

/// Media that office documents and mail carry besides pictures — audio, video, fonts,
/// StarView metafiles, Writer's layout cache — parsed structurally, their text read, a
/// damaged one reported; built here to each format's layout (and WAV by Python's `wave`).
@Suite("Media: audio, video, fonts, metafiles")
struct MediaFormatTests {
    static func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
    static func le32(_ value: Int) -> [UInt8] { le16(value & 0xFFFF) + le16(value >> 16 & 0xFFFF) }
    static func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    static func be32(_ value: Int) -> [UInt8] { be16(value >> 16 & 0xFFFF) + be16(value & 0xFFFF) }
    static func utf16LE(_ text: String) -> [UInt8] { text.utf16.flatMap { le16(Int($0)) } }
    static func utf16BE(_ text: String) -> [UInt8] { text.utf16.flatMap { be16(Int($0)) } }

    // MARK: WAV

    static func wav(_ f: Fixtures, info: String?) throws -> [UInt8] {
        var bytes = try f.run("python3", ["-c", """
            import io, sys, wave
            out = io.BytesIO()
            with wave.open(out, "wb") as w:
                w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000); w.writeframes(bytes(1600))
            sys.stdout.buffer.write(out.getvalue())
            """])
        if let info {
            let text = Array(info.utf8) + [0]
            let item = Array("INAM".utf8) + le32(text.count) + text + (text.count % 2 == 1 ? [0] : [])
            let list = Array("LIST".utf8) + le32(4 + item.count) + Array("INFO".utf8) + item
            bytes += list
            bytes.replaceSubrange(4..<8, with: le32(bytes.count - 8))
        }
        return bytes
    }

    @Test("WAV: the RIFF is walked to its end and INFO text is read")
    func wave() throws {
        let f = try Fixtures()
        let sink = inspectAllWays(try Self.wav(f, info: "机密录音 内部资料"), name: "a.wav")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.media.map(\.format) == ["wav"])
        #expect(sink.texts["a.wav"] == "机密录音 内部资料", "\(sink.texts)")
        let cut = try Self.wav(f, info: nil).dropLast(100)
        #expect(inspectAllWays(Array(cut), name: "a.wav").uninspected.map(\.1.code) == [.corrupt])
    }

    // MARK: MP4

    static func box(_ type: String, _ body: [UInt8]) -> [UInt8] { be32(8 + body.count) + Array(type.utf8) + body }

    static func mp4(title: String) -> [UInt8] {
        let data = box("data", be32(1) + be32(0) + Array(title.utf8))
        let item = be32(8 + data.count) + [0xA9] + Array("nam".utf8) + data
        let meta = box("meta", [0, 0, 0, 0] + box("hdlr", [UInt8](repeating: 0, count: 25)) + box("ilst", item))
        let moov = box("moov", box("mvhd", [UInt8](repeating: 0, count: 100)) + box("udta", meta))
        return box("ftyp", Array("isom".utf8) + be32(512) + Array("isommp41".utf8)) + moov + box("mdat", [UInt8](repeating: 7, count: 3000))
    }

    @Test("MP4: boxes tile the file, mdat is skipped, ilst titles are read")
    func mp4() {
        let sink = inspectAllWays(Self.mp4(title: "机密★10年 会议录像"), name: "v.mp4")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.media.map(\.format) == ["mp4"])
        #expect(sink.texts["v.mp4"] == "机密★10年 会议录像", "\(sink.texts)")
        let cut = inspectAllWays(Array(Self.mp4(title: "x").dropLast(10)), name: "v.mp4")
        #expect(cut.uninspected.map(\.1.code) == [.corrupt], "\(cut.reasons)")
    }

    // MARK: MP3

    static func mp3(title: String, frames: Int = 3, v1Comment: String? = nil) -> [UInt8] {
        // ID3v2.3: TIT2 in UTF-16 with a BOM.
        let value = [1, 0xFF, 0xFE] + utf16LE(title)
        let frame = Array("TIT2".utf8) + be32(value.count) + [0, 0] + value
        let size = frame.count
        let tag = Array("ID3".utf8) + [3, 0, 0] + [UInt8(size >> 21 & 0x7F), UInt8(size >> 14 & 0x7F), UInt8(size >> 7 & 0x7F), UInt8(size & 0x7F)] + frame
        // MPEG-1 layer III, 128 kbit/s, 44.1 kHz, no padding: 417 bytes a frame.
        let audio = (0..<frames).flatMap { _ in [0xFF, 0xFB, 0x90, 0x64] + [UInt8](repeating: 0x55, count: 413) }
        var v1: [UInt8] = []
        if let v1Comment {
            v1 = Array("TAG".utf8) + [UInt8](repeating: 0, count: 94) + Array(v1Comment.utf8).prefix(30) + [UInt8](repeating: 0, count: 30 - min(30, v1Comment.utf8.count)) + [0]
        }
        return tag + audio + v1
    }

    @Test("MP3: ID3v2 text frames, frames walked by their headers, an ID3v1 comment")
    func mp3() {
        let sink = inspectAllWays(Self.mp3(title: "内部资料 录音", v1Comment: "secret memo"), name: "a.mp3")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.media.map(\.format) == ["mp3"])
        #expect(sink.texts["a.mp3"] == "内部资料 录音secret memo", "\(sink.texts)")
        #expect(sink.marks == [.element("ID3:TIT2"), .element("ID3v1:comment")])
        let cut = inspectAllWays(Array(Self.mp3(title: "x").dropLast(100)), name: "a.mp3")
        #expect(cut.uninspected.map(\.1.code) == [.corrupt], "\(cut.reasons)")
    }

    // MARK: Fonts

    /// A `name` table of Windows-platform (UTF-16BE) names.
    static func nameTable(_ names: [String]) -> [UInt8] {
        var storage: [UInt8] = []
        var records: [UInt8] = []
        for (index, name) in names.enumerated() {
            let encoded = utf16BE(name)
            records += be16(3) + be16(1) + be16(0x0409) + be16(index + 1) + be16(encoded.count) + be16(storage.count)
            storage += encoded
        }
        return be16(0) + be16(names.count) + be16(6 + records.count) + records + storage
    }

    static func font(names: [String]) -> [UInt8] {
        let table = nameTable(names)
        let offset = 12 + 16
        return be32(0x0001_0000) + be16(1) + be16(16) + be16(0) + be16(0)
            + Array("name".utf8) + be32(0) + be32(offset) + be32(table.count) + table
    }

    @Test("Fonts: the table directory is checked and the name table's strings are read")
    func truetype() {
        let sink = inspectAllWays(Self.font(names: ["机密字体", "Copyright 内部"]), name: "f.ttf")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.media.map(\.format) == ["font"])
        #expect(sink.texts["f.ttf"] == "机密字体\nCopyright 内部")
        var broken = Self.font(names: ["x"])
        broken.replaceSubrange(24..<28, with: Self.be32(1 << 20))  // the table's length
        #expect(inspectAllWays(broken, name: "f.ttf").uninspected.map(\.1.code) == [.corrupt])
    }

    /// A font of several tables, `name` among them, as Word embeds one: its first 32 bytes
    /// XORed with a key (ECMA-376 Part 1, 17.8.1).
    static func obfuscatedFont(names: [String]) -> [UInt8] {
        let nameTable = nameTable(names)
        let tags = ["OS/2", "cmap", "head", "hhea", "name", "post"]
        var tables: [[UInt8]] = tags.map { $0 == "name" ? nameTable : [UInt8](repeating: 0x11, count: 32) }
        var offset = 12 + 16 * tags.count
        var directory: [UInt8] = []
        for (tag, table) in zip(tags, tables) {
            directory += Array(tag.utf8) + be32(0) + be32(offset) + be32(table.count)
            offset += table.count
        }
        tables = [be32(0x0001_0000) + be16(tags.count) + be16(64) + be16(2) + be16(32) + directory] + tables
        var font = tables.flatMap { $0 }
        let key: [UInt8] = (0..<16).map { UInt8(0x3C &+ $0 &* 7) }
        for index in 0..<32 { font[index] ^= key[index % 16] }
        return font
    }

    @Test("a font Word embedded, its header obfuscated: the name table is still found and read")
    func obfuscated() throws {
        let font = Self.obfuscatedFont(names: ["机密字体 Embedded"])
        let sink = inspectAllWays(font, name: "font1.odttf")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.media.map(\.format) == ["font (obfuscated)"])
        #expect(sink.texts["font1.odttf"] == "机密字体 Embedded")
        // Inside a docx, where Word puts it.
        let f = try Fixtures()
        try f.write("word/fonts/font1.odttf", font)
        try f.write("word/document.xml", "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body/></w:document>")
        try f.run("zip", ["-q", "-r", "a.docx", "word"])
        let docx = try inspectFile(f.url("a.docx"))
        #expect(docx.uninspected.isEmpty, "\(docx.reasons)")
        #expect(docx.texts["a.docx!word/fonts/font1.odttf"] == "机密字体 Embedded", "\(docx.texts)")
    }

    // MARK: SVM

    static func svm(cells: [String]) -> [UInt8] {
        let mapMode = le16(1) + le32(27) + [UInt8](repeating: 0, count: 27)
        let header = le32(0) + mapMode + le32(1000) + le32(500) + le32(cells.count)
        var actions: [UInt8] = []
        for (index, cell) in cells.enumerated() {
            let narrow = Array(cell.unicodeScalars.map { $0.isASCII ? UInt8($0.value) : UInt8(ascii: "?") })
            // TEXTARRAY v2: point, 8-bit string, index, length, widths, UTF-16 string.
            let data = le32(100 * index) + le32(200) + le16(narrow.count) + narrow + le16(0) + le16(cell.utf16.count)
                + le32(1) + le32(50) + le16(cell.utf16.count) + utf16LE(cell)
            actions += le16(113) + le16(2) + le32(data.count) + data
        }
        return Array("VCLMTF".utf8) + le16(1) + le32(header.count) + header + actions
    }

    @Test("StarView metafiles (ODF table previews): actions walked, text arrays read in UTF-16")
    func svm() {
        let sink = inspectAllWays(Self.svm(cells: ["机密", "数据", "val31"]), name: "Object 1")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.media.map(\.format) == ["svm"])
        // Cells on one baseline are joined, as a row is.
        #expect(sink.texts["Object 1"] == "机密数据val31")
        let cut = inspectAllWays(Array(Self.svm(cells: ["a", "b"]).dropLast(5)), name: "Object 1")
        #expect(cut.uninspected.map(\.1.code) == [.corrupt])
    }

    // MARK: Layout cache

    @Test("Writer's layout cache: records that tile the file are read structurally, their numbers passed on; anything else stays unknown binary")
    func layoutCache() {
        func record(_ type: String, _ numbers: [UInt8]) -> [UInt8] {
            Self.le32((5 + numbers.count) << 8 | Int(UInt8(ascii: Unicode.Scalar(type)!))) + [UInt8(numbers.count)] + numbers
        }
        let paragraphs = record("P", Self.le32(35)) + record("P", Self.le32(60) + Self.le32(2))
        let pages = Self.le32((5 + paragraphs.count) << 8 | Int(UInt8(ascii: "p"))) + [0] + paragraphs
        let cache = Self.le16(1) + Self.le16(1) + pages
        let sink = inspectAllWays(cache, name: "layout-cache")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.media.isEmpty)
        // Bytes put where the numbers go are still read: no words hide there.
        let hiding = Self.le16(1) + Self.le16(1) + record("P", Array("机密".utf8)) + record("P", Array("★10年".utf8))
        #expect(inspectAllWays(hiding, name: "layout-cache").texts["layout-cache"]?.contains("机密★10年") == true)
        // Records that do not tile the file are unknown binary, as before.
        let broken = Array(cache.dropLast(3)) + Array("机密".utf8)
        #expect(inspectAllWays(broken, name: "layout-cache").uninspected.map(\.1.code) == [.binaryContent])
    }
}

/// S/MIME made with openssl: a detached signature is a signature; opaque signed data has
/// its content read; enveloped data is encrypted.
@Suite("S/MIME (CMS) parts")
struct SMIMETests {
    static func credentials(_ f: Fixtures) throws {
        try f.run("openssl", ["req", "-utf8", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                              "-days", "2", "-subj", "/CN=张三 Example/O=示例公司"])
        try f.write("body.txt", "Content-Type: text/plain; charset=utf-8\r\n\r\n机密★10年 合同附件\r\n")
    }

    @Test("a detached signature (smime.p7s) is parsed and reported as a signature, its names read; the signed text is read")
    func detached() throws {
        let f = try Fixtures()
        try Self.credentials(f)
        let mail = try f.run("openssl", ["smime", "-sign", "-in", "body.txt", "-signer", "cert.pem", "-inkey", "key.pem"])
        let sink = inspectAllWays(mail, name: "signed.eml")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.media.map(\.format) == ["pkcs7-signature"], "\(sink.media)")
        #expect(sink.texts.values.contains { $0.contains("机密★10年") }, "\(sink.texts.keys)")
        #expect(sink.texts.values.contains { $0.contains("示例公司") }, "\(sink.texts)")
    }

    @Test("opaque signed data carries its content: it is read")
    func opaque() throws {
        let f = try Fixtures()
        try Self.credentials(f)
        let der = try f.run("openssl", ["smime", "-sign", "-nodetach", "-in", "body.txt", "-signer", "cert.pem", "-inkey", "key.pem", "-outform", "DER"])
        let sink = inspectAllWays(der, name: "m.p7m")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.texts.values.contains { $0.contains("机密★10年") }, "\(sink.texts)")
    }

    @Test("enveloped data is encrypted; a damaged signature is corrupt")
    func enveloped() throws {
        let f = try Fixtures()
        try Self.credentials(f)
        let der = try f.run("openssl", ["smime", "-encrypt", "-aes256", "-in", "body.txt", "-outform", "DER", "cert.pem"])
        #expect(inspectAllWays(der, name: "m.p7m").uninspected.map(\.1) == [.encrypted])
        let signature = try f.run("openssl", ["smime", "-sign", "-in", "body.txt", "-signer", "cert.pem", "-inkey", "key.pem", "-outform", "DER"])
        let cut = Array(signature.dropLast(signature.count / 3))
        #expect(inspectAllWays(cut, name: "s.p7s").uninspected.map(\.1.code) == [.corrupt])
    }
}
