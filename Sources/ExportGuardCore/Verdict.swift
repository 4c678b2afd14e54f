/// The answer ExportGuard gives for one input. Ordered: `allow < review < block`.
public enum Verdict: String, Sendable, Hashable, CaseIterable, Codable {
    case allow
    case review
    case block
}

extension Verdict: Comparable {
    private var rank: Int {
        switch self {
        case .allow: 0
        case .review: 1
        case .block: 2
        }
    }

    public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.rank < rhs.rank }
}
