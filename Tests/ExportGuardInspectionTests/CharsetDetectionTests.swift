import ExportGuardCore
import Testing
@testable import ExportGuardInspection

/// Text that is not UTF-8: its charset is detected (structure, then ICU's detector) and
/// it is read in that charset; when no charset is certain it is read in the likeliest and
/// also reported `unknown-charset`.
@Suite("Charset detection")
struct CharsetDetectionTests {
    static let chinese = "本文件属于内部资料，不得外传。涉及国家秘密的信息必须按照规定进行管理，机密★10年。联系人：张三。\n"
    static let traditional = "本文件屬於內部資料，不得外傳。涉及國家秘密的資訊必須按照規定進行管理，機密★10年。\n"
    static let japanese = "この文書は社外秘です。無断で複製することを禁じます。東京都千代田区の本社で管理しています。\n"
    static let korean = "이 문서는 기밀입니다. 무단 복제를 금지합니다. 서울 본사에서 관리합니다. 담당자에게 문의하십시오.\n"

    /// Encodes with Python's codecs (iconv has no HZ).
    static func encode(_ text: String, _ codec: String, _ f: Fixtures) throws -> [UInt8] {
        try f.run("python3", ["-c", "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read().decode('utf-8').encode('\(codec)'))"], stdin: Array(text.utf8))
    }

    @Test("long enough text in a CJK charset is read in it, with no doubt", arguments: [
        ("gb18030", chinese), ("gbk", chinese), ("big5", traditional), ("big5hkscs", traditional),
        ("shift_jis", japanese), ("euc_jp", japanese), ("euc_kr", korean), ("iso2022_jp", japanese), ("iso2022_kr", korean),
    ])
    func cjk(codec: String, text: String) throws {
        let f = try Fixtures()
        let encoded = try Self.encode(text, codec, f)
        #expect(String(validating: encoded, as: UTF8.self) == nil || codec.hasPrefix("iso2022"))
        let sink = inspectAllWays(encoded, name: "t.txt")
        #expect(sink.texts == ["t.txt": text], "\(codec): \(sink.texts)")
        #expect(sink.uninspected.isEmpty, "\(codec): \(sink.reasons)")
    }

