/// Unified social credit codes of organisations (GB 32100, 18 characters with a check
/// character); the registering authority tells military institutions and government organs.
struct SocialCreditCodeDetector: TokenDetector {
    let kind = DetectorKind.socialCreditCode
    let trigger = DetectorTrigger.identifierToken(lengths: 18...18)
    let tags = DetectorTags(["military-institution", "government-organ"])
    let redaction = Redaction.masked

    func match(_ token: [UInt8], range: Range<Int>, window: StreamWindow) -> DetectorMatch? {
        guard token.count == 18, let code = SocialCreditCodeValidator.validate(token) else { return nil }
        var tags: Set<String> = []
        if code.isMilitaryInstitution { tags.insert("military-institution") }
        if code.isPartyOrGovernmentOrgan { tags.insert("government-organ") }
        return DetectorMatch(detector: kind, start: range.lowerBound, end: range.upperBound, value: token, confidence: .medium, tags: tags)
    }
}
