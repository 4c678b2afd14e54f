import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardInspection

@Suite("PDF: structure, fonts, filters, encryption, damage")
struct PDFTests {
    /// Two pages: an English line in Helvetica, Chinese in STSong-Light (UniGB-UCS2-H).
    static func twoPages() -> [UInt8] {
        PDFBuilder.document(pages: [
            "BT /F1 12 Tf 72 700 Td (Quarterly report) Tj ET",
            "BT /F2 14 Tf 72 700 Td \(PDFBuilder.utf16Hex("机密★10年")) Tj 0 -20 Td \(PDFBuilder.utf16Hex("内部资料")) Tj ET",
        ])
    }

    @Test("pages are read with their numbers, in a stream (held) and in place (a file), the same")
    func pagesWithLocations() throws {
        let pdf = Self.twoPages()
        let held = inspectAllWays(pdf, name: "report.pdf")
        #expect(held.uninspected.isEmpty, "\(held.reasons)")
        #expect(held.positioned["report.pdf#page=1"] == "Quarterly report\n")
        #expect(held.positioned["report.pdf#page=2"] == "机密★10年\n内部资料\n")

        let f = try Fixtures()
        let inPlace = try inspectFile(try f.write("report.pdf", pdf))
        #expect(inPlace.positioned == held.positioned)
        #expect(inPlace.uninspected.isEmpty)
    }

    @Test("a PDF inside a zip is a member like any other")
    func insideZip() throws {
        let f = try Fixtures()
        try f.write("report.pdf", Self.twoPages())
        try f.run("zip", ["-q", "bundle.zip", "report.pdf"])
        let sink = inspectAllWays(try f.read("bundle.zip"), name: "bundle.zip")
        #expect(sink.positioned["bundle.zip!report.pdf#page=2"] == "机密★10年\n内部资料\n")
    }

    @Test("qpdf's compressed, object-stream, cross-reference-stream and linearized forms read the same")
    func qpdfForms() throws {
        let f = try Fixtures()
        try f.write("plain.pdf", Self.twoPages())
        func pages(_ sink: RecordingSink) -> [String] { sink.positioned.sorted { $0.key < $1.key }.map(\.value) }
        let expected = pages(try inspectFile(f.url("plain.pdf")))
        for (name, arguments) in [
            ("compressed.pdf", ["--compress-streams=y", "--object-streams=disable"]),
            ("objstm.pdf", ["--compress-streams=y", "--object-streams=generate"]),
            ("linear.pdf", ["--linearize"]),
        ] {
            try f.run("qpdf", arguments + ["plain.pdf", name])
            let sink = try inspectFile(f.url(name))
            #expect(pages(sink) == expected, "\(name)")
            #expect(sink.uninspected.isEmpty, "\(name): \(sink.reasons)")
        }
        // The object-stream form really has no plain-text content left to grep.
        #expect(!String(decoding: try f.read("objstm.pdf"), as: UTF8.self).contains("Quarterly"))
    }

    @Test("an empty user password opens RC4-40, RC4-128, AES-128 and AES-256 files; a real one does not")
    func encryption() throws {
        let f = try Fixtures()
        try f.write("plain.pdf", Self.twoPages())
        for (name, arguments) in [
            ("rc4-40.pdf", ["--allow-weak-crypto", "--encrypt", "", "owner", "40", "--"]),
            ("rc4-128.pdf", ["--allow-weak-crypto", "--encrypt", "", "owner", "128", "--use-aes=n", "--"]),
            ("aes-128.pdf", ["--encrypt", "", "owner", "128", "--use-aes=y", "--"]),
            ("aes-256.pdf", ["--encrypt", "", "owner", "256", "--"]),
        ] {
            try f.run("qpdf", arguments + ["plain.pdf", name])
            let sink = try inspectFile(f.url(name))
            #expect(sink.positioned["\(name)#page=2"] == "机密★10年\n内部资料\n", "\(name)")
            #expect(sink.uninspected.isEmpty, "\(name): \(sink.reasons)")
        }
        for (name, arguments) in [
            ("user-aes.pdf", ["--encrypt", "user-secret", "owner", "256", "--"]),
            ("user-rc4.pdf", ["--allow-weak-crypto", "--encrypt", "user-secret", "owner", "128", "--use-aes=n", "--"]),
        ] {
            try f.run("qpdf", arguments + ["plain.pdf", name])
            let sink = inspectAllWays(try f.read(name), name: name)
            #expect(sink.parts.allSatisfy { $0.text.isEmpty }, "\(name)")
            #expect(sink.reasons == ["\(name): encrypted"])
        }
    }

