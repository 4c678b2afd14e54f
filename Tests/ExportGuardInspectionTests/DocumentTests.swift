import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardInspection

@Suite("XML, office documents and charsets")
struct DocumentTests {
    static let wordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    func makeDocx(_ f: Fixtures, name: String) throws -> [UInt8] {
        try f.write("docx/[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>
            """)
        // The marking is split across three runs, with formatting between them.
        try f.write("docx/word/header1.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:hdr xmlns:w="\(Self.wordNamespace)"><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>机</w:t></w:r><w:r><w:t>密★</w:t></w:r><w:r><w:t xml:space="preserve">10年</w:t></w:r></w:p></w:hdr>
            """)
        try f.write("docx/word/document.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="\(Self.wordNamespace)"><w:body><w:p><w:r><w:t>第一段</w:t></w:r></w:p><w:p><w:r><w:t>第二段</w:t></w:r><w:r><w:tab/><w:t>续</w:t></w:r></w:p></w:body></w:document>
            """)
        try f.write("docx/docProps/core.xml", """
            <?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>项目报告</dc:title><dc:creator>张三</dc:creator></cp:coreProperties>
            """)
        try f.run("sh", ["-c", "cd docx && zip -q -r ../\(name) ."])
        return try f.read(name)
    }

    @Test("a docx, even renamed .jpg: runs joined inside a paragraph, paragraphs separated, metadata read")
    func docx() throws {
        let f = try Fixtures()
        let bytes = try makeDocx(f, name: "report.jpg")
        let sink = inspectAllWays(bytes, name: "report.jpg")
        #expect(sink.texts["report.jpg!word/header1.xml"] == "机密★10年")
        #expect(sink.texts["report.jpg!word/document.xml"] == "第一段\n第二段\t续")
        #expect(sink.texts["report.jpg!docProps/core.xml"] == "项目报告\n张三")
        #expect(sink.marks.contains(.element("w:hdr/w:p:2")))
        // The second paragraph of the body, counted among its siblings.
        #expect(sink.marks.contains(.element("w:document/w:body/w:p[2]:2")))
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("xlsx shared and inline strings, pptx slide text and odt paragraphs with spans")
    func otherOfficeFormats() throws {
        let f = try Fixtures()
        let sheet = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        try f.write("xlsx/xl/sharedStrings.xml", """
            <?xml version="1.0" encoding="UTF-8"?><sst xmlns="\(sheet)"><si><t>身份证号</t></si><si><r><t>国家</t></r><r><t>秘密</t></r></si></sst>
            """)
        try f.write("xlsx/xl/worksheets/sheet1.xml", """
            <?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="\(sheet)"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>内联文本</t></is></c></row></sheetData></worksheet>
            """)
        try f.run("sh", ["-c", "cd xlsx && zip -q -r ../book.xlsx ."])
        let xlsx = inspectAllWays(try f.read("book.xlsx"), name: "book.xlsx")
        #expect(xlsx.texts["book.xlsx!xl/sharedStrings.xml"] == "身份证号\n国家秘密")
        #expect(xlsx.texts["book.xlsx!xl/worksheets/sheet1.xml"] == "0\n内联文本")

        try f.write("pptx/ppt/slides/slide1.xml", """
            <?xml version="1.0" encoding="UTF-8"?><p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>绝密</a:t></a:r><a:r><a:t>★</a:t></a:r></a:p><a:p><a:r><a:t>第二行</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>
            """)
        try f.run("sh", ["-c", "cd pptx && zip -q -r ../deck.pptx ."])
        #expect(inspectAllWays(try f.read("deck.pptx"), name: "deck.pptx").texts["deck.pptx!ppt/slides/slide1.xml"] == "绝密★\n第二行")

        try f.write("odt/mimetype", "application/vnd.oasis.opendocument.text")
        try f.write("odt/content.xml", """
            <?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>机<text:span>密</text:span>★<text:s/>10年</text:p><text:p>正文</text:p></office:text></office:body></office:document-content>
            """)
        try f.write("odt/meta.xml", """
            <?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:title>内部资料</dc:title></office:meta></office:document-meta>
            """)
        try f.run("sh", ["-c", "cd odt && zip -q -0 -X ../doc.odt mimetype && zip -q -r ../doc.odt content.xml meta.xml"])
        let odt = inspectAllWays(try f.read("doc.odt"), name: "doc.odt")
        #expect(odt.texts["doc.odt!content.xml"] == "机密★ 10年\n正文")
        #expect(odt.texts["doc.odt!meta.xml"] == "内部资料")
        #expect(odt.texts["doc.odt!mimetype"] == "application/vnd.oasis.opendocument.text")
    }

    @Test("an xlsx as openpyxl writes it: no XML declaration, Chinese as character references")
    func undeclaredXMLParts() throws {
        let f = try Fixtures()
        // 机密★10年 and 张三 as &#NNNNN; references, as openpyxl writes non-ASCII inline strings.
        try f.write("xlsx/xl/worksheets/sheet1.xml", """
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&#26426;&#23494;&#9733;10&#24180;</t></is></c><c r="B1" t="inlineStr"><is><t>&#24352;&#19977;</t></is></c></row></sheetData></worksheet>
            """)
        try f.run("sh", ["-c", "cd xlsx && zip -q -r ../book.xlsx ."])
        let xlsx = inspectAllWays(try f.read("book.xlsx"), name: "book.xlsx")
        #expect(xlsx.texts["book.xlsx!xl/worksheets/sheet1.xml"] == "机密★10年\n张三")
        #expect(xlsx.marks.contains(.element("worksheet/sheetData/row[1]/c[A1]/is:1")))
        #expect(xlsx.marks.contains(.element("worksheet/sheetData/row[1]/c[B1]/is:1")))
        #expect(xlsx.uninspected.isEmpty, "\(xlsx.reasons)")
    }

    @Test("an HTML file is read for its text: tags and scripts dropped, character references decoded")
    func htmlFile() {
        let page = Array("""
            <!DOCTYPE html><html><head><title>周报</title><script>var a = "<b>";</script></head>
            <body><p>&#26426;&#23494;&#9733;10&#24180;</p><p>联系人 &amp; 电话</p></body></html>
            """.utf8)
        let sink = inspectAllWays(page, name: "page.html")
        #expect(sink.texts["page.html"]?.contains("机密★10年") == true, "\(sink.texts)")
        #expect(sink.texts["page.html"]?.contains("联系人 & 电话") == true)
        #expect(sink.texts["page.html"]?.contains("<b>") == false)
        #expect(sink.uninspected.isEmpty)
    }

    @Test("KML coordinates and GPX attributes become text")
    func geographic() {
        let kml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>控制点A</name><Point><coordinates>116.4073952,39.9042001,43.5</coordinates></Point></Placemark></kml>
            """
        let sink = inspectAllWays(Array(kml.utf8), name: "points.kml")
        #expect(sink.texts["points.kml"] == "控制点A\n116.4073952,39.9042001,43.5")
        let gpx = """
            <gpx version="1.1"><trk><trkseg><trkpt lat="39.9042001" lon="116.4073952"><ele>43.5</ele></trkpt></trkseg></trk></gpx>
            """
        #expect(inspectAllWays(Array(gpx.utf8), name: "t.gpx").texts["t.gpx"] == "1.1\n39.9042001, 116.4073952\n43.5")
    }

    @Test("billion laughs ends the part as uninspected, after a few hundred bytes of expansion")
    func billionLaughs() {
        var entities = "<!ENTITY lol \"lol\">"
        for level in 1...9 {
            entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level == 1 ? "" : String(level - 1));", count: 10) + "\">"
        }
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE lolz [\(entities)]><lolz>&lol9;</lolz>"
        let sink = inspectAllWays(Array(xml.utf8), name: "lol.xml")
        #expect(sink.uninspected.count == 1)
        #expect(sink.reasons.first?.contains("corrupt: XML") == true)
        #expect((sink.texts["lol.xml"] ?? "").utf8.count < 10_000)
    }

