/// Payment card numbers (13–19 digits on a known network's prefix; the Luhn check raises
/// confidence, a failed one is tagged), also in groups of four.
struct BankCardDetector: TokenDetector {
    let kind = DetectorKind.bankCard
    let trigger = DetectorTrigger.identifierToken(lengths: 13...19)
    let tags = DetectorTags(["unionpay", "visa", "mastercard", "amex", "jcb", "other-network", "luhn-fail"])
    let redaction = Redaction.masked
    let personalInformation: PersonalInformationKind? = PersonalInformationKind(counter: "bank-card", sensitive: true, excludedTags: ["luhn-fail"])

    func match(_ token: [UInt8], range: Range<Int>, window: StreamWindow) -> DetectorMatch? {
        guard (13...19).contains(token.count), token[0] &- 0x30 < 10 else { return nil }
        return card(token, range: range)
    }

    func matchGroup(_ digits: [UInt8], range: Range<Int>, lastPart: Int) -> DetectorMatch? {
        guard digits.allSatisfy(\.isASCIIDigit) else { return nil }
        guard (16...19).contains(digits.count) else { return nil }
        return card(digits, range: range)
    }

    private func card(_ digits: [UInt8], range: Range<Int>) -> DetectorMatch? {
        guard let card = BankCardValidator.classify(digits) else { return nil }
        var tags: Set<String> = [card.network.tag]
        if !card.luhnValid { tags.insert("luhn-fail") }
        return DetectorMatch(
            detector: kind, start: range.lowerBound, end: range.upperBound,
            value: digits, confidence: card.luhnValid ? .medium : .low, tags: tags)
    }
}
