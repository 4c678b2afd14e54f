import ExportGuardCore
import ExportGuardInspection
import ExportGuardPolicy
import Foundation
import Testing
@testable import ExportGuardScanning

/// What people really write, end to end with the default policy: separators inside words,
/// marking symbols, identifiers formatted by hand, designator variants, character variants
/// and text carried in another encoding — each in plain text and in a container built by
/// the tool that writes it, with benign look-alikes that must stay allowed.
@Suite("Writing variants, end to end")
struct WritingVariantsTests {
    static let compiled = CompiledPolicy.makeDefault()

    func scan(_ bytes: [UInt8], name: String = "doc.txt", chunkSize: Int = 64 * 1024) -> ScanReport {
        let scanner = ContentScanner(compiled: Self.compiled, limits: InspectionLimits(chunkSize: chunkSize, sniffBytes: 8))
        return scanner.scan(bytes: bytes, name: name)
    }

    func scan(_ text: String, chunkSize: Int = 64 * 1024) -> ScanReport { scan(Array(text.utf8), chunkSize: chunkSize) }

    func detectors(_ report: ScanReport) -> Set<String> { Set(report.assessment.findings.map(\.detector)) }

    // MARK: Separators and marking symbols

    @Test("separators inside a marking, at any chunk size", arguments: [
        "会议纪要\n机 密★10年", "会议纪要\n机\n密★10年", "会议纪要\n机\r\n密★10年", "会议纪要\n机\u{3000}密★10年",
        "会议纪要\n机\u{A0}密★10年", "会议纪要\n机\t密★10年", "会议纪要\n机密 ★ 10年", "会议纪要\n机密★ 10 年",
        "会议纪要\n机 \r\n  密 ★\n10年",
    ])
    func separatedMarking(text: String) {
        for chunkSize in [1, 3, 64 * 1024] {
            let report = scan(text, chunkSize: chunkSize)
            #expect(report.verdict == .block, "\(text.debugDescription) in chunks of \(chunkSize)")
            let marking = report.assessment.findings.first { $0.detector == "classification-marking" }
            // The location is the original text's: line 2, column 1.
            #expect(marking?.location.description == "doc.txt:2:1", "\(text.debugDescription)")
        }
    }

    @Test("a keyword split by a hard line break or a space")
    func separatedKeyword() {
        for text in ["本文件属于国家\n秘密，请勿外传", "本文件属于国家 秘密，请勿外传", "本文件属于国 家秘 密"] {
            #expect(scan(text).assessment.findings.contains { $0.excerpt == "国家秘密" || $0.excerpt.hasPrefix("国") }, "\(text.debugDescription)")
        }
    }