    @Test("entities of the internal subset are read where referenced; one only an external DTD declares is not in the file")
    func internalEntities() {
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"r.dtd\" [<!ENTITY e \"机密★10年\">]><r>a &e; b &e; c &fromDTD;</r>"
        let sink = inspectAllWays(Array(xml.utf8), name: "e.xml")
        #expect(sink.texts["e.xml"] == "a 机密★10年 b 机密★10年 c ", "\(sink.texts)")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        // Without any DTD an undeclared entity is an error, as XML says.
        let bare = inspectAllWays(Array("<?xml version=\"1.0\"?><r>a &nowhere; b</r>".utf8), name: "b.xml")
        #expect(bare.uninspected.map(\.1.code) == [.corrupt])
    }

    @Test("an external entity naming a local file is never read")
    func externalEntity() throws {
        let f = try Fixtures()
        let secret = try f.write("secret.txt", "CONTENT-THAT-MUST-NOT-APPEAR\n")
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file://\(secret.path)\">]><r>before &x; after</r>"
        let sink = inspectAllWays(Array(xml.utf8), name: "xxe.xml")
        #expect(!sink.texts.values.joined().contains("MUST-NOT-APPEAR"))
        #expect(sink.uninspected.count == 1)
        // Predefined entities still work.
        let plain = inspectAllWays(Array("<?xml version=\"1.0\"?><r>a &amp; b &lt; c</r>".utf8), name: "ok.xml")
        #expect(plain.texts["ok.xml"] == "a & b < c")
    }

