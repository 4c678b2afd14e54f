/// Every detector, in the order identifier tokens are offered to them (the first that
/// validates a token takes it).
public enum DetectorRegistry {
    public static let all: [any Detector] = [
        ResidentIDDetector(),
        SocialCreditCodeDetector(),
        MobileNumberDetector(),
        BankCardDetector(),
        PLAUnitDetector(),
        PassportDetector(),
        MilitaryCertificateDetector(),
        DocumentNumberDetector(),
        ClassificationMarkingDetector(),
        CoordinatesDetector(),
    ]

    /// Tags the policy layer adds from context, valid for every detector.
    public static let contextTags: Set<String> = ["hotword"]

    private static let byKind: [DetectorKind: any Detector] = Dictionary(uniqueKeysWithValues: all.map { ($0.kind, $0) })

    public static func detector(_ kind: DetectorKind) -> any Detector {
        guard let detector = byKind[kind] else { preconditionFailure("detector \(kind) is not registered") }
        return detector
    }

    /// Whether `tag` can appear on a finding of `kind` (nil: of any detector).
    public static func knows(tag: String, for kind: DetectorKind?) -> Bool {
        if contextTags.contains(tag) { return true }
        if let kind { return detector(kind).tags.contains(tag) }
        return all.contains { $0.tags.contains(tag) }
    }

    /// The tags that can appear on a finding of `kind` (nil: of any detector), for messages.
    public static func tagListing(for kind: DetectorKind?) -> [String] {
        let detectors = kind.map { [detector($0)] } ?? all
        return Array(Set(detectors.flatMap(\.tags.listing))).sorted() + contextTags.sorted()
    }

    /// The token detectors among `enabled`, in registry order.
    static func tokenDetectors(enabled: Set<DetectorKind>) -> [any TokenDetector] {
        all.compactMap { $0 as? any TokenDetector }.filter { enabled.contains($0.kind) }
    }
}
