/// A national-security transfer category, identified by a fixed id such as `state-secret`.
public struct CategoryID: RawRepresentable, Sendable, Hashable, Comparable, Codable {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static func < (lhs: CategoryID, rhs: CategoryID) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let stateSecret = CategoryID("state-secret")
    public static let military = CategoryID("military")
    public static let geospatial = CategoryID("geospatial")
    public static let criticalInfrastructure = CategoryID("critical-infrastructure")
    public static let personalInfo = CategoryID("personal-info")
    public static let geneticHealth = CategoryID("genetic-health")
    public static let economicStatistics = CategoryID("economic-statistics")
    public static let exportControl = CategoryID("export-control")
    public static let governmentInternal = CategoryID("government-internal")

    /// The nine categories every policy knows, in their documented order.
    public static let builtIn: [CategoryID] = [
        .stateSecret, .military, .geospatial, .criticalInfrastructure, .personalInfo,
        .geneticHealth, .economicStatistics, .exportControl, .governmentInternal,
    ]
}

extension CategoryID: CustomStringConvertible {
    public var description: String { rawValue }
}
