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

    @Test("a number with a resident ID's structure but a wrong check character is neither a card nor a credit code")
    func idShapedNumbers() {
        // A Gansu region (620102) and a birth date; the check character should be 2. As it is,
        // it passes Luhn on UnionPay's prefix 62 and has a card's length.
        #expect(detect("单号 620102199003071000").isEmpty)
        #expect(detect("单号 620102 19900307 1000").isEmpty)
        #expect(detect("单号 620102199003071002").map(\.detector) == [.residentID])
        // A valid credit code that an ID's shape fits (organ 1/2, region 110119, then 19850615…)
        // keeps its reading: its own check character proves it.
        #expect(detect("代码 121101198506150034").map(\.detector) == [.socialCreditCode])
    }

    @Test("a card number alone is low confidence; written in groups of four, medium; a government organ's code is tagged")
    func cardConfidence() {
        #expect(detect("6222021234567894").map(\.confidence) == [.low])
        #expect(detect("6222 0212 3456 7894").map(\.confidence) == [.medium])
        #expect(detect("6222021234567895").first?.tags == ["unionpay", "luhn-fail"])
        #expect(detect("11100000000013127D").first?.tags == ["government-organ"])
    }

    @Test("the digits of a decimal number are no identifier, before or after the point")
    func decimalsAreNotIdentifiers() {
        // 4111111111111111 and 6222021234567894 pass Luhn; 110105199003071239 is a valid resident ID.
        #expect(detect("<v>0.4111111111111111</v>").isEmpty)
        #expect(detect("442.6222021234567894 and 4111111111111111.25").isEmpty)
        #expect(detect("x = 110105199003071239.0").isEmpty)
        // Not decimals: a full stop ending a sentence, a dot after a word.
        #expect(detect("卡号 4111111111111111.").map(\.detector) == [.bankCard])
        #expect(detect("No.4111111111111111 ok").map(\.detector) == [.bankCard])
        #expect(detect("身份证 110105199003071239. 下一句").map(\.detector) == [.residentID])
    }

    @Test("an identifier split across chunks at every position is found once")
    func identifierAcrossChunks() {
        let text = "号码110101199003074514。"
        let whole = detect(text)
        for size in 1...9 {
            #expect(detect(text, chunkSizes: [size]) == whole, "chunk size \(size)")
        }
    }

    // MARK: Normalisation

    @Test("full-width digits in a resident ID are detected; the match spans the original bytes")
    func fullWidthIdentifier() {
        let text = "身份证号：１１０１０１１９９００３０７４５１４。"
        let found = detect(text)
        #expect(found.map(\.detector) == [.residentID])
        #expect(found.first?.value == bytes("110101199003074514"))
        let prefix = "身份证号：".utf8.count
        #expect(found.first?.start == prefix)
        #expect(found.first?.end == prefix + 18 * 3)
        for size in [1, 2, 3, 5, 8] {
            #expect(detect(text, chunkSizes: [size]) == found, "chunk size \(size)")
        }
    }

    @Test("a zero-width space inside a marking or an ID is ignored")
    func zeroWidth() {
        let marking = detect("标题\n绝\u{200B}密★10年\n")
        #expect(marking.map(\.detector) == [.classificationMarking])
        #expect(marking.first?.tags == ["top-secret", "period"])
        #expect(marking.first?.start == "标题\n".utf8.count)
        #expect(marking.first?.end == "标题\n绝\u{200B}密★10年".utf8.count)
        let id = detect("号码1101\u{200B}01199003074514 end")
        #expect(id.map(\.detector) == [.residentID])
        #expect(id.first?.end == "号码1101\u{200B}01199003074514".utf8.count)
    }

    @Test("full-width digits before 部队 and in a mobile number")
    func fullWidthAnchoredAndGrouped() {
        #expect(detect("驻地６１３９８部队").map(\.value) == [bytes("61398")])
        let mobile = detect("电话＋８６　１３９－１２３４－５６７８")
        #expect(mobile.map(\.value) == [bytes("13912345678")])
    }

    // MARK: Coordinates

    func coordinates(_ text: String) -> [DetectorMatch] {
        detect(text).filter { $0.detector == .coordinates }
    }

    @Test("coordinate pairs in the notations people write", arguments: [
        ("29.563210, 106.551234", ["decimals-6", "precise", "china"]),
        ("KML 106.551234,29.563210,0", ["decimals-6", "precise", "china"]),
        ("39.90421，116.40739", ["decimals-5", "precise", "china"]),
        ("N39.9042 E116.4074", ["decimals-4", "china"]),
        ("北纬39.90421，东经116.40739", ["decimals-5", "precise", "china"]),
        ("lat 39.904211 lon 116.407395", ["decimals-6", "precise", "china"]),
        ("Latitude: 39.90, Longitude: 116.40", ["decimals-2", "china"]),
        ("北纬\u{3000}39.90421\u{3000}东经\u{3000}116.40739", ["decimals-5", "precise", "china"]),
        ("lng=116.40, lat=39.90", ["decimals-2", "china"]),
        ("纬度：39.90，经度：116.40", ["decimals-2", "china"]),
        ("39.9042°N, 116.4074°E", ["decimals-4", "china"]),
        ("31°13′49″N 121°28′12″E", ["decimals-4", "dms", "china"]),
        ("31°13'49\"N, 121°28'12.5\"E", ["decimals-4", "dms", "china"]),
        ("-33.868820, 151.209290", ["decimals-6", "precise"]),
    ])
    func coordinatePairs(text: String, tags: [String]) {
        let found = coordinates("位置 " + text + " 。")
        #expect(found.count == 1, "\(text)")
        #expect(found.first?.tags == Set(tags), "\(text)")
        for size in [1, 2, 3, 7] {
            let chunked = detect("位置 " + text + " 。", chunkSizes: [size]).filter { $0.detector == .coordinates }
            #expect(chunked == found, "\(text), chunk size \(size)")
        }
    }

    @Test("the span runs from the first number to the end of the second")
    func coordinateSpan() {
        let text = "北纬39.90421，东经116.40739。"
        let found = coordinates(text)
        #expect(found.first?.start == "北纬".utf8.count)
        #expect(found.first?.end == "北纬39.90421，东经116.40739".utf8.count)
        #expect(found.first?.value == bytes("39.90421,116.40739"))
    }

    @Test("prices, versions and addresses are not coordinates", arguments: [
        "单价 12.50, 100.25 元",
        "金额 45.30 120.80",
        "共 39.9042, 116.4 元",
        "版本 1.2.3.4, 10.0.0.1",
        "192.168.1.100, 10.0.0.1",
        "距离 39.90421km, 116.40739km",
        "x39.90421, 116.40739",
        "1234.56789, 116.40739",
    ])
    func notCoordinates(text: String) {
        #expect(coordinates(text).isEmpty, "\(text)")
    }

    @Test("the packed byte constants the coordinate parser compares spell what they say")
    func packedConstants() {
        let expected: [(UInt64, String)] = [
            (Packed.degree, "°"), (Packed.prime, "′"), (Packed.doublePrime, "″"), (Packed.rightSingleQuote, "’"),
            (Packed.rightDoubleQuote, "”"), (Packed.fullWidthComma, "，"), (Packed.fullWidthSemicolon, "；"),
            (Packed.fullWidthColon, "："), (Packed.fullWidthHyphen, "－"), (Packed.ideographicComma, "、"), (Packed.ideographicSpace, "\u{3000}"),
            (Packed.beiwei, "北纬"), (Packed.beiweiTraditional, "北緯"), (Packed.nanwei, "南纬"), (Packed.nanweiTraditional, "南緯"),
            (Packed.dongjing, "东经"), (Packed.dongjingTraditional, "東經"), (Packed.xijing, "西经"), (Packed.xijingTraditional, "西經"),
            (Packed.weidu, "纬度"), (Packed.weiduTraditional, "緯度"), (Packed.jingdu, "经度"), (Packed.jingduTraditional, "經度"),
            (Packed.lat, "lat"), (Packed.lon, "lon"), (Packed.lng, "lng"), (Packed.long, "long"),
            (Packed.latitude, "latitude"), (Packed.ongitude, "ongitude"),
        ]
        for (value, text) in expected {
            #expect(value == Packed.pack(text), "\(text)")
        }
    }

    // MARK: Chunking

    @Test("detector results do not depend on chunking (random texts, random chunk sizes)")
    func randomChunking() {
        var rng = SplitMix64(seed: 424242)
        let fragments = [
            "身份证号110101199003074514，", "ID 11010519491231002X ", "（１１０１０１１９９００３０７４５１４）",
            "电话 138 1234 5678 ", "+86 139-1234-5678", "0086 13712345678", "手机13912345678。",
            "卡号 6222 0212 3456 7890 ", "6222021234567890123", "91110000600037341L", "E12345678 ",
            "61398部队", "PLA Unit 61398 ", "军字第1234567号", "国发〔2023〕5号", "机密★10年", "（秘密）",
            "29.563210, 106.551234", "N39.9042 E116.4074", "北纬39.90421，东经116.40739", "31°13′49″N 121°28′12″E",
            "lat 39.904211 lon 116.407395", "单价 12.50, 100.25 元", "1.2.3.4", "2019年", "第3章", " ",
            "，", "。", "abc", "x1y2z3", String(repeating: "a1", count: 20), String(repeating: "9", count: 30),
            "\u{200B}", "\u{3000}", "１２３", "-", "12", "3.14159",
        ]
        for round in 0..<120 {
            let text = (0..<Int.random(in: 1...40, using: &rng)).map { _ in fragments.randomElement(using: &rng)! }.joined()
            let whole = detect(text)
            for _ in 0..<4 {
                let sizes = (0..<3).map { _ in Int.random(in: 1...(round % 2 == 0 ? 12 : 300), using: &rng) }
                #expect(detect(text, chunkSizes: sizes) == whole, "round \(round), sizes \(sizes): \(text)")
            }
        }
    }

    @Test("large texts: interleaved literal scanning and detectors agree with small chunks")
    func largeTextChunking() {
        var rng = SplitMix64(seed: 99)
        let fragments = [
            "身份证号110101199003074514，", "电话 138 1234 5678 ", "+86 139-1234-5678", "卡号 6222 0212 3456 7890 ",
            "29.563210, 106.551234", "N39.9042 E116.4074", "北纬39.90421，东经116.40739", "31°13′49″N 121°28′12″E",
            "61398部队", "机密★10年", "国发〔2023〕5号", "2019年", "第3章", "１２３", "\u{200B}",
        ]
        let filler = ["的", "数据", "安全", "管理", "，", "。", " the ", "report ", "\n"]
        var pieces: [String] = []
        for _ in 0..<40_000 {
            pieces.append(Int.random(in: 0..<12, using: &rng) == 0 ? fragments.randomElement(using: &rng)! : filler.randomElement(using: &rng)!)
        }
        let text = pieces.joined()
        let reference = detect(text, chunkSizes: [1000])
        #expect(reference.count > 1000)
        for sizes in [[Int.max], [65_536], [4093, 70_001], [2048, 2047, 100_000]] {
            #expect(detect(text, chunkSizes: sizes) == reference, "sizes \(sizes)")
        }
    }
}
