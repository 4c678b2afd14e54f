import ExportGuardCore
import ExportGuardInspection
import ExportGuardPolicy
import Testing
@testable import ExportGuardScanning

/// Numbers that look like identifiers but are not: ordinary business exports, generated the
/// way their systems write them, must stay allowed with nobody counted, while real cards and
/// IDs mixed into them still count.
@Suite("Numeric precision, end to end")
struct NumericPrecisionTests {
    func scan(_ text: String) -> ScanReport { DefaultPolicyScanner.scan(Array(text.utf8), name: "export.csv") }

    /// A seeded generator, so a failure names a reproducible file.
    struct Generator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func digits(_ count: Int) -> String {
            String((0..<count).map { _ in Character(String(next() % 10)) })
        }
    }

    static func luhnDigit(_ body: String) -> Int {
        var sum = 0
        for (offset, character) in body.reversed().enumerated() {
            var digit = character.wholeNumberValue!
            if offset % 2 == 0 {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return (10 - sum % 10) % 10
    }

    /// GS1 check digit (EAN-13, GTIN-14): weights 3 and 1 from the right.
    static func gs1Digit(_ body: String) -> Int {
        var sum = 0
        for (offset, character) in body.reversed().enumerated() {
            sum += character.wholeNumberValue! * (offset % 2 == 0 ? 3 : 1)
        }
        return (10 - sum % 10) % 10
    }

    /// Resident ID check character (GB 11643).
    static func idCheck(_ body: String) -> Character {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).map { $0.wholeNumberValue! * $1 }.reduce(0, +)
        return Array("10X98765432")[sum % 11]
    }

    /// Rows of one business export: `header`, then `rows` lines from `row`.
    func export(_ header: String, rows: Int = 3000, seed: UInt64, _ row: (inout Generator, Int) -> String) -> String {
        var generator = Generator(state: seed)
        return ([header] + (0..<rows).map { row(&generator, $0) }).joined(separator: "\n") + "\n"
    }

    static let exports: [(name: String, text: @Sendable (NumericPrecisionTests) -> String)] = [
        ("IMEIs with Samsung and Chinese TACs", { test in
            test.export("设备,IMEI,入库日期", seed: 1) { g, index in
                let body = (index % 2 == 0 ? "35" : "86") + g.digits(12)
                return "终端\(index),\(body)\(luhnDigit(body)),2024-03-\(10 + index % 18)"
            }
        }),
        ("EAN-13 barcodes", { test in
            test.export("商品,条码,单价", seed: 2) { g, index in
                let body = "69" + g.digits(10)
                return "商品\(index),\(body)\(gs1Digit(body)),\(index % 97).50"
            }
        }),
        ("GTIN-14 carton codes", { test in
            test.export("箱码,数量", seed: 3) { g, index in
                let body = "1" + "69" + g.digits(10)
                return "\(body)\(gs1Digit(body)),\(index % 40 + 1)"
            }
        }),
        ("18- and 19-digit e-commerce order numbers", { test in
            test.export("订单号,金额,状态", seed: 4) { g, index in
                "\(index % 2 == 0 ? "2024" + g.digits(14) : g.digits(1) == "0" ? "62" + g.digits(17) : "6" + g.digits(18)),\(index % 500).00,已发货"
            }
        }),
        ("16- and 18-digit bank transaction serial numbers", { test in
            test.export("流水号,交易金额,摘要", seed: 5) { g, index in
                "\(index % 2 == 0 ? "4" + g.digits(15) : "62" + g.digits(16)),\(index % 900).00,货款"
            }
        }),
        ("18-digit order numbers shaped like resident IDs with a wrong check digit", { test in
            test.export("单号,客户", seed: 6) { g, index in
                let body = "620102" + "19\(10 + g.next() % 89)" + format2(Int(g.next() % 12) + 1) + format2(Int(g.next() % 28) + 1) + g.digits(3)
                let right = idCheck(body)
                // Any check character but the right one: the first or the last digit that is not it.
                let digits = Array("0123456789")
                let wrong = index % 2 == 0 ? digits.first { $0 != right }! : digits.last { $0 != right }!
                return "\(body)\(wrong),客户\(index)"
            }
        }),
    ]

    static func format2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    @Test("business exports of card-length numbers stay allowed, and nobody is counted", arguments: 0..<6)
    func benignExports(index: Int) {
        let (name, text) = Self.exports[index]
        let report = scan(text(self))
        #expect(report.verdict == .allow, "\(name): \(report.assessment.decision)")
        #expect(report.assessment.personalInformation.sensitivePersons == 0, "\(name): \(report.assessment.personalInformation.byIdentifier)")
        #expect(report.assessment.findings.allSatisfy { $0.confidence == .low || $0.detector != "bank-card" }, "\(name)")
    }

    @Test("real cards and IDs mixed into a business export still count")
    func realOnesStillCount() {
        var text = Self.exports[3].text(self)
        let people = [
            ("110101199003074514", "6222021234567894"), ("440305198512120011", "6228480012345678903"),
            ("310104197708080823", "4123456789012349"),
        ]
        for (id, card) in people {
            text += "退款申请人,身份证 \(id),银行卡号 \(card)\n"
        }
        let report = scan(text)
        let counted = report.assessment.personalInformation
        #expect(counted.byIdentifier["resident-id"] == 3)
        #expect(counted.byIdentifier["bank-card"] == 3)
        #expect(report.verdict == .review)
    }

    @Test("a card written in groups of four counts without a card word; a bare one needs the word")
    func cardConfidence() {
        #expect(scan("付款信息 6222 0212 3456 7894").assessment.personalInformation.byIdentifier["bank-card"] == 1)
        #expect(scan("付款信息 6222021234567894").assessment.personalInformation.byIdentifier["bank-card", default: 0] == 0)
        #expect(scan("卡号：6222021234567894").assessment.personalInformation.byIdentifier["bank-card"] == 1)
        #expect(scan("card no. 4123456789012349").assessment.personalInformation.byIdentifier["bank-card"] == 1)
        // Words of contact or naming are no card or ID words: they raise nothing to a person.
        #expect(scan("电话 4123456789012349").assessment.personalInformation.byIdentifier["bank-card", default: 0] == 0)
        #expect(scan("华为手机 IMEI 350102850615121").assessment.personalInformation.byIdentifier["resident-id", default: 0] == 0)
    }

    @Test("a government organ's credit code alone is no government-internal evidence")
    func governmentOrganCode() {
        let report = scan("供应商名单：某某局 统一社会信用代码 11100000000013127D")
        #expect(!report.assessment.categories.contains { $0.category == .governmentInternal })
    }

    @Test("a 15-digit figure in a table is no legacy resident ID without an ID word; with one it counts")
    func legacyIDsNeedContext() {
        let table = scan("表3 各地区工业产值合计（元）：110105491231002，同比增长3.2%。")
        #expect(table.verdict == .allow, "\(table.assessment.decision)")
        #expect(table.assessment.personalInformation.byIdentifier["resident-id", default: 0] == 0)
        let named = scan("旧身份证号码：110105491231002")
        #expect(named.assessment.personalInformation.byIdentifier["resident-id"] == 1)
    }
}
