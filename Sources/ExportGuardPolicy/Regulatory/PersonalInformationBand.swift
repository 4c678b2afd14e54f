/// The cross-border mechanism the CAC Provisions (in force 2024-03-22) require for the
/// personal information in one transfer, by the number of persons it concerns.
public enum PersonalInformationBand: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Below every threshold: no mechanism needed.
    case none
    /// 100,000 ≤ persons < 1,000,000 (non-sensitive) or 1 ≤ persons < 10,000 (sensitive):
    /// standard contract or certification.
    case standardContract = "standard-contract"
    /// ≥ 1,000,000 persons (non-sensitive) or ≥ 10,000 persons (sensitive): security assessment.
    case securityAssessment = "security-assessment"

    /// The band for a count of persons, of whom `sensitive` have sensitive information sent.
    public init(persons: Int, sensitive: Int) {
        if persons >= 1_000_000 || sensitive >= 10_000 {
            self = .securityAssessment
        } else if persons >= 100_000 || sensitive >= 1 {
            self = .standardContract
        } else {
            self = .none
        }
    }

    private var rank: Int {
        switch self {
        case .none: 0
        case .standardContract: 1
        case .securityAssessment: 2
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}
