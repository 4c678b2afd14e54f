import ExportGuardCore
import ExportGuardMatching

/// A hard rule: when enough findings of a kind remain after context, the verdict is at
/// least `verdict`, whatever the score says.
///
/// A *combination* rule (non-empty ``allOf``) fires instead when every one of its
/// conditions holds within its ``scope``: evidence the law restricts together (a military
/// facility and precise coordinates in one record) but that scores little apart. Its
/// `category` is its first condition's, and its single-kind fields are unused.
public struct Rule: Sendable, Hashable {
    public var id: String
    public var description: String
    public var category: CategoryID
    public var detector: DetectorKind?
    public var minConfidence: Confidence
    public var requireTags: Set<String>
    /// Findings carrying any of these tags do not count.
    public var excludeTags: Set<String>
    /// Distinct values needed for the rule to fire.
    public var minCount: Int
    public var verdict: Verdict
    /// The conditions of a combination rule; empty for a single-kind rule.
    public var allOf: [RuleCondition]
    public var scope: RuleScope

    public init(
        id: String, description: String = "", category: CategoryID, detector: DetectorKind? = nil,
        minConfidence: Confidence = .low, requireTags: Set<String> = [], excludeTags: Set<String> = [],
        minCount: Int = 1, verdict: Verdict, allOf: [RuleCondition] = [], scope: RuleScope = .document
    ) {
        self.allOf = allOf
        self.scope = scope
        self.excludeTags = excludeTags
        self.id = id
        self.description = description
        self.category = category
        self.detector = detector
        self.minConfidence = minConfidence
        self.requireTags = requireTags
        self.minCount = minCount
        self.verdict = verdict
    }
}

extension Rule {
    /// Whether the rule combines conditions (see ``allOf``).
    public var isCombination: Bool { !allOf.isEmpty }
}
