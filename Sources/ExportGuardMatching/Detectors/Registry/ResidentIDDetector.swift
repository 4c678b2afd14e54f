/// Mainland resident identity numbers (GB 11643, 18 characters with an ISO 7064 check, and
/// the 15-digit numbers before 1999), including foreigners' permanent residence permits.
struct ResidentIDDetector: TokenDetector {
    let kind = DetectorKind.residentID
    let trigger = DetectorTrigger.identifierToken(lengths: 15...18)
    let tags = DetectorTags(["legacy", "residence-permit", "test-value"])
    let redaction = Redaction.masked
    /// Current IDs are medium confidence and count a person; legacy 15-digit ones are low (any
    /// 15-digit number with a province and a 19YYMMDD date fits, IMEIs among them) and count
    /// only with an ID word near them.
    let personalInformation: PersonalInformationKind? = PersonalInformationKind(
        counter: "resident-id", sensitive: true, excludedTags: ["test-value"], minimumConfidence: .medium, carriesBirthDate: true)

    /// Written in groups: `110101 19900307 1234`, `110101-19900307-123X`, `1101 0119 9003 0712 34`.
    /// Only the full 18 characters; the validation is the same as for a token.
    func matchGroup(_ digits: [UInt8], range: Range<Int>, lastPart: Int) -> DetectorMatch? {
        guard digits.count == 18 else { return nil }
        return validated(digits, range: range)
    }

    func match(_ token: [UInt8], range: Range<Int>, window: StreamWindow) -> DetectorMatch? {
        validated(token, range: range)
    }

    /// Eighteen digits with a known region and a calendar birth date, whatever the check
    /// character, are no bank card — unless they are a valid credit code, whose own check
    /// character proves it (`121101198506150034`: an organ's code that an ID's shape fits).
    func claims(_ token: [UInt8]) -> Bool {
        ResidentIDValidator.hasCurrentStructure(token) && SocialCreditCodeValidator.validate(token) == nil
    }

    private func validated(_ token: [UInt8], range: Range<Int>) -> DetectorMatch? {
        guard token.count == 18 || token.count == 15, let id = ResidentIDValidator.validate(token) else { return nil }
        var tags: Set<String> = []
        if id.isLegacy { tags.insert("legacy") }
        if id.isResidencePermit { tags.insert("residence-permit") }
        if ResidentIDValidator.isPublishedTestNumber(token) { tags.insert("test-value") }
        return DetectorMatch(
            detector: kind, start: range.lowerBound, end: range.upperBound,
            value: token.map(\.asciiUppercased), confidence: id.isLegacy ? .low : .medium, tags: tags,
            birthDate: BirthDate(year: id.birthYear, month: id.birthMonth, day: id.birthDay))
    }
}
