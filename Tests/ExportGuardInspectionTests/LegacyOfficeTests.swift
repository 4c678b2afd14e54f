import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardInspection

/// Word, Excel and PowerPoint 97–2003 files (and WPS Office's, which are the same formats)
/// written by LibreOffice from flat ODF sources made here.
@Suite("Legacy Office: OLE2 compound files, Word, Excel, PowerPoint, VBA, properties")
struct LegacyOfficeTests {
    static let officeNamespaces = """
        xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" \
        xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" \
        xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" \
        xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" \
        xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
        """

    /// A text document with a title, a header, a footnote and a table of IDs.
    static let writer = """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document \(officeNamespaces) office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
        <office:meta><dc:title>出境审查</dc:title></office:meta>
        <office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">
        <style:header><text:p>机密★10年 header</text:p></style:header></style:master-page></office:master-styles>
        <office:body><office:text>
        <text:p>内部资料 不得外传。Confidential body.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>脚注 footnote text</text:p></text:note-body></text:note></text:p>
        <table:table table:name="T"><table:table-column table:number-columns-repeated="2"/>
        <table:table-row><table:table-cell><text:p>张伟</text:p></table:table-cell><table:table-cell><text:p>11010119800101103X</text:p></table:table-cell></table:table-row>
        <table:table-row><table:table-cell><text:p>王芳</text:p></table:table-cell><table:table-cell><text:p>310104197512311378</text:p></table:table-cell></table:table-row>
        </table:table>
        </office:text></office:body></office:document>
        """

    static let calc = """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document \(officeNamespaces) office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
        <office:body><office:spreadsheet>
        <table:table table:name="名单"><table:table-row><table:table-cell office:value-type="string"><text:p>张伟</text:p></table:table-cell>
        <table:table-cell office:value-type="string"><text:p>11010119800101103X</text:p></table:table-cell>
        <table:table-cell office:value-type="float" office:value="13800138000"><text:p>13800138000</text:p></table:table-cell>
        <table:table-cell office:value-type="float" office:value="-12.5"><text:p>-12.5</text:p></table:table-cell></table:table-row></table:table>
        <table:table table:name="Notes"><table:table-row><table:table-cell office:value-type="string"><text:p>内部资料 不得外传</text:p></table:table-cell></table:table-row></table:table>
        </office:spreadsheet></office:body></office:document>
        """

    static let impress = """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document \(officeNamespaces) office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.presentation">
        <office:body><office:presentation><draw:page draw:name="p1">
        <draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" svg:height="3cm"><draw:text-box><text:p>机密★10年 项目汇报</text:p></draw:text-box></draw:frame>
        </draw:page><draw:page draw:name="p2">
        <draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" svg:height="3cm"><draw:text-box><text:p>身份证 11010119800101103X</text:p></draw:text-box></draw:frame>
        </draw:page></office:presentation></office:body></office:document>
        """

    /// Converts a flat ODF source with LibreOffice, headless, in the fixture's own profile.
    static func convert(_ f: Fixtures, source name: String, _ text: String, to format: String) throws -> URL {
        try f.write(name, text)
        try f.run("soffice", ["-env:UserInstallation=file://\(f.url("profile").path)", "--headless", "--convert-to", format, "--outdir", f.directory.path, f.url(name).path])
        return f.url((name as NSString).deletingPathExtension + "." + format)
    }

    @Test("a Word 97 document: main text, header, footnote and properties, each at its place; the same bytes as .wps")
    func word() throws {
        let f = try Fixtures()
        let doc = try Self.convert(f, source: "memo.fodt", Self.writer, to: "doc")
        let sink = try inspectFile(doc)
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.positioned["memo.doc#main"]?.contains("内部资料 不得外传。Confidential body.") == true, "\(sink.positioned)")
        #expect(sink.positioned["memo.doc#main"]?.contains("张伟\t11010119800101103X\n王芳\t310104197512311378") == true)
        #expect(sink.positioned["memo.doc#footnotes"]?.contains("脚注 footnote text") == true)
        #expect(sink.positioned["memo.doc#headers"]?.contains("机密★10年 header") == true)
        #expect(sink.positioned["memo.doc#properties"]?.contains("出境审查") == true)

