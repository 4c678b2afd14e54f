/// Mainland mobile numbers (11 digits on an allocated prefix), also written in groups or
/// with the country code (`+86 138 1234 5678`).
struct MobileNumberDetector: TokenDetector {
    let kind = DetectorKind.mobileNumber
    let trigger = DetectorTrigger.identifierToken(lengths: 11...11)
    let tags = DetectorTags()
    let redaction = Redaction.masked
    let personalInformation: PersonalInformationKind? = PersonalInformationKind(counter: "mobile-number", sensitive: false)

    func match(_ token: [UInt8], range: Range<Int>, window: StreamWindow) -> DetectorMatch? {
        guard token.count == 11, token[0] &- 0x30 < 10, MobileNumberValidator.validate(token) else { return nil }
        return DetectorMatch(detector: kind, start: range.lowerBound, end: range.upperBound, value: token, confidence: .low)
    }

    func matchGroup(_ digits: [UInt8], range: Range<Int>, lastPart: Int) -> DetectorMatch? {
        guard digits.allSatisfy(\.isASCIIDigit) else { return nil }
        // `0086 13712345678`: the last part was already reported as a number of its own.
        if lastPart == 11 && MobileNumberValidator.validate(Array(digits.suffix(11))) { return nil }
        guard let mobile = MobileNumberValidator.normalise(digits), MobileNumberValidator.validate(mobile) else { return nil }
        return DetectorMatch(detector: kind, start: range.lowerBound, end: range.upperBound, value: mobile, confidence: .low)
    }
}
