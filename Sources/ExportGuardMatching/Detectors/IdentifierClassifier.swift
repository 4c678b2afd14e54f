/// Turns identifier candidates from the ``DigitScanner`` into validated ``DetectorMatch`` values.
///
/// Only shapes that pass a validator become matches; the base confidence reflects how
/// much the shape alone proves (a checksum proves more than a prefix table).
struct IdentifierClassifier {
    /// Enabled kinds as flags (a set lookup hashes; this runs for every candidate).
    private let residentID, socialCreditCode, mobileNumber, bankCard, plaUnit, passport: Bool

    init(enabled: Set<DetectorKind>) {
        residentID = enabled.contains(.residentID)
        socialCreditCode = enabled.contains(.socialCreditCode)
        mobileNumber = enabled.contains(.mobileNumber)
        bankCard = enabled.contains(.bankCard)
        plaUnit = enabled.contains(.plaUnit)
        passport = enabled.contains(.passport)
    }

    func classify(_ token: [UInt8], range: Range<Int>, lastPart: Int?, window: StreamWindow, into matches: inout [DetectorMatch]) {
        if let lastPart {
            classifyGroup(token, range: range, lastPart: lastPart, into: &matches)
            return
        }
        let count = token.count
        let first = token[0]
        let startsWithDigit = first &- 0x30 < 10

        if count == 18 || count == 15, residentID, let id = ResidentIDValidator.validate(token) {
            var tags: Set<String> = []
            if id.isLegacy { tags.insert("legacy") }
            if id.isResidencePermit { tags.insert("residence-permit") }
            if ResidentIDValidator.isPublishedTestNumber(token) { tags.insert("test-value") }
            matches.append(DetectorMatch(
                detector: .residentID, start: range.lowerBound, end: range.upperBound,
                value: token.map(\.asciiUppercased), confidence: id.isLegacy ? .low : .medium, tags: tags,
                birthDate: BirthDate(year: id.birthYear, month: id.birthMonth, day: id.birthDay)))
            return
        }
        if count == 18, socialCreditCode, let code = SocialCreditCodeValidator.validate(token) {
            var tags: Set<String> = []
            if code.isMilitaryInstitution { tags.insert("military-institution") }
            if code.isPartyOrGovernmentOrgan { tags.insert("government-organ") }
            matches.append(DetectorMatch(
                detector: .socialCreditCode, start: range.lowerBound, end: range.upperBound,
                value: token, confidence: .medium, tags: tags))
            return
        }
        if startsWithDigit {
            if count == 11, mobileNumber, MobileNumberValidator.validate(token) {
                matches.append(DetectorMatch(
                    detector: .mobileNumber, start: range.lowerBound, end: range.upperBound,
                    value: token, confidence: .low))
                return
            }
            if (13...19).contains(count), bankCard {
                appendCard(token, range: range, into: &matches)
                return
            }
            if count == 5, plaUnit, first != UInt8(ascii: "0"), precededByUnitWord(range.lowerBound, window: window) {
                matches.append(DetectorMatch(
                    detector: .plaUnit, start: range.lowerBound, end: range.upperBound,
                    value: token, confidence: .medium))
            }
            return
        }
        if (8...11).contains(count), passport, let document = PassportValidator.classify(token) {
            matches.append(DetectorMatch(
                detector: .passport, start: range.lowerBound, end: range.upperBound,
                value: token, confidence: .low, tags: [document.kind.tag]))
        }
    }

    private func classifyGroup(_ digits: [UInt8], range: Range<Int>, lastPart: Int, into matches: inout [DetectorMatch]) {
        // `0086 13712345678`: the last part was already reported as a number of its own.
        let lastPartWasMobile = lastPart == 11 && MobileNumberValidator.validate(Array(digits.suffix(11)))
        if mobileNumber, !lastPartWasMobile,
           let mobile = MobileNumberValidator.normalise(digits), MobileNumberValidator.validate(mobile) {
            matches.append(DetectorMatch(
                detector: .mobileNumber, start: range.lowerBound, end: range.upperBound,
                value: mobile, confidence: .low))
            return
        }
        if (16...19).contains(digits.count), bankCard {
            appendCard(digits, range: range, into: &matches)
        }
    }

    private func appendCard(_ digits: [UInt8], range: Range<Int>, into matches: inout [DetectorMatch]) {
        guard let card = BankCardValidator.classify(digits) else { return }
        var tags: Set<String> = [card.network.tag]
        if !card.luhnValid { tags.insert("luhn-fail") }
        matches.append(DetectorMatch(
            detector: .bankCard, start: range.lowerBound, end: range.upperBound,
            value: digits, confidence: card.luhnValid ? .medium : .low, tags: tags))
    }

    /// `Unit 61398`, `PLA Unit 61398`: the word before the number, case-insensitive.
    private func precededByUnitWord(_ start: Int, window: StreamWindow) -> Bool {
        guard let space = window.byte(at: start - 1), space == UInt8(ascii: " "),
              let word = window.bytes((start - 5)..<(start - 1)) else { return false }
        guard word.map(\.asciiLowercased) == Array("unit".utf8) else { return false }
        if let before = window.byte(at: start - 6) { return !before.isASCIIWordByte }
        return true
    }
}

extension UInt8 {
    @inlinable
    var asciiUppercased: UInt8 { isASCIILetter ? self & 0xDF : self }
}

extension BankCard.Network {
    /// The tag findings carry for the card network.
    var tag: String {
        switch self {
        case .unionPay: "unionpay"
        case .visa: "visa"
        case .mastercard: "mastercard"
        case .amex: "amex"
        case .jcb: "jcb"
        case .other: "other-network"
        }
    }
}

extension TravelDocument.Kind {
    /// The tag findings carry for the document kind.
    var tag: String {
        switch self {
        case .ordinaryPassport: "ordinary-passport"
        case .officialPassport: "official-passport"
        case .homeReturnPermit: "home-return-permit"
        case .hkMacauTravelPermit: "hk-macau-travel-permit"
        }
    }
}
