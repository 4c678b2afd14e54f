/// How sure a detector is that a match means what it says. Ordered `low < medium < high`.
public enum Confidence: String, Sendable, Hashable, CaseIterable, Codable {
    case low
    case medium
    case high
}

extension Confidence: Comparable {
    /// 0, 1 or 2, so context can move confidence up or down a level.
    public var level: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        }
    }

    public init(level: Int) {
        switch level {
        case ...0: self = .low
        case 1: self = .medium
        default: self = .high
        }
    }

    public static func < (lhs: Confidence, rhs: Confidence) -> Bool { lhs.level < rhs.level }
}