    @Test("malformed XML is uninspected with its line; the text before it was read")
    func malformed() {
        let sink = inspectAllWays(Array("<?xml version=\"1.0\"?>\n<r><p>第一段</p>\n<p>未闭合</r>".utf8), name: "bad.xml")
        #expect(sink.texts["bad.xml"]?.hasPrefix("第一段") == true)
        #expect(sink.reasons.count == 1)
        #expect(sink.reasons.first?.contains("XML line 3") == true)
    }

    @Test("GB18030, Big5 and UTF-16 text is converted to UTF-8", arguments: ["GB18030", "BIG5", "UTF-16LE", "UTF-16BE", "UTF-16"])
    func charsets(charset: String) throws {
        let f = try Fixtures()
        let text = charset == "BIG5" ? "機密★10年 國家秘密文件內容，請妥善保管。\n" : "机密★10年 国家秘密文件内容，请妥善保管。\n"
        let encoded = try f.run("iconv", ["-f", "UTF-8", "-t", charset], stdin: Array(text.utf8))
        #expect(encoded != Array(text.utf8))
        let sink = inspectAllWays(encoded, name: "text")
        #expect(sink.texts == ["text": text], "\(charset)")
        #expect(sink.uninspected.isEmpty)
    }

    @Test("an invalid byte in GB18030 text is replaced, and the rest is read")
    func invalidLegacy() throws {
        let f = try Fixtures()
        let encoded = try f.run("iconv", ["-f", "UTF-8", "-t", "GB18030"], stdin: Array("前面的文字内容比较长一些 ".utf8))
            + [0x81, 0x20] + f.run("iconv", ["-f", "UTF-8", "-t", "GB18030"], stdin: Array("后面".utf8))
        let sink = inspectAllWays(encoded, name: "t")
        #expect(sink.texts["t"] == "前面的文字内容比较长一些 \u{FFFD} 后面")
    }
}

@Suite("Document properties")
struct DocumentPropertiesTests {
    @Test("extended and custom properties: every field is a text block of its own, with its element as the location")
    func propertyFields() {
        let app = Array("""
            <?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><TotalTime>12</TotalTime><Company>国防科工</Company><Manager>张三</Manager></Properties>
            """.utf8)
        let sink = inspectAllWays(app, name: "app.xml")
        #expect(sink.texts["app.xml"] == "12\n国防科工\n张三", "fields must not run together")
        #expect(sink.marks == [.element("Properties/TotalTime:1"), .element("Properties/Company:1"), .element("Properties/Manager:1")])
    }
}