    @Test("7-bit charsets that read as ASCII: HZ and UTF-7", arguments: ["hz", "utf-7"])
    func sevenBit(codec: String) throws {
        let f = try Fixtures()
        let encoded = try Self.encode(Self.chinese, codec, f)
        #expect(encoded.allSatisfy { $0 < 0x80 })
        let sink = inspectAllWays(encoded, name: "t.txt")
        #expect(sink.texts == ["t.txt": Self.chinese], "\(codec)")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("UTF-32 without a byte-order mark, either order", arguments: ["UTF-32LE", "UTF-32BE"])
    func bomlessUTF32(charset: String) throws {
        let f = try Fixtures()
        let encoded = try f.run("iconv", ["-f", "UTF-8", "-t", charset], stdin: Array(Self.chinese.utf8))
        #expect(!encoded.starts(with: [0xFF, 0xFE]) && !encoded.starts(with: [0, 0, 0xFE, 0xFF]))
        let sink = inspectAllWays(encoded, name: "t.txt")
        #expect(sink.texts == ["t.txt": Self.chinese])
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("Western text in Latin-1 or windows-1252 is read as windows-1252, not as GB18030 pairs")
    func latin() throws {
        let f = try Fixtures()
        let text = "Die Übergabe der Unterlagen erfolgt über den Geschäftsführer. Größe und Maße sind vertraulich – „intern“.\n"
        let encoded = try f.run("iconv", ["-f", "UTF-8", "-t", "WINDOWS-1252"], stdin: Array(text.utf8))
        let sink = inspectAllWays(encoded, name: "t.txt")
        #expect(sink.texts == ["t.txt": text])
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("a few words of GBK are read as GB18030 and reported unknown-charset: a guess, so a person looks")
    func shortGBK() throws {
        let f = try Fixtures()
        let encoded = try Self.encode("Report 2023: 机密文件 attached", "gbk", f)
        let sink = inspectAllWays(encoded, name: "t.txt")
        #expect(sink.texts["t.txt"] == "Report 2023: 机密文件 attached")
        #expect(sink.uninspected.map(\.1.code) == [.unknownCharset], "\(sink.reasons)")
        #expect(sink.reasons.first?.contains("read as GB18030") == true, "\(sink.reasons)")
    }

    @Test("an English list with a column of GBK names is read as GB18030, not as UTF-8 with the names replaced")
    func asciiWithSomeGBK() throws {
        let f = try Fixtures()
        var text = ""
        for row in 0..<60 { text += "row \(row), order placed, status shipped, amount \(row * 37) USD, warehouse north\n" }
        text += "contact: 张三, note: 内部资料 不得外传\n"
        let encoded = try Self.encode(text, "gbk", f)
        let sink = inspectAllWays(encoded, name: "list.csv")
        #expect(sink.texts["list.csv"]?.hasSuffix("contact: 张三, note: 内部资料 不得外传\n") == true, "\(sink.reasons)")
    }

    @Test("UTF-8 with a stray invalid byte stays UTF-8", arguments: [0x80, 0xFF, 0xC0] as [UInt8])
    func strayByte(byte: UInt8) {
        let bytes = Array(Self.chinese.utf8) + [byte] + Array(Self.chinese.utf8)
        let sink = inspectAllWays(bytes, name: "t.txt")
        #expect(sink.texts["t.txt"] == Self.chinese + "\u{FFFD}" + Self.chinese)
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("ASCII with plus signs and tildes is not UTF-7 or HZ", arguments: [
        "C++ and a+b = c, call +86 138 0013 8000, see +ABC- and +Zm9v-.\n",
        "if (x) ~{ y } ~~{ z }; path ~/a~{b}\n",
        "Base64 in a config: key=+QmFzZTY0IGRhdGEgaGVyZQ==\n",
    ])
    func notSevenBit(text: String) {
        let sink = inspectAllWays(Array(text.utf8), name: "t.txt")
        #expect(sink.texts == ["t.txt": text])
        #expect(sink.uninspected.isEmpty)
    }

    @Test("a MIME part labelled hz-gb-2312 is decoded with ICU's HZ converter")
    func mailHZ() throws {
        let f = try Fixtures()
        let body = try Self.encode(Self.chinese, "hz", f)
        let mail = Array("From: a@example.com\r\nTo: b@example.com\r\nSubject: t\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=HZ-GB-2312\r\n\r\n".utf8) + body
        let sink = inspectAllWays(mail, name: "m.eml")
        #expect(sink.texts.values.contains { $0.contains("机密★10年") }, "\(sink.texts)")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("HZ cut anywhere converts the same: ICU keeps the shift state across reads")
    func hzConverterStreams() throws {
        let f = try Fixtures()
        let encoded = try Self.encode(Self.chinese + "~ tilde\n", "hz", f)
        for step in [1, 2, 3, 5, encoded.count] {
            let converter = try #require(ICUConverter(from: "HZ"))
            var output: [UInt8] = []
            var offset = 0
            while offset < encoded.count {
                let end = min(offset + step, encoded.count)
                encoded[offset..<end].withUnsafeBytes { converter.convert($0, final: end == encoded.count) { output.append(contentsOf: $0) } }
                offset = end
            }
            #expect(String(decoding: output, as: UTF8.self) == Self.chinese + "~ tilde\n", "step \(step)")
            #expect(converter.replaced == 0)
        }
    }

    @Test("invalid HZ becomes U+FFFD, counted, and the text after it is read")
    func hzInvalid() throws {
        let converter = try #require(ICUConverter(from: "HZ"))
        var output: [UInt8] = []
        let input = Array("ab~{\u{1}\u{1}~}cd".utf8)
        input.withUnsafeBytes { converter.convert($0, final: true) { output.append(contentsOf: $0) } }
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.hasPrefix("ab") && text.hasSuffix("cd") && text.contains("\u{FFFD}"), "\(text)")
        #expect(converter.replaced >= 1)
    }

    @Test("binary stays binary: control bytes are not text in any charset")
    func binary() {
        let bytes: [UInt8] = (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let sink = inspectAllWays(bytes, name: "b.bin")
        #expect(sink.uninspected.map(\.1.code) == [.binaryContent])
    }
}

@Suite("Charset detection: where the charset is declared or there is too little to judge")
struct CharsetEdgeTests {
    @Test("XML in a charset other than UTF-8 goes to libxml2, which reads its declaration", arguments: ["ISO-8859-5", "ISO-8859-1", "GB18030"])
    func declaredXML(charset: String) throws {
        let f = try Fixtures()
        let body = charset == "GB18030" ? "机密★10年 内部资料" : charset == "ISO-8859-5" ? "Секретно: только для служебного пользования" : "Données confidentielles, accès réservé"
        let xml = "<?xml version=\"1.0\" encoding=\"\(charset)\"?>\n<r><p>\(body)</p></r>\n"
        let encoded = try f.run("iconv", ["-f", "UTF-8", "-t", charset], stdin: Array(xml.utf8))
        let sink = inspectAllWays(encoded, name: "d.xml")
        #expect(sink.texts.values.joined().contains(body), "\(sink.texts)")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("XML whose bytes are not in the charset it declares is corrupt")
    func misdeclaredXML() {
        let bytes = Array("<?xml version=\"1.0\" encoding=\"GB18030\"?>\n<r>".utf8) + [0xA3, 0x2E, 0x87, 0x5D] + Array("</r>\n".utf8)
        let sink = inspectAllWays(bytes, name: "bad.xml")
        #expect(sink.uninspected.map(\.1.code) == [.corrupt], "\(sink.reasons)")
    }

    @Test("a stray byte outside ASCII is no ground for a doubt: windows-1252 when ICU is sure, else read as it comes")
    func strayByteInASCII() {
        // English prose around it: ICU is sure of windows-1252, where 0x91 is a quotation mark.
        let prose = Array("Quarterly report, see page 3 ".utf8) + [0x91] + Array(" for the figures of the northern warehouses.\n".utf8)
        let sure = inspectAllWays(prose, name: "t.txt")
        #expect(sure.texts["t.txt"] == "Quarterly report, see page 3 \u{2018} for the figures of the northern warehouses.\n")
        #expect(sure.uninspected.isEmpty, "\(sure.reasons)")
        // A byte that is no character in windows-1252 and too little around it for ICU: replaced.
        let terse = inspectAllWays(Array("id 7 ".utf8) + [0x81] + Array(" x\n".utf8), name: "t.txt")
        #expect(terse.texts["t.txt"]?.hasPrefix("id 7 ") == true && terse.texts["t.txt"]?.hasSuffix(" x\n") == true, "\(terse.texts)")
        #expect(terse.uninspected.isEmpty, "\(terse.reasons)")
    }

    @Test("a mail whose first line is a long run of spaces is still a mail")
    func mailAfterLongBlankLine() {
        let mail = String(repeating: " ", count: 255) + "\r\nFrom: a@example.com\r\nTo: b@example.com\r\nSubject: s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n5py65a+G4piFMTDlubQK\r\n"
        let sink = inspectAllWays(Array(mail.utf8), name: "m.eml")
        #expect(sink.texts.values.contains { $0.contains("机密★10年") }, "\(sink.texts)")
    }
}

@Suite("A block of UTF-16 inside UTF-8 text")
struct PastedUTF16Tests {
    @Test("a UTF-16 export appended to a UTF-8 file is read from its byte-order mark on, either order", arguments: ["UTF-16LE", "UTF-16BE"])
    func appended(charset: String) throws {
        let f = try Fixtures()
        let block = "机密★10年 内部资料\r\n姓名,电话\r\n"
        let encoded = try f.run("iconv", ["-f", "UTF-8", "-t", charset], stdin: Array(block.utf8))
        let mark: [UInt8] = charset == "UTF-16LE" ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for head in ["会议纪要：下周讨论预算。\n", "Meeting notes, budget next week.\n"] {
            let sink = inspectAllWays(Array(head.utf8) + mark + encoded, name: "notes.txt")
            #expect(sink.texts["notes.txt"] == head + block, "\(charset): \(sink.texts)")
            #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        }
    }

    @Test("a mark past the sniff window is found however the text arrives (found by FuzzContent)")
    func markPastTheWindow() throws {
        let f = try Fixtures()
        let head = String(repeating: "会议纪要：下周讨论预算。\n", count: 20)
        let block = try f.run("iconv", ["-f", "UTF-8", "-t", "UTF-16LE"], stdin: Array("机密★10年\r\n".utf8))
        // A small window: the mark comes long after the charset was settled.
        let sink = inspectAllWays(Array(head.utf8) + [0xFF, 0xFE] + block, name: "t.txt", limits: InspectionLimits(sniffBytes: 64))
        #expect(sink.texts["t.txt"] == head + "机密★10年\r\n", "\(sink.texts)")
    }

    @Test("a read that holds a mark and ends in FF or FE gives that byte to the UTF-16 (found by FuzzContent)")
    func heldByteAfterMark() {
        // Every read of 7 ends on an FF: the last byte of the read that switches is held.
        let head = Array("会议纪要：下周讨论预算。\n".utf8)
        let block: [UInt8] = [0xFF, 0xFE] + Array(repeating: [0x3A, 0x67, 0xFF, 0xFF], count: 8).flatMap { $0 }
        let sink = inspectAllWays(head + block, name: "t.txt", limits: InspectionLimits(sniffBytes: 16))
        #expect(sink.texts["t.txt"]?.hasPrefix("会议纪要") == true)
    }

    @Test("a stray FF or FE in UTF-8 without its pair is replaced, as before")
    func strayMarkByte() {
        let text = String(repeating: "前文比较长的一段话。", count: 10)
        let bytes = Array(text.utf8) + [0xFF, 0x41] + Array(text.utf8) + [0xFE]
        let sink = inspectAllWays(bytes, name: "t.txt")
        #expect(sink.texts["t.txt"] == text + "\u{FFFD}A" + text + "\u{FFFD}")
    }
}
