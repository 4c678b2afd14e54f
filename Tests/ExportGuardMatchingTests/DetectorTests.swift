import Testing
@testable import ExportGuardMatching

@Suite("Detectors in running text")
struct DetectorTests {
    let matcher = Matcher(PatternSet(detectors: Set(DetectorKind.allCases)))

    func detect(_ text: String, chunkSizes: [Int] = [Int.max]) -> [DetectorMatch] {
        detectorMatches(scan(matcher, bytes(text), chunkSizes: chunkSizes))
    }

    @Test("a classification marking with its period, whatever the chunking", arguments: [[Int.max], [1], [4], [7, 2]])
    func marking(sizes: [Int]) {
        let found = detect("标题\n机密★10年\n正文", chunkSizes: sizes)
        #expect(found.count == 1)
        #expect(found.first?.detector == .classificationMarking)
        #expect(found.first.map { String(decoding: $0.value, as: UTF8.self) } == "机密★10年")
        #expect(found.first?.tags == ["secret", "period"])
        #expect(found.first?.confidence == .high)
    }

    @Test("marking variants: traditional, white star, ASCII and full-width asterisk, conditions")
    func markingVariants() {
        #expect(detect("絕密☆長期").first?.tags == ["top-secret", "period"])
        #expect(detect("秘密*6个月").first?.tags == ["confidential", "period"])
        #expect(detect("机密＊").first?.tags == ["secret", "default-period"])
        #expect(detect("绝密★启用前").first?.tags == ["top-secret", "condition", "exam-condition"])
        #expect(detect("机密★会议开始前").first?.tags == ["secret", "condition"])
        #expect(detect("（秘密）").first?.tags == ["confidential", "paragraph-mark"])
        #expect(detect("信息的机密性和商业秘密").isEmpty)
    }

    @Test("PLA unit designators: 5 digits before 部队, or Unit NNNNN")
    func plaUnits() {
        #expect(detect("驻地61398部队").map(\.value) == [bytes("61398")])
        #expect(detect("PLA Unit 61398 is").map(\.detector) == [.plaUnit])
        #expect(detect("123456部队").isEmpty)
        #expect(detect("01234部队").isEmpty)
        #expect(detect("community 61398").isEmpty)
    }

    @Test("military certificates and document numbers read back from 号")
    func numbered() {
        #expect(detect("证件：军字第1234567号").map(\.detector) == [.militaryCertificate])
        let documents = detect("根据国发〔2023〕5号和国办发[2021]12号及京政发（2020）3号")
        #expect(documents.map(\.detector) == [.documentNumber, .documentNumber, .documentNumber])
        #expect(String(decoding: documents[0].value, as: UTF8.self).hasSuffix("国发〔2023〕5号"))
        #expect(detect("编号2023号").isEmpty)
        #expect(detect("国发〔1800〕5号").isEmpty)
    }

    @Test("resident IDs in text: valid check digit only, test number tagged")
    func residentIDs() {
        let found = detect("身份证号：110101199003074514，错误：110101199003074515，测试 11010519491231002X")
        #expect(found.map(\.detector) == [.residentID, .residentID])
        #expect(found[0].birthDate == BirthDate(year: 1990, month: 3, day: 7))
        #expect(found[1].tags.contains("test-value"))
        #expect(detect("1101**********4514").isEmpty)
    }

    @Test("mobile numbers with separators and country codes")
    func mobiles() {
        let found = detect("电话 138 1234 5678 或 +86 139-1234-5678 或 0086 13712345678 或 12345678901")
        #expect(found.filter { $0.detector == .mobileNumber }.map(\.value) == [
            bytes("13812345678"), bytes("13912345678"), bytes("13712345678"),
        ])
    }

    @Test("bank cards by prefix and Luhn; credit codes with the military prefix")
    func cardsAndCodes() {
        let card = detect("卡号 6222021234567890123 end")
        #expect(card.map(\.detector) == [.bankCard])
        #expect(detect("91110000600037341L").map(\.detector) == [.socialCreditCode])
        #expect(detect("91110000600037341L").first?.tags == [])
    }

    @Test("an identifier split across chunks at every position is found once")
    func identifierAcrossChunks() {
        let text = "号码110101199003074514。"
        let whole = detect(text)
        for size in 1...9 {
            #expect(detect(text, chunkSizes: [size]) == whole, "chunk size \(size)")
        }
    }
}
