import ExportGuardCore
import ExportGuardMatching

/// One condition of a combination rule (``Rule/allOf``): findings of a category, narrowed
/// by detector, keywords, tags and confidence, of which at least `minCount` distinct values
/// must occur within the rule's ``RuleScope``.
public struct RuleCondition: Sendable, Hashable {
    public var category: CategoryID
    /// Only findings of this detector (nil: any detector, keywords included).
    public var detector: DetectorKind?
    /// Only keyword findings of these keywords of the category (their `text`); empty: any.
    public var keywords: [String]
    public var requireTags: Set<String>
    public var minConfidence: Confidence
    /// Distinct values needed.
    public var minCount: Int

    public init(
        category: CategoryID, detector: DetectorKind? = nil, keywords: [String] = [], requireTags: Set<String> = [],
        minConfidence: Confidence = .low, minCount: Int = 1
    ) {
        self.category = category
        self.detector = detector
        self.keywords = keywords
        self.requireTags = requireTags
        self.minConfidence = minConfidence
        self.minCount = minCount
    }
}
