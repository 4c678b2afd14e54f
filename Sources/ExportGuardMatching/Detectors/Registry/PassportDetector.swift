/// Chinese passports, home-return permits and Hong Kong/Macau travel permits: a letter
/// prefix and 7–10 digits.
struct PassportDetector: TokenDetector {
    let kind = DetectorKind.passport
    let trigger = DetectorTrigger.identifierToken(lengths: 8...11)
    let tags = DetectorTags(["ordinary-passport", "official-passport", "home-return-permit", "hk-macau-travel-permit"])
    let redaction = Redaction.masked
    /// Passport-shaped values without context (`low`) are no person.
    let personalInformation: PersonalInformationKind? = PersonalInformationKind(counter: "passport", sensitive: true, minimumConfidence: .medium)

    func match(_ token: [UInt8], range: Range<Int>, window: StreamWindow) -> DetectorMatch? {
        guard (8...11).contains(token.count), token[0] &- 0x30 >= 10, let document = PassportValidator.classify(token) else { return nil }
        return DetectorMatch(detector: kind, start: range.lowerBound, end: range.upperBound, value: token, confidence: .low, tags: [document.kind.tag])
    }
}
