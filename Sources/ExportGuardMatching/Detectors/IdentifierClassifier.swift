/// Offers identifier candidates from the ``DigitScanner`` to the enabled ``TokenDetector``s,
/// in registry order; the first that validates a token takes it, and one that claims a token
/// it does not validate (a resident ID with a wrong check character) ends the search. Only
/// shapes that pass a validator become matches.
struct IdentifierClassifier: Sendable {
    /// The enabled token detectors, looked up once (this runs for every candidate).
    private let detectors: [any TokenDetector]
    /// For each token length, the detectors that take tokens of that length, in order.
    private let byLength: [[any TokenDetector]]

    init(enabled: Set<DetectorKind>) {
        let detectors = DetectorRegistry.tokenDetectors(enabled: enabled)
        self.detectors = detectors
        byLength = (0...DigitScanner.longestToken).map { length in detectors.filter { $0.lengths.contains(length) } }
    }

    /// Whether any token detector is enabled (otherwise the scanner need not look for tokens).
    var isEmpty: Bool { detectors.isEmpty }

    func classify(_ token: [UInt8], range: Range<Int>, lastPart: Int?, window: StreamWindow, into matches: inout [DetectorMatch]) {
        if let lastPart {
            for detector in detectors {
                if let match = detector.matchGroup(token, range: range, lastPart: lastPart) {
                    matches.append(match)
                    return
                }
                if detector.claims(token) { return }
            }
            return
        }
        guard token.count < byLength.count else { return }
        for detector in byLength[token.count] {
            if let match = detector.match(token, range: range, window: window) {
                matches.append(match)
                return
            }
            if detector.claims(token) { return }
        }
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