    @Test("a cross-reference table whose offsets are wrong, or missing, is rebuilt from the objects")
    func brokenCrossReference() throws {
        let pdf = Self.twoPages()
        // Bytes inserted after the header move every object away from its offset.
        let header = Array(pdf.prefix(15))
        let shifted = header + Array("% padding inserted by a careless tool\n".utf8) + Array(pdf.dropFirst(15))
        let sink = inspectAllWays(shifted, name: "shifted.pdf")
        #expect(sink.positioned["shifted.pdf#page=2"] == "机密★10年\n内部资料\n")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")

        // No table at all: the trailer is found by its keyword.
        let text = String(decoding: pdf, as: UTF8.self)
        let xref = text.range(of: "xref\n")!.lowerBound
        let trailer = text.range(of: "trailer")!.lowerBound
        let noTable = Array((String(text[..<xref]) + String(text[trailer...])).utf8)
        #expect(inspectAllWays(noTable, name: "n.pdf").positioned["n.pdf#page=1"] == "Quarterly report\n")
    }

    @Test("an incremental update replaces a page: the old text is not read as the page's")
    func incrementalUpdate() throws {
        var pdf = Self.twoPages()
        let text = String(decoding: pdf, as: UTF8.self)
        let firstXref = text.range(of: "startxref\n")!.upperBound
        let previous = Int(text[firstXref...].prefix { $0.isNumber })!
        // Object 5 is page 1's content stream (root, tree, fonts, then page 1's contents).
        let content = "BT /F1 12 Tf 72 700 Td (Revised summary) Tj ET"
        let offset = pdf.count
        pdf += Array("4 0 obj\n<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream\nendobj\n".utf8)
        let xref = pdf.count
        pdf += Array("xref\n4 1\n\(String(format: "%010d", offset)) 00000 n \ntrailer\n<< /Size 9 /Root 1 0 R /Prev \(previous) >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        let sink = inspectAllWays(pdf, name: "u.pdf")
        #expect(sink.positioned["u.pdf#page=1"] == "Revised summary\n")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("ToUnicode CMaps: one-byte codes, bfrange with arrays, two-byte Identity-H codes")
    func toUnicode() throws {
        let cmap = """
            /CIDInit /ProcSet findresource begin 12 dict begin begincmap
            /CMapName /Test def /CMapType 2 def
            1 begincodespacerange <0000> <FFFF> endcodespacerange
            2 beginbfchar <0001> <673A> <0002> <5BC6> endbfchar
            2 beginbfrange <0010> <0012> <0041> <0020> <0021> [<0031> <D83DDE00>] endbfrange
            endcmap CMapName currentdict /CMap defineresource pop end end
            """
        let pdf = PDFBuilder.document(
            pages: ["BT /F3 12 Tf 72 700 Td <000100020010001100120020> Tj <0021> Tj ET"],
            extraFonts: "/F3 6 0 R"
        ) { builder in
            let toUnicode = builder.stream(text: cmap)
            let descendant = builder.add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Sub /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>")
            builder.add("<< /Type /Font /Subtype /Type0 /BaseFont /Sub /Encoding /Identity-H /DescendantFonts [\(descendant) 0 R] /ToUnicode \(toUnicode) 0 R >>")
        }
        let sink = inspectAllWays(pdf, name: "t.pdf")
        #expect(sink.positioned["t.pdf#page=1"] == "机密ABC1😀\n")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("a simple font's Differences name glyphs by uniXXXX, AGL names and ligatures")
    func differences() {
        let font = "/F3 << /Type /Font /Subtype /Type1 /BaseFont /Custom /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [1 /uni673A /uni5BC6 /f_i /space /u2605] >> >>"
        let pdf = PDFBuilder.document(pages: ["BT /F3 12 Tf 72 700 Td <0102030405> Tj (le) Tj ET"], extraFonts: font)
        let sink = inspectAllWays(pdf, name: "d.pdf")
        #expect(sink.positioned["d.pdf#page=1"] == "机密fi ★le\n")
    }

    @Test("text placement: TJ gaps and moves become spaces and line breaks; ActualText replaces glyphs, never hides them")
    func placement() {
        let content = """
            BT /F1 10 Tf 72 700 Td [(Con) -20 (fid) -30 (ential)] TJ [(two) -600 (words)] TJ
            0 -14 Td (next line ) Tj
            /Span << /ActualText <FEFF00660069> >> BDC (fi) Tj EMC (nal) Tj
            0 -14 Td /Span << /ActualText (public) >> BDC (secret) Tj EMC ET
            """
        let sink = inspectAllWays(PDFBuilder.document(pages: [content]), name: "p.pdf")
        #expect(sink.positioned["p.pdf#page=1"] == "Confidentialtwo words\nnext line final\npublic secret\n", "\(sink.positioned)")
    }

    @Test("form XObjects are drawn with their own resources; a form that draws itself stops")
    func formXObjects() {
        let pdf = PDFBuilder.document(pages: ["q 1 0 0 1 0 0 cm /Fm1 Do Q"], resources: "/XObject << /Fm1 4 0 R >>") { builder in
            builder.stream("/Type /XObject /Subtype /Form /BBox [0 0 500 500] /Resources << /Font << /G \(PDFBuilder.helvetica) >> /XObject << /Fm1 4 0 R >> >>",
                           text: "BT /G 12 Tf 10 10 Td (inside the form) Tj ET /Fm1 Do")
        }
        let sink = inspectAllWays(pdf, name: "f.pdf")
        #expect(sink.positioned["f.pdf#page=1"] == "inside the form\n")
    }

    @Test("document information, outline, form fields, comments and link targets are read, each at its place")
    func documentParts() {
        let title = PDFBuilder.utf16Hex("机密文件", bom: true)
        let pdf = PDFBuilder.document(
            pages: ["BT /F1 12 Tf 72 700 Td (Body) Tj ET"],
            catalog: "/Outlines 5 0 R /AcroForm << /Fields [7 0 R 8 0 R] >>",
            pageExtras: ["/Annots [6 0 R 7 0 R]"],
            trailer: "/Info 4 0 R"
        ) { builder in
            builder.add("<< /Title \(title) /Author (Li Lei) /Company (Example Ltd) /CreationDate (D:20240101) >>")
            builder.add("<< /Type /Outlines /First 9 0 R >>")
            builder.add("<< /Type /Annot /Subtype /Text /T (Reviewer) /Contents \(PDFBuilder.utf16Hex("不得外传", bom: true)) >>")
            builder.add("<< /Type /Annot /Subtype /Widget /FT /Tx /T (level) /V \(PDFBuilder.utf16Hex("绝密", bom: true)) >>")
            builder.add("<< /FT /Tx /T (hidden) /TU (Tooltip) /V (not on any page) >>")
            builder.add("<< /Title (Chapter 1) /First 10 0 R /Next 11 0 R >>")
            builder.add("<< /Title (Section 1.1) >>")
            // Back to the first: a cycle, read once.
            builder.add("<< /Title (Chapter 2) /Next 9 0 R >>")
        }
        let sink = inspectAllWays(pdf, name: "d.pdf")
        #expect(sink.positioned["d.pdf#info"] == "机密文件\nLi Lei\nExample Ltd\n")
        #expect(sink.positioned["d.pdf#page=1"] == "Body\n绝密\n")
        #expect(sink.positioned["d.pdf#annotations/page=1"] == "Reviewer\n不得外传\n")
        #expect(sink.positioned["d.pdf#outline"] == "Chapter 1\nSection 1.1\nChapter 2\n")
        #expect(sink.positioned["d.pdf#form"] == "level\nhidden\nTooltip\nnot on any page\n")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("embedded files and XMP metadata are nested streams, sniffed and read")
    func embeddedFiles() {
        let xmp = "<?xpacket begin=\"\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><dc:title xmlns:dc=\"http://purl.org/dc/elements/1.1/\">绝密</dc:title></x:xmpmeta><?xpacket end=\"w\"?>"
        let pdf = PDFBuilder.document(
            pages: ["BT /F1 12 Tf 72 700 Td (See attachment) Tj ET"],
            catalog: "/Names << /EmbeddedFiles << /Names [(ids) 5 0 R] >> >> /Metadata 6 0 R"
        ) { builder in
            builder.stream("/Type /EmbeddedFile", text: "张伟,11010119800101103X\n")
            builder.add("<< /Type /Filespec /F (ids.csv) /UF \(PDFBuilder.utf16Hex("名单.csv", bom: true)) /EF << /F 4 0 R >> >>")
            builder.stream("/Type /Metadata /Subtype /XML", text: xmp)
        }
        let sink = inspectAllWays(pdf, name: "e.pdf")
        #expect(sink.texts["e.pdf!名单.csv"] == "张伟,11010119800101103X\n")
        #expect(sink.texts["e.pdf!(XMP metadata)"]?.contains("绝密") == true)
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("a page that is only a picture is reported (a scan has no text to read); a picture beside text is media")
    func scannedPage() {
        let image = "/XObject << /Im1 4 0 R >>"
        let pdf = PDFBuilder.document(
            pages: ["q 612 0 0 792 0 0 cm /Im1 Do Q", "BT /F1 12 Tf 72 700 Td (Caption) Tj ET q 100 0 0 100 0 0 cm /Im1 Do Q"],
            resources: image
        ) { builder in
            builder.stream("/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", [0xFF, 0xD8, 0xFF, 0xD9])
        }
        let sink = inspectAllWays(pdf, name: "scan.pdf")
        #expect(sink.reasons == ["scan.pdf#page=1: unsupported: PDF: the page is an image without a text layer (a scan?)"])
        #expect(sink.media.map(\.location.description) == ["scan.pdf#page=2/Im1"])
        #expect(sink.media.map(\.format) == ["jpeg"])
    }

    @Test("text in a font with no way to Unicode is reported, not passed as empty")
    func unmappedFont() {
        let font = "/F3 << /Type /Font /Subtype /Type0 /BaseFont /Embedded /Encoding /Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Embedded /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>] >>"
        let pdf = PDFBuilder.document(pages: ["BT /F3 12 Tf 72 700 Td <0011002200330044005500660077008800990010> Tj ET"], extraFonts: font)
        let sink = inspectAllWays(pdf, name: "u.pdf")
        #expect(sink.reasons == ["u.pdf#page=1: unsupported: PDF: 10 glyphs have no Unicode mapping (font Embedded)"])
    }

    @Test("an inline image's binary data, even with EI-like bytes inside, is skipped")
    func inlineImage() {
        let content = "BT /F1 12 Tf 72 700 Td (before) Tj ET BI /W 4 /H 1 /CS /G /BPC 8 ID \u{1}EI(x)\u{2}\u{3} EI BT /F1 12 Tf 72 680 Td (after) Tj ET"
        let sink = inspectAllWays(PDFBuilder.document(pages: [content]), name: "i.pdf")
        #expect(sink.positioned["i.pdf#page=1"] == "before\nafter\n")
    }

    @Test("damaged, truncated and hostile PDFs end as uninspected, never as a crash or a hang")
    func hostile() {
        let pdf = Self.twoPages()
        // Cut short: the catalog and pages are gone.
        let truncated = inspectAllWays(Array(pdf.prefix(pdf.count / 3)), name: "t.pdf")
        #expect(truncated.uninspected.count == 1, "\(truncated.reasons)")
        #expect(truncated.uninspected.first?.1.code == .corrupt)
        // Just a header.
        #expect(inspectAllWays(Array("%PDF-1.4\n".utf8) + [UInt8](repeating: 0x41, count: 100), name: "h.pdf").uninspected.first?.1.code == .corrupt)
        // A page tree whose kids name the tree itself, and a /Prev that points back at its own table.
        var builder = PDFBuilder()
        builder.add("<< /Type /Catalog /Pages 2 0 R >>")
        builder.add("<< /Type /Pages /Kids [2 0 R 2 0 R] /Count 2 >>")
        var cyclic = builder.build(trailer: "/Root 1 0 R")
        let text = String(decoding: cyclic, as: UTF8.self)
        let start = Int(text[text.range(of: "startxref\n")!.upperBound...].prefix { $0.isNumber })!
        cyclic = Array(text.replacingOccurrences(of: "/Root 1 0 R", with: "/Root 1 0 R /Prev \(start)").utf8)
        let loop = inspectAllWays(cyclic, name: "c.pdf")
        #expect(loop.parts.allSatisfy { $0.text.isEmpty })
        // Arrays nested past the parser's limit.
        let deep = PDFBuilder.document(pages: [String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + " BT /F1 12 Tf (still read) Tj ET"])
        #expect(inspectAllWays(deep, name: "n.pdf").positioned["n.pdf#page=1"] == "still read\n")
        // A stream whose Length lies: the data runs to `endstream`.
        let lying = Array(String(decoding: Self.twoPages(), as: UTF8.self).replacingOccurrences(of: "/Length 46", with: "/Length 9999").utf8)
        #expect(inspectAllWays(lying, name: "l.pdf").positioned["l.pdf#page=1"] == "Quarterly report\n")
    }

    @Test("the filters: LZW, ASCII85, ASCIIHex, RunLength and PNG predictors, against known encodings")
    func filters() throws {
        // ISO 32000-1 §7.4.4.2's example.
        #expect(try PDFFilters.lzw([0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01], earlyChange: true, limit: 100) == Array("-----A---B".utf8))
        #expect(try PDFFilters.ascii85(Array("<~9jqo^BlbD-BleB1DJ+*+F(f,q/0JhKF<GL>Cj@.4Gp$d7F!,L7@<6@)/0JDEF<G%<+EV:2F!,O<DJ+*.@<*K0@<6L(Df-\\0Ec5e;DffZ(EZee.Bl.9pF\"AGXBPCsi+DGm>@3BB/F*&OCAfu2/AKYi(DIb:@FD,*)+C]U=@3BN#EcYf8ATD3s@q?d$AftVqCh[NqF<G:8+EV:.+Cf>-FD5W8ARlolDIal(DId<j@<?3r@:F%a+D58'ATD4$Bl@l3De:,-DJs`8ARoFb/0JMK@qB4^F!,R<AKZ&-DfTqBG%G>uD.RTpAKYo'+CT/5+Cei#DII?(E,9)oF*2M7/c~>".utf8)).starts(with: Array("Man is distinguished".utf8)))
        #expect(try PDFFilters.ascii85(Array("87cURD_*#4DfTZ)~>".utf8)) == Array("Hello, World".utf8))
        #expect(PDFFilters.asciiHex(Array("48 65 6C6C 6f7>".utf8)) == Array("Hellop".utf8))
        #expect(try PDFFilters.runLength([2, 0x61, 0x62, 0x63, 0xFE, 0x78, 128], limit: 100) == Array("abcxxx".utf8))
        // PNG "up" rows over two columns of one byte: 1 2 / +1 +1 → 2 3.
        var parameters = PDFDictionary()
        parameters["Predictor"] = .integer(12)
        parameters["Columns"] = .integer(2)
        #expect(try PDFFilters.predict([2, 1, 2, 2, 1, 1], parameters: parameters) == [1, 2, 2, 3])
        #expect(throws: PDFError.self) { try PDFFilters.lzw([0xFF, 0xFF, 0xFF], earlyChange: true, limit: 100) }
    }

    @Test("the standard handler's revision 6 hash matches qpdf's for the empty password")
    func revision6() throws {
        let f = try Fixtures()
        try f.write("plain.pdf", Self.twoPages())
        try f.run("qpdf", ["--encrypt", "", "owner", "256", "--", "plain.pdf", "r6.pdf"])
        let sink = try inspectFile(f.url("r6.pdf"))
        #expect(sink.positioned["r6.pdf#page=1"] == "Quarterly report\n")
    }

    @Test("hostile numbers: huge offsets, widths, differences and CIDs are read as nonsense, never trap")
    func hostileNumbers() {
        let huge = "9223372036854775699"
        // /W and /Differences with first codes near Int.max, an embedded CMap with a huge CID.
        let pdf = PDFBuilder.document(
            pages: ["BT /F3 12 Tf <0001> Tj /F4 12 Tf (ab) Tj /F5 12 Tf <00FF> Tj /F1 12 Tf (still read) Tj ET"],
            extraFonts: """
                /F3 << /Type /Font /Subtype /Type0 /Encoding /Identity-H /DescendantFonts [<< /Subtype /CIDFontType2 /W [\(huge) [500 500] -\(huge) \(huge) 500] >>] >>
                /F4 << /Type /Font /Subtype /Type1 /BaseFont /X /Encoding << /Differences [\(huge) /a /b /c] >> >>
                /F5 << /Type /Font /Subtype /Type0 /Encoding 4 0 R /DescendantFonts [<< /Subtype /CIDFontType0 /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) >> >>] >>
                """
        ) { builder in
            builder.stream(text: "1 begincodespacerange <0000> <FFFF> endcodespacerange 1 begincidrange <0000> <FFFF> \(huge) endcidrange")
        }
        let sink = inspectAllWays(pdf, name: "h.pdf")
        #expect(sink.positioned["h.pdf#page=1"]?.contains("still read") == true)
    }

    @Test("a chain of /Length references, and a predictor row of a gigabyte, end as limits, not a crash")
    func hostileChains() {
        var builder = PDFBuilder()
        builder.add("<< /Type /Catalog /Pages 2 0 R >>")
        builder.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        builder.add("<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 \(PDFBuilder.helvetica) >> >> >>")
        // Each stream's /Length is the next object, itself a stream whose length is the next …
        for number in 4..<2004 {
            builder.add("<< /Length \(number + 1) 0 R >>\nstream\nBT /F1 12 Tf (deep) Tj ET\nendstream")
        }
        builder.add("26")
        let sink = inspectAllWays(builder.build(trailer: "/Root 1 0 R"), name: "chain.pdf")
        #expect(sink.uninspected.contains { $0.1.code == .limitExceeded || $0.1.code == .corrupt }, "\(sink.reasons)")

        let predictor = PDFBuilder.document(pages: []) { builder in
            builder.stream("/DecodeParms << /Predictor 12 /Colors 32 /BitsPerComponent 16 /Columns 16777216 >> /Filter /FlateDecode", [0x78, 0x9C])
        }
        _ = inspectAllWays(predictor, name: "p.pdf")
        #expect(throws: PDFError.self) {
            var parameters = PDFDictionary()
            parameters["Predictor"] = .integer(12)
            parameters["Colors"] = .integer(32)
            parameters["BitsPerComponent"] = .integer(16)
            parameters["Columns"] = .integer(16_777_216)
            _ = try PDFFilters.predict([0, 0], parameters: parameters)
        }
    }

    @Test("a stream whose dictionary ends at a window's edge is still a stream; stray hex digits and extra operands are read past")
    func windowEdgeAndLeniency() {
        // Pad the content stream's dictionary so `stream` falls around the 4096-byte window end.
        for padding in [4020, 4040, 4060, 4070, 4080, 4090, 4100] {
            let filler = String(repeating: "x", count: padding)
            let pdf = PDFBuilder.document(pages: []) { builder in
                builder.stream("/Padding (\(filler))", text: "BT /F1 12 Tf (edge) Tj ET")
            }
            // A page is added by hand: its contents are the padded stream (object 4).
            let fixed = Self.addPage(to: String(decoding: pdf, as: UTF8.self), contents: 4)
            let sink = inspectAllWays(fixed, name: "w.pdf")
            #expect(sink.positioned["w.pdf#page=1"] == "edge\n", "padding \(padding): \(sink.reasons)")
        }
        let lenient = PDFBuilder.document(pages: ["<zz> pop BT 0 /F1 12 Tf 1 2 72 700 Td (lenient) Tj ET"])
        #expect(inspectAllWays(lenient, name: "l.pdf").positioned["l.pdf#page=1"] == "lenient\n")
    }

    /// Rewrites a document without pages into one whose only page draws object `contents`.
    static func addPage(to text: String, contents: Int) -> [UInt8] {
        var builder = PDFBuilder()
        // Objects of the original, in order (they are numbered from 1).
        var rest = Substring(text)
        while let start = rest.range(of: " 0 obj\n"), let end = rest.range(of: "\nendobj\n", range: start.upperBound..<rest.endIndex) {
            builder.add(String(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        let page = builder.add("<< /Type /Page /Parent 2 0 R /Contents \(contents) 0 R /Resources << /Font 3 0 R >> >>")
        builder.set(2, "<< /Type /Pages /Kids [\(page) 0 R] /Count 1 >>")
        return builder.build(trailer: "/Root 1 0 R")
    }
}