        // Read from a stream (a mail attachment), and under WPS Office's name: the same text.
        let bytes = try f.read("memo.doc")
        let streamed = inspectAllWays(bytes, name: "memo.wps")
        #expect(streamed.positioned["memo.wps#main"] == sink.positioned["memo.doc#main"])
    }

    @Test("an Excel 97 workbook: sheet names, shared strings, numbers by sheet")
    func excel() throws {
        let f = try Fixtures()
        let xls = try Self.convert(f, source: "book.fods", Self.calc, to: "xls")
        let sink = try inspectFile(xls)
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.positioned["book.xls#sheets"] == "名单\nNotes\n\n")
        let strings = sink.positioned["book.xls#shared strings"] ?? ""
        for expected in ["张伟", "11010119800101103X", "内部资料 不得外传"] { #expect(strings.contains(expected), "\(strings)") }
        #expect(sink.positioned["book.xls#sheet=名单"]?.contains("13800138000\t-12.5") == true, "\(sink.positioned)")
        #expect(inspectAllWays(try f.read("book.xls"), name: "book.et").positioned["book.et#shared strings"] == strings)
    }

    @Test("a PowerPoint 97 presentation: the text of its slides")
    func powerPoint() throws {
        let f = try Fixtures()
        let ppt = try Self.convert(f, source: "deck.fodp", Self.impress, to: "ppt")
        let sink = try inspectFile(ppt)
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        let slides = sink.positioned["deck.ppt#slides"] ?? ""
        #expect(slides.contains("机密★10年 项目汇报\n"), "\(slides)")
        #expect(slides.contains("身份证 11010119800101103X\n"))
        #expect(!slides.contains("___PPT"))
    }

    @Test("a Word document marked encrypted in its FIB, and an encrypted OOXML package, are encrypted")
    func encrypted() throws {
        let f = try Fixtures()
        var doc = try f.read(try Self.convert(f, source: "memo.fodt", Self.writer, to: "doc").lastPathComponent)
        // The FIB opens the WordDocument stream: wIdent 0xA5EC, then fEncrypted in the flags at +10.
        let fib = try #require((0..<(doc.count - 12)).first { $0 % 512 == 0 && doc[$0] == 0xEC && doc[$0 + 1] == 0xA5 })
        doc[fib + 11] |= 0x01
        #expect(inspectAllWays(doc, name: "locked.doc").reasons == ["locked.doc: encrypted"])

        // An Office 2007+ file with a password is a compound file holding EncryptionInfo and
        // EncryptedPackage (the CFB is built by hand: one FAT sector, one directory sector).
        let package = CompoundFileBuilder.file(streams: [("EncryptionInfo", [UInt8](repeating: 4, count: 200)), ("EncryptedPackage", [UInt8](repeating: 7, count: 5000))])
        #expect(inspectAllWays(package, name: "secret.docx").reasons == ["secret.docx: encrypted"])
    }

    @Test("VBA: a project's module source is read in its code page; MS-OVBA decompression of literals and copy tokens")
    func vba() throws {
        // A `dir` stream and a module, each one raw (uncompressed) chunk of a compressed container.
        func container(_ bytes: [UInt8]) -> [UInt8] {
            [0x01, 0xFF, 0x3F] + bytes + [UInt8](repeating: 0x20, count: 4096 - bytes.count)
        }
        func record(_ id: Int, _ data: [UInt8]) -> [UInt8] {
            [UInt8(id & 0xFF), UInt8(id >> 8), UInt8(data.count & 0xFF), UInt8(data.count >> 8), 0, 0] + data
        }
        let dir = record(0x0003, [0xA8, 0x03]) + record(0x0019, Array("Module1".utf8)) + record(0x001A, Array("Module1".utf8))
            + record(0x0031, [0, 0, 0, 0]) + record(0x002B, [])
        // 机密 in GBK (the project's code page, 936).
        let source = Array("Sub Leak()\r\n  MsgBox \"".utf8) + [0xBB, 0xFA, 0xC3, 0xDC] + Array("\"\r\nEnd Sub\r\n".utf8)
        let project = CompoundFileBuilder.file(streams: [("dir", container(dir)), ("Module1", container(source))], storage: "VBA")
        let sink = inspectAllWays(project, name: "vbaProject.bin")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.texts["vbaProject.bin!VBA/Module1"]?.hasPrefix("Sub Leak()\r\n  MsgBox \"机密\"\r\nEnd Sub") == true, "\(sink.texts)")

        // "abc", then a copy token: offset 3, length 3 (four offset bits at position 3).
        #expect(VBAProject.decompress([0x01, 0x05, 0xB0, 0x08, 0x61, 0x62, 0x63, 0x00, 0x20]) == Array("abcabc".utf8))
        // A raw (uncompressed) chunk.
        let raw = [UInt8](repeating: 0x41, count: 4096)
        #expect(VBAProject.decompress([0x01, 0xFF, 0x3F] + raw) == raw)
        #expect(VBAProject.decompress([0x02, 0x00]) == nil)
        // A copy token reaching before the chunk is corrupt.
        #expect(VBAProject.decompress([0x01, 0x02, 0xB0, 0x01, 0x00, 0x20]) == nil)
    }

    @Test("OLE 1.0 package records that are empty or cut short are not packages, never a trap")
    func packages() {
        for native in [[], [0, 0], [0, 0, 0, 0], [2, 0, 0x61, 0, 0x62, 0], [2, 0, 0x61, 0, 0x62, 0, 0, 0, 3, 0, 0xFF, 0xFF, 0xFF, 0x7F]] as [[UInt8]] {
            #expect(OLE1Package.file(in: native) == nil)
        }
        var record: [UInt8] = [2, 0] + Array("名单.csv".utf8) + [0] + Array("C:\\a.csv".utf8) + [0, 0, 0, 3, 0]
        record += [3, 0, 0, 0] + Array("t\0\0".utf8) + [4, 0, 0, 0] + Array("ID,1".utf8)
        #expect(OLE1Package.file(in: record)?.label == "名单.csv")
        #expect(OLE1Package.file(in: record)?.data == Array("ID,1".utf8))
    }

    @Test("compound files that are damaged, looping, or of an unknown kind are reported, never read as text")
    func hostile() {
        // A FAT whose chain loops, sectors past the end, a cut-off file.
        var looping = CompoundFileBuilder.file(streams: [("WordDocument", [UInt8](repeating: 0, count: 5000))])
        // Point the stream's first sector at itself in the FAT (sector 0 is the FAT, its entries follow the header).
        looping[512 + 4 * 2] = 2
        looping[512 + 4 * 2 + 1] = 0
        looping[512 + 4 * 2 + 2] = 0
        looping[512 + 4 * 2 + 3] = 0
        let loop = inspectAllWays(looping, name: "loop.doc")
        #expect(loop.uninspected.first?.1.code == .corrupt, "\(loop.reasons)")
        let cut = inspectAllWays(Array(CompoundFileBuilder.file(streams: [("Workbook", [UInt8](repeating: 9, count: 9000))]).prefix(3000)), name: "cut.xls")
        #expect(cut.uninspected.first?.1.code == .corrupt, "\(cut.reasons)")
        let unknown = inspectAllWays(CompoundFileBuilder.file(streams: [("__properties_version1.0", [UInt8](repeating: 1, count: 100))]), name: "mail.msg")
        #expect(unknown.uninspected.first?.1.code == .unsupported, "\(unknown.reasons)")
        #expect(unknown.parts.allSatisfy { $0.text.isEmpty })
    }
}