    @Test("marking stars as templates, fonts and emoji write them", arguments: [
        "★", "☆", "＊", "*", "✱", "✲", "✳", "✴", "✵", "✶", "✷", "✸", "⭐", "⭐\u{FE0F}", "🌟", "▲", "△", "\u{F0AB}",
    ])
    func markingStars(star: String) {
        let report = scan("会议纪要 机密\(star)10年")
        #expect(report.verdict == .block, "\(star.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    // MARK: Identifiers

    @Test("resident IDs formatted by hand", arguments: [
        "110101 19900307 1006", "110101-19900307-1006", "1101 0119 9003 0710 06", "\u{FF11}\u{FF11}\u{FF10}\u{FF11}\u{FF10}\u{FF11}199003071006",
        "'110101199003071006", "\"110101199003071006\"",
    ])
    func formattedResidentIDs(written: String) {
        let report = scan("身份证号：\(written)")
        let id = report.assessment.findings.first { $0.detector == "resident-id" }
        #expect(id != nil, "\(written)")
        #expect(id?.excerpt.hasPrefix("1101") == true && !(id?.excerpt.contains("19900307") ?? true), "redacted: \(id?.excerpt ?? "")")
    }

    @Test("an X check character, upper or lower case, also in groups")
    func checkCharacterX() {
        // 11010519491231002X is the standard's published example (a test value), so use another.
        let id = "11010119900307117X"
        for written in [id, id.lowercased(), "110101 19900307 117x", "110101-19900307-117X"] {
            #expect(detectors(scan("证件号码 \(written)")).contains("resident-id"), "\(written)")
        }
    }

    @Test("grouped numbers that fail the checks stay what they are")
    func groupedLookalikes() {
        for text in ["订单 110101 19900307 1008", "流水号 1101-0119-9003-0710-08", "电话 010-6512 3456 转 8"] {
            #expect(!detectors(scan(text)).contains("resident-id"), "\(text)")
        }
    }

    @Test("mobiles with dashes or spaces, cards in fours, coordinates in full-width digits")
    func otherIdentifiers() {
        #expect(detectors(scan("手机 138-1234-5678")).contains("mobile-number"))
        #expect(detectors(scan("手机 138 1234 5678")).contains("mobile-number"))
        #expect(detectors(scan("卡号 6222 0212 3456 7890 128")).contains("bank-card"))
        #expect(detectors(scan("坐标：３９．９０４２１１，１１６．４０７３９４")).contains("coordinates"))
    }

    // MARK: Designators and character variants

    @Test("PLA unit designators as people write them", arguments: [
        "61398部队", "61398 部队", "61398\u{3000}部队", "61398部隊", "六一三九八部队", "第61398号部队", "Unit 61398", "PLA Unit 61398",
    ])
    func unitVariants(written: String) {
        #expect(detectors(scan("送货地址：\(written)营区")).contains("pla-unit"), "\(written)")
    }

    @Test("numbers next to 部队 that are no designator")
    func unitLookalikes() {
        for text in ["第12345号文件送部队", "一二三四五六部队", "123456部队", "5号部队"] {
            #expect(!detectors(scan(text)).contains("pla-unit"), "\(text)")
        }
    }

    @Test("document numbers with other brackets and full-width digits", arguments: [
        "国发〔2023〕5号", "国发[2023]5号", "国发(2023)5号", "国发【2023】5号", "国发〔２０２３〕５号", "国发（2023）5号",
    ])
    func documentNumbers(written: String) {
        #expect(detectors(scan("根据\(written)文件")).contains("document-number"), "\(written)")
    }

    @Test("Japanese forms, Kangxi radicals and compatibility ideographs read as the ideograph")
    func characterVariants() {
        #expect(scan("会议纪要 絶密★10年").verdict == .block)
        #expect(scan("機密★5年").verdict == .block)
        // ⼈ is the Kangxi radical U+2F08 (人), 類 the compatibility ideograph U+F9D0 (類).
        let report = scan("本項目涉及\u{2F08}\u{F9D0}遺傳資源的採集")
        #expect(report.assessment.findings.contains { ["人类遗传资源", "人類遺傳資源"].contains($0.excerpt) }, "\(report.assessment.findings.map(\.excerpt))")
    }

    // MARK: Benign look-alikes

    @Test("benign text with the same shapes stays allowed", arguments: [
        "我们 的 产品 很 好，欢迎 试用。",
        "中文 English 混排 text，机器 学习 课程。",
        "五星好评 ★★★★☆ 服务 很 好",
        "有机\n密封圈 规格表",
        "价格 50% off = 省钱，折扣码 SAVE=20",
        "sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "token: dGhpcyBpcyBhIHJhbmRvbSBrZXkgZm9yIHRlc3Rpbmc0MjQy",
        "api_key=AKIAIOSFODNN7EXAMPLEwJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY",
        "请拨打 400-810-8888 或 010 1234 5678",
    ])
    func benign(text: String) {
        let report = scan(text)
        #expect(report.verdict == .allow, "\(report.assessment.findings.map { "\($0.detector) \($0.excerpt)" }) \(report.assessment.uninspected)")
    }
}
