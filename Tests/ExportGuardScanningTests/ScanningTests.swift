import ExportGuardCore
import ExportGuardInspection
import ExportGuardPolicy
import ExportGuardReporting
import Testing
@testable import ExportGuardScanning

@Suite("Scanning text end to end with the default policy")
struct ScanningTests {
    static let compiled = CompiledPolicy.makeDefault()

    func scan(_ text: String, chunkSize: Int = 64 * 1024) -> ScanReport {
        let scanner = ContentScanner(compiled: Self.compiled, limits: InspectionLimits(chunkSize: chunkSize, sniffBytes: 8))
        return scanner.scan(bytes: Array(text.utf8), name: "doc.txt")
    }

    @Test("a secret marking blocks, with its line and column, at any chunk size", arguments: [1, 2, 3, 7, 64 * 1024])
    func markingBlocks(chunkSize: Int) {
        let report = scan("项目简介\n  机密★10年\n正文", chunkSize: chunkSize)
        #expect(report.verdict == .block)
        let marking = report.assessment.findings.first { $0.detector == "classification-marking" }
        #expect(marking?.category == .stateSecret)
        #expect(marking?.excerpt == "机密★10年")
        #expect(marking?.location.description == "doc.txt:2:3")
        #expect(report.assessment.decision == .rule(id: "state-secret-marking", description: Self.compiled.policy.rules.first { $0.id == "state-secret-marking" }!.description))
    }

    @Test("everyday words and negations do not trip the policy", arguments: [
        "本制度规定信息的机密性、完整性和可用性，并保护公司的商业秘密。",
        "说明：本文件不涉及国家秘密，可以公开。",
        "她心里藏着一个小秘密。",
        "绝密★启用前\n2024年全国统一考试 数学试卷\n考生注意：答题前填写准考证号。",
        "测试号码 11010519491231002X，脱敏 1101**********123X，错误 110101199003074515",
    ])
    func benign(text: String) {
        let report = scan(text)
        #expect(report.verdict == .allow, "\(report.assessment.findings)")
    }

    @Test("a negation silences keywords but never hides a marking")
    func negationKeepsMarking() {
        let negated = scan("本文件不涉及国家秘密。")
        #expect(negated.verdict == .allow)
        #expect(negated.assessment.excludedFindings == 1)
        #expect(JSONReporter.line(for: negated).contains("\"dropped\":{\"excluded\":1,\"allowlisted\":0}"))
        let marked = scan("本文件不涉及国家秘密。\n机密★10年")
        #expect(marked.verdict == .block)
    }

    @Test("a keyword inside a phrase listed as not-within does not count")
    func notWithin() {
        #expect(!scan("按原定密级管理").assessment.findings.contains { $0.excerpt == "定密" })
        #expect(scan("定密工作").assessment.findings.map(\.excerpt) == ["定密"])
    }

    @Test("a few business phone numbers stay allowed; a bank card with Luhn reviews")
    func personalInformation() {
        #expect(scan("手机 13812345678，手机 13912345678，手机 13712345678，手机 13612345678").verdict == .allow)
        #expect(scan("银行卡号 6222 0000 0000 0000 004").verdict == .review)
    }

    @Test("a hotword nearby raises a resident ID's confidence; the excerpt is redacted")
    func hotwords() {
        let near = scan("居民身份证：110101199003074514")
        let far = scan("编号 110101199003074514")
        #expect(near.assessment.findings.first { $0.detector == "resident-id" }?.confidence == .high)
        #expect(far.assessment.findings.first { $0.detector == "resident-id" }?.confidence == .medium)
        let line = JSONReporter.line(for: near)
        #expect(!line.contains("110101199003074514"))
        #expect(line.contains("1101**********4514"))
    }

    @Test("personal information alone reviews, never blocks on score")
    func personalInfoCap() {
        let ids = (0..<40).map { _ in "110101199003074514" }.joined(separator: "\n")
        // The same person forty times is one distinct value.
        let report = scan("身份证号\n" + ids)
        #expect(report.verdict == .review)
        let personal = report.assessment.categories.first { $0.category == .personalInfo }
        #expect(personal?.distinct == 2)
        #expect(personal?.count == 41)
    }

    @Test("a PLA unit designator is military evidence to review")
    func military() {
        let report = scan("该单位即61398部队。")
        #expect(report.verdict == .review)
        #expect(report.assessment.categories.first?.category == .military)
        #expect(report.assessment.findings.first?.excerpt == "6***8部队")
    }

    @Test("what cannot be inspected is never allowed")
    func uninspectable() {
        let scanner = ContentScanner(compiled: Self.compiled)
        let report = scanner.scan(bytes: [0x00, 0x01, 0x02, 0x03] + Array(repeating: 0, count: 100), name: "blob.bin")
        #expect(report.verdict == .review)
        #expect(report.assessment.uninspected.count == 1)
        #expect(report.assessment.decision == .uninspectable(count: 1))
    }

    @Test("the same input and policy give the same assessment")
    func deterministic() {
        let text = "国发〔2023〕5号 签发人 抄送 61398部队 身份证 110101199003074514 机密★"
        #expect(scan(text).assessment == scan(text, chunkSize: 5).assessment)
    }
}