@Suite("Printer settings inside office packages")
struct PrinterSettingsTests {
    @Test("text runs of a DEVMODE-like blob: UTF-16LE printer name, UTF-8 text, no noise")
    func textRuns() {
        var blob: [UInt8] = []
        for unit in "HP LaserJet 4".utf16 { blob += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        blob += [0, 0, 0x04, 0x01, 0xDC, 0x00, 0xFF, 0x8F, 0x13]
        blob += Array("<key>PMPrinter</key>机密★10年".utf8) + [0x00, 0x01, 0x02] + Array("ab".utf8) + [0xFF]
        let text = String(decoding: PrinterSettingsDecoder.textRuns(blob), as: UTF8.self)
        #expect(text.contains("HP LaserJet 4\n"))
        #expect(text.contains("<key>PMPrinter</key>机密★10年\n"))
        #expect(!text.contains("ab\n"), "runs shorter than four characters are noise")
    }

    /// A DEVMODEW of 220 bytes for `device`, with `driverData` after it.
    static func devmode(device: String, driverData: [UInt8] = []) -> [UInt8] {
        var devmode: [UInt8] = []
        for unit in device.utf16 { devmode += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        devmode += Array(repeating: 0, count: 64 - devmode.count)
        devmode += [0x01, 0x04, 0x00, 0x06, 0xDC, 0x00, UInt8(driverData.count & 0xFF), UInt8(driverData.count >> 8)]
        devmode += Array(repeating: 0x00, count: 220 - devmode.count)
        // dmFormName "A4" in UTF-16LE.
        devmode.replaceSubrange(102..<106, with: [0x41, 0x00, 0x34, 0x00])
        return devmode + driverData
    }

    @Test("printer settings are recognised by structure: a DEVMODE's names and driver text are read, other binary is reported")
    func insideAPackage() throws {
        let f = try Fixtures()
        let utf16 = "内部资料打印".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let devmode = Self.devmode(device: "Office Printer", driverData: [0x00, 0x10] + Array("驱动 机密★10年".utf8) + [0x00, 0x01, 0x00] + utf16 + [0x00, 0x00])
        try f.write("pptx/ppt/printerSettings/printerSettings1.bin", devmode)
        try f.write("pptx/ppt/embeddings/blob.bin", [0x00, 0xFF, 0x10, 0x80] + Array(repeating: 0x01, count: 60))
        try f.write("pptx/ppt/slides/slide1.xml", """
            <?xml version="1.0" encoding="UTF-8"?><p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>季度计划</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>
            """)
        try f.run("sh", ["-c", "cd pptx && zip -q -r ../deck.pptx ."])
        let sink = inspectAllWays(try f.read("deck.pptx"), name: "deck.pptx")
        let text = sink.texts["deck.pptx!ppt/printerSettings/printerSettings1.bin"]
        #expect(text?.hasPrefix("Office Printer\nA4\n") == true)
        #expect(text?.contains("驱动 机密★10年") == true)
        #expect(text?.contains("内部资料打印") == true, "UTF-16 Chinese in the driver data")
        #expect(sink.uninspected.map(\.0.description) == ["deck.pptx!ppt/embeddings/blob.bin"], "\(sink.reasons)")
    }

    @Test("a member named like printer settings but holding scrambled text is unknown binary, not read by its name")
    func judgedByContent() throws {
        let f = try Fixtures()
        let secret = Array("机密★10年 内部资料".utf8)
        try f.write("x/word/printerSettings/printerSettings1.bin", (0..<3000).map { secret[$0 % secret.count] ^ UInt8(truncatingIfNeeded: $0 &* 131) })
        // A DEVMODE whose sizes do not add up is not one either.
        try f.write("x/word/printerSettings/printerSettings2.bin", Self.devmode(device: "Printer") + [1, 2, 3])
        try f.run("sh", ["-c", "cd x && zip -q -r ../a.docx ."])
        let sink = inspectAllWays(try f.read("a.docx"), name: "a.docx")
        #expect(sink.uninspected.map(\.0.description).sorted() == [
            "a.docx!word/printerSettings/printerSettings1.bin", "a.docx!word/printerSettings/printerSettings2.bin",
        ], "\(sink.reasons)")
        #expect(sink.uninspected.allSatisfy { $0.1.code == .binaryContent })
    }

    @Test("macOS print records (as python-docx's and python-pptx's test files carry) are read as their property lists")
    func macPrintRecords() throws {
        let peers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/peers").standardized
        let documents = ["python-docx/sct-section-props.docx", "python-pptx/cht-replace-data.pptx"].map { peers.appendingPathComponent($0) }
        for document in documents where FileManager.default.fileExists(atPath: document.path) {
            let sink = try inspectFile(document)
            let settings = sink.parts.filter { $0.location.parts.last?.contains("printerSettings") == true }
            #expect(!settings.isEmpty, "\(document.lastPathComponent)")
            #expect(settings.allSatisfy { String(decoding: $0.text, as: UTF8.self).contains("com.apple.print") })
            #expect(!sink.uninspected.contains { $0.0.description.contains("printerSettings") }, "\(sink.reasons)")
        }
        // The same shape built here, so the check runs without the peers' files too.
        let plist = Array("<?xml version=\"1.0\"?><plist><dict><key>com.apple.print.ticket</key><string>机密★10年</string></dict></plist>".utf8)
        let length = [UInt8(plist.count & 0xFF), UInt8(plist.count >> 8), 0, 0]
        let record: [UInt8] = [2, 0, 0, 0] + [1, 0, 0, 0] + length + plist + [2, 0, 0, 0] + length + plist
        let sink = inspectAllWays(record, name: "printerSettings1.bin")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.texts["printerSettings1.bin"]?.contains("机密★10年") == true)
    }
}

