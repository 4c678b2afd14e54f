import ExportGuardCore

/// One piece of evidence for a category, ready to show: never carries a full identifier.
public struct Finding: Sendable, Hashable {
    public var category: CategoryID
    /// `keyword` for policy keywords, otherwise the detector's id (e.g. `resident-id`).
    public var detector: String
    public var confidence: Confidence
    public var location: Location
    /// The matched text, redacted when it identifies a person or organisation.
    public var excerpt: String
    /// Facts established by the detector and by context (e.g. `military-institution`, `hotword:身份证`).
    public var tags: [String]

    /// A stable id for the rule the finding answers to, `category/detector`
    /// (`state-secret/classification-marking`, `military/keyword`): pipelines (SARIF) group
    /// and suppress by it.
    public var ruleID: String { "\(category.rawValue)/\(detector)" }

    public init(category: CategoryID, detector: String, confidence: Confidence, location: Location, excerpt: String, tags: [String] = []) {
        self.category = category
        self.detector = detector
        self.confidence = confidence
        self.location = location
        self.excerpt = excerpt
        self.tags = tags
    }
}
