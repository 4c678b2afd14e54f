import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardInspection

@Suite("RTF: code pages, Unicode escapes, destinations, embedded objects")
struct RTFTests {
    /// As WordPad and Word write Chinese: GBK bytes as \'hh under \ansicpg936 and a font
    /// with \fcharset134, \u with a one-character fallback, a font table, colour table,
    /// generator and information groups, and an unknown \* destination.
    static let wordPad = #"""
        {\rtf1\ansi\ansicpg936\deff0\deflang1033\deflangfe2052{\fonttbl{\f0\fnil\fcharset134 \'cb\'ce\'cc\'e5;}{\f1\fswiss\fcharset0 Arial;}}
        {\colortbl ;\red255\green0\blue0;}{\*\generator Msftedit 5.41.21.2510;}{\info{\title \'c4\'da\'b2\'bf}{\author Li Lei}}
        \viewkind4\uc1\pard\lang2052\f0\fs20\'bb\'fa\'c3\'dc\u9733?10\'c4\'ea\par
        \f1 Confidential: \f0\u20869?\u37096?\u36164?\u26009?\tab end\par
        {\*\unknowndestination this is not text}{\field{\*\fldinst{HYPERLINK "https://example.invalid/x"}}{\fldrslt{link text}}}\par
        }
        """#

    @Test("WordPad-style Chinese: GBK bytes, Unicode escapes and fallbacks, skipped tables")
    func wordPadChinese() {
        let sink = inspectAllWays(Array(Self.wordPad.utf8), name: "memo.rtf")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        let text = sink.texts["memo.rtf"] ?? ""
        #expect(text.hasPrefix("内部\nLi Lei\n"), "the \\info title and author")
        #expect(text.contains("机密★10年\n"))
        #expect(text.contains("Confidential: 内部资料\tend\n"))
        #expect(text.contains("HYPERLINK \"https://example.invalid/x\"\nlink text"))
        #expect(!text.contains("宋体"), "font names are not text")
        #expect(!text.contains("Msftedit"))
        #expect(!text.contains("not text"))
        #expect(!text.contains("?"), "fallback characters are skipped")
    }

    @Test("Big5 under \\fcharset136, \\uc2 fallbacks, \\bin data and escaped braces")
    func big5AndBinary() {
        // 機密 in Big5 is BE F7 B1 4B; \uc2 makes each \u skip two fallback characters.
        let rtf = #"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0\fcharset136 MingLiU;}}\f0 \'be\'f7\'b1K\uc2\u25991\'a4\'e5 {\pict\wmetafile8 0100}\bin4 }{}"x \{ok\}\par}"#
        let sink = inspectAllWays(Array(rtf.utf8), name: "b.rtf")
        #expect(sink.texts["b.rtf"] == "機密文 x {ok}\n")
        #expect(sink.media.map(\.location.description) == ["b.rtf#picture 1"])
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("an embedded object's OLE 1.0 data is a nested stream, sniffed and read")
    func embeddedObject() {
        let native = Array("机密★10年 in an embedded text package\n".utf8)
        var header: [UInt8] = [0x01, 0x05, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00]
        for string in ["Package", "", ""] {
            let bytes = Array(string.utf8) + (string.isEmpty ? [] : [0])
            header += [UInt8(bytes.count), 0, 0, 0] + bytes
        }
        header += [UInt8(native.count), 0, 0, 0]
        let hex = (header + native).map { String(format: "%02x", $0) }.joined()
        let rtf = #"{\rtf1\ansi before {\object\objemb{\*\objclass Package}{\*\objdata "# + hex + #"}{\result after}}\par}"#
        let sink = inspectAllWays(Array(rtf.utf8), name: "o.rtf")
        #expect(sink.texts["o.rtf!object 1"] == "机密★10年 in an embedded text package\n")
        #expect(sink.texts["o.rtf"]?.contains("before after") == true)
    }

    @Test("LibreOffice's RTF export of Chinese text is read as LibreOffice wrote it")
    func libreOffice() throws {
        let f = try Fixtures()
        try f.write("memo.txt", "机密★10年\n内部资料 不得外传\nConfidential\n")
        try f.run("soffice", ["-env:UserInstallation=file://\(f.url("profile").path)", "--headless", "--convert-to", "rtf", "--outdir", f.directory.path, f.url("memo.txt").path])
        let sink = try inspectFile(f.url("memo.rtf"))
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        let text = sink.texts["memo.rtf"] ?? ""
        for expected in ["机密★10年", "内部资料 不得外传", "Confidential"] {
            #expect(text.contains(expected), "\(text)")
        }
    }

    @Test("a cut-off RTF is reported")
    func damaged() {
        let cut = inspectAllWays(Array(Self.wordPad.utf8.prefix(300)), name: "cut.rtf")
        #expect(cut.reasons.first?.contains("open groups") == true, "\(cut.reasons)")

    }

    @Test("GBK text longer than a chunk reads the same fed a byte at a time, 7 at a time and whole")
    func chunkBoundaries() {
        // 2,000 × 机密 as \'hh pairs and raw GBK bytes: pairs split by every kind of chunk edge.
        let escaped = String(repeating: #"\'bb\'fa\'c3\'dc"#, count: 1000)
        var bytes = Array(#"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fcharset134 SimSun;}}"#.utf8) + Array(escaped.utf8)
        bytes += Array(repeating: [UInt8]([0xBB, 0xFA, 0xC3, 0xDC]), count: 1000).flatMap { $0 }
        bytes += Array(#"\par}"#.utf8)
        let sink = inspectAllWays(bytes, name: "long.rtf")
        #expect(sink.texts["long.rtf"] == String(repeating: "机密", count: 2000) + "\n")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("pictures in \\shppict and shape properties are media; company, form fields and \\ud text are read; \\bin feeds an object")
    func wordDestinations() {
        let native = Array("机密 object text\n".utf8)
        var header: [UInt8] = [0x01, 0x05, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00]
        for string in ["Text", "", ""] {
            let bytes = Array(string.utf8) + (string.isEmpty ? [] : [0])
            header += [UInt8(bytes.count), 0, 0, 0] + bytes
        }
        header += [UInt8(native.count), 0, 0, 0]
        let object = header + native
        var rtf = Array(#"{\rtf1\ansi{\*\company \u20869?\u37096? Ltd}{\upr{\title ??}{\*\ud{\title \u26426?\u23494?}}}"#.utf8)
        rtf += Array(#"{\*\shppict{\pict\pngblip 89504e47}}{\nonshppict{\pict\wmetafile8 0100}}"#.utf8)
        rtf += Array(#"{\shp{\*\shpinst{\sp{\sn wzDescription}{\sv alt text here}}}}"#.utf8)
        rtf += Array(#"{\field{\*\fldinst FORMTEXT {\*\ffdeftext default value}}}"#.utf8)
        rtf += Array("{\\object{\\*\\objdata \\bin\(object.count) ".utf8) + object + Array("}}\\par}".utf8)
        let sink = inspectAllWays(rtf, name: "w.rtf")
        let text = sink.texts["w.rtf"] ?? ""
        for expected in ["内部 Ltd", "机密", "alt text here", "default value"] {
            #expect(text.contains(expected), "\(expected) in \(text)")
        }
        #expect(!text.contains("wzDescription"))
        #expect(sink.media.map(\.location.description) == ["w.rtf#picture 1"])
        #expect(sink.texts["w.rtf!object 1"] == "机密 object text\n")
    }

    @Test("groups nested past the limit are reported, their text still read")
    func tooDeep() {
        let rtf = "{\\rtf1 " + String(repeating: "{", count: 1100) + "{\\*\\x}\\b deep text" + String(repeating: "}", count: 1100) + "}"
        let sink = inspectAllWays(Array(rtf.utf8), name: "d.rtf")
        #expect(sink.texts["d.rtf"]?.contains("deep text") == true)
        #expect(sink.uninspected.map(\.1.code) == [.limitExceeded])
    }
}
