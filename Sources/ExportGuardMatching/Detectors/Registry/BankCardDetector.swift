/// Payment card numbers: 15–19 digits on a known scheme's prefix (IIN) and of a length that
/// scheme issues, also written in groups of four.
///
/// A number alone is weak evidence: order and serial numbers of card length pass the Luhn
/// check one time in ten. A card is low confidence unless it is written the way cards are
/// (in groups) — card context words near it (卡号, 银行卡, 账号) raise it through the policy's
/// hotwords — and only medium confidence counts a person.
struct BankCardDetector: TokenDetector {
    let kind = DetectorKind.bankCard
    let trigger = DetectorTrigger.identifierToken(lengths: 15...19)
    let tags = DetectorTags(["unionpay", "visa", "mastercard", "amex", "jcb", "luhn-fail"])
    let redaction = Redaction.masked
    let personalInformation: PersonalInformationKind? = PersonalInformationKind(
        counter: "bank-card", sensitive: true, excludedTags: ["luhn-fail"], minimumConfidence: .medium)

    func match(_ token: [UInt8], range: Range<Int>, window: StreamWindow) -> DetectorMatch? {
        guard (15...19).contains(token.count), token[0] &- 0x30 < 10 else { return nil }
        return card(token, range: range, grouped: false)
    }

    func matchGroup(_ digits: [UInt8], range: Range<Int>, lastPart: Int) -> DetectorMatch? {
        guard digits.allSatisfy(\.isASCIIDigit) else { return nil }
        guard (16...19).contains(digits.count) else { return nil }
        return card(digits, range: range, grouped: true)
    }

    private func card(_ digits: [UInt8], range: Range<Int>, grouped: Bool) -> DetectorMatch? {
        guard let card = BankCardValidator.classify(digits) else { return nil }
        var tags: Set<String> = [card.network.tag]
        if !card.luhnValid { tags.insert("luhn-fail") }
        return DetectorMatch(
            detector: kind, start: range.lowerBound, end: range.upperBound,
            value: digits, confidence: card.luhnValid && grouped ? .medium : .low, tags: tags)
    }
}