/// Writes a minimal compound file (version 3, 512-byte sectors): one FAT sector, one
/// directory sector, streams of at least 4096 bytes in regular sectors (so no mini stream).
enum CompoundFileBuilder {
    /// With `storage`, the streams are inside a storage of that name under the root.
    static func file(streams: [(name: String, data: [UInt8])], storage: String? = nil) -> [UInt8] {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16 & 0xFFFF) }
        // Sector 0: the FAT; sector 1: the directory; then each stream, padded to sectors.
        var fat: [Int] = [0xFFFF_FFFD, 0xFFFF_FFFE]
        var starts: [Int] = []
        var body: [UInt8] = []
        for stream in streams {
            let padded = max(4096, stream.data.count)
            let sectors = (padded + 511) / 512
            let start = fat.count
            starts.append(start)
            for index in 0..<sectors { fat.append(index == sectors - 1 ? 0xFFFF_FFFE : start + index + 1) }
            body += stream.data + [UInt8](repeating: 0, count: sectors * 512 - stream.data.count)
        }
        precondition(fat.count <= 128)
        var header = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 16)
        header += le16(0x3E) + le16(3) + le16(0xFFFE) + le16(9) + le16(6) + [UInt8](repeating: 0, count: 6)
        header += le32(0) + le32(1) + le32(1) + le32(0) + le32(4096) + le32(0xFFFF_FFFE) + le32(0) + le32(0xFFFF_FFFE) + le32(0)
        header += le32(0) + (1..<109).flatMap { _ in le32(0xFFFF_FFFF) }
        var fatSector = fat.flatMap(le32)
        fatSector += (fat.count..<128).flatMap { _ in le32(0xFFFF_FFFF) }
        func entry(_ name: String, type: UInt8, left: Int, right: Int, child: Int, start: Int, size: Int) -> [UInt8] {
            let units = Array(name.utf16) + [0]
            var bytes = units.flatMap { le16(Int($0)) }
            bytes += [UInt8](repeating: 0, count: 64 - bytes.count)
            bytes += le16(units.count * 2) + [type, 1] + le32(left) + le32(right) + le32(child)
            bytes += [UInt8](repeating: 0, count: 16 + 4 + 16) + le32(start) + le32(size) + le32(0)
            return bytes
        }
        // The root's child is the first stream (or the storage holding them); the others
        // hang to its right, in a chain.
        let first = storage == nil ? 1 : 2
        var directory = entry("Root Entry", type: 5, left: -1, right: -1, child: streams.isEmpty ? -1 : 1, start: 0xFFFF_FFFE, size: 0)
        if let storage { directory += entry(storage, type: 1, left: -1, right: -1, child: 2, start: 0, size: 0) }
        for (index, stream) in streams.enumerated() {
            let right = index + 1 < streams.count ? first + index + 1 : -1
            directory += entry(stream.name, type: 2, left: -1, right: right, child: -1, start: starts[index], size: stream.data.count)
        }
        directory += [UInt8](repeating: 0, count: 512 - directory.count % 512 == 512 ? 0 : 512 - directory.count % 512)
        return header + fatSector + Array(directory.prefix(512)) + body
    }
}