/// Text that office formats keep in attributes and formulas, in packages zipped here.
@Suite("Office attributes and formulas")
struct OfficeAttributeTests {
    static let spreadsheet = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let word = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    @Test("sheet and defined names, alt text, comment authors, link tips, field instructions and external targets are read; part names and formatting are not")
    func attributes() throws {
        let f = try Fixtures()
        try f.write("p/xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="\(Self.spreadsheet)" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="张伟名单" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="机密范围">Sheet1!$A$1</definedName></definedNames></workbook>
            """)
        try f.write("p/word/document.xml", """
            <?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="\(Self.word)" \
            xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><w:body>\
            <w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="Picture 1" descr="身份证照片 11010119800101103X"/></wp:inline></w:drawing></w:r></w:p>\
            <w:p><w:fldSimple w:instr="HYPERLINK https://leak.example/x"><w:r><w:t>here</w:t></w:r></w:fldSimple>\
            <w:hyperlink w:tooltip="内部资料 不得外传"><w:r><w:t>link</w:t></w:r></w:hyperlink></w:p></w:body></w:document>
            """)
        try f.write("p/word/comments.xml", """
            <?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="\(Self.word)"><w:comment w:id="0" w:author="王芳" w:initials="WF">\
            <w:p><w:r><w:t>see above</w:t></w:r></w:p></w:comment></w:comments>
            """)
        try f.write("p/word/_rels/document.xml.rels", """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/>\
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://files.example/机密.zip" TargetMode="External"/>\
            </Relationships>
            """)
        try f.run("sh", ["-c", "cd p && zip -q -r ../a.zip ."])
        let texts = inspectAllWays(try f.read("a.zip"), name: "a.zip").texts
        #expect(texts["a.zip!xl/workbook.xml"] == "张伟名单\nSheet1!$A$1\n机密范围", "\(texts)")
        let document = texts["a.zip!word/document.xml"] ?? ""
        // A paragraph's own words stay together ("here" and "link" are one line); what its
        // attributes hold follows it, a line each.
        #expect(document.contains("herelink\nHYPERLINK https://leak.example/x\n内部资料 不得外传"), "\(document)")
        for expected in ["Picture 1\n身份证照片 11010119800101103X", "HYPERLINK https://leak.example/x", "内部资料 不得外传"] {
            #expect(document.contains(expected), "\(expected) in \(document)")
        }
        #expect(texts["a.zip!word/comments.xml"]?.contains("王芳\nWF") == true)
        #expect(texts["a.zip!word/_rels/document.xml.rels"] == "https://files.example/机密.zip", "\(texts)")
        #expect(!document.split(separator: "\n").contains("1"), "ids are not text")
    }

    @Test("a link inside a paragraph does not split its words: its target follows the paragraph")
    func linkInParagraph() {
        let xml = #"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"><office:body><office:text><text:p>机<text:a xlink:href="https://x.example/">密</text:a>文件</text:p></office:text></office:body></office:document-content>"#
        let text = inspectAllWays(Array(xml.utf8), name: "content.xml").texts["content.xml"] ?? ""
        #expect(text == "机密文件\nhttps://x.example/", "\(text)")
    }

    @Test("a formula's string literals are read joined, as the cell shows them")
    func formulaLiterals() throws {
        #expect(XMLTextCollector.formulaLiterals(Array(#""110101199"&"003071234""#.utf8)) == Array("110101199003071234".utf8))
        #expect(XMLTextCollector.formulaLiterals(Array(#"CONCATENATE("机", "密")&A1"#.utf8)) == Array("机密".utf8))
        #expect(XMLTextCollector.formulaLiterals(Array(#""say ""hi"""&"!""#.utf8)) == Array(#"say "hi"!"#.utf8))
        #expect(XMLTextCollector.formulaLiterals(Array("SUM(A1:A9)".utf8)).isEmpty)
        #expect(XMLTextCollector.formulaLiterals(Array(#""only one""#.utf8)).isEmpty)

        let f = try Fixtures()
        try f.write("p/xl/worksheets/sheet1.xml", """
            <?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="\(Self.spreadsheet)"><sheetData><row r="1">\
            <c r="A1" t="str"><f>"110101199"&amp;"003071234"</f><v>110101199003071234</v></c></row></sheetData></worksheet>
            """)
        try f.run("sh", ["-c", "cd p && zip -q -r ../b.xlsx ."])
        let sheet = inspectAllWays(try f.read("b.xlsx"), name: "b.xlsx").texts["b.xlsx!xl/worksheets/sheet1.xml"] ?? ""
        #expect(sheet.contains("\"110101199\"&\"003071234\"\n110101199003071234"), "\(sheet)")
    }
}
