import ExportGuardCore
import ExportGuardMatching

/// One national-security transfer category as a policy sees it.
public struct CategoryPolicy: Sendable, Hashable {
    public var id: CategoryID
    public var title: String
    /// The law or rule the category rests on, for people reading a verdict.
    public var law: String
    /// Multiplies each finding's points (0–1).
    public var weight: Double
    /// The strongest verdict this category's score alone can give; rules can go further.
    public var maxVerdict: Verdict
    public var keywords: [Keyword]
    public var detectors: [DetectorRule]
    /// Words that, near a finding of this category, raise its confidence one level.
    public var hotwords: [String]
    public var exclusions: [Exclusion]

    public init(
        id: CategoryID, title: String, law: String, weight: Double = 1, maxVerdict: Verdict = .block,
        keywords: [Keyword] = [], detectors: [DetectorRule] = [], hotwords: [String] = [], exclusions: [Exclusion] = []
    ) {
        self.id = id
        self.title = title
        self.law = law
        self.weight = weight
        self.maxVerdict = maxVerdict
        self.keywords = keywords
        self.detectors = detectors
        self.hotwords = hotwords
        self.exclusions = exclusions
    }
}

/// A keyword of a category.
public struct Keyword: Sendable, Hashable {
    public var text: String
    public var confidence: Confidence
    /// ASCII letters match either case. Defaults to true for keywords with ASCII letters.
    public var caseInsensitive: Bool
    /// ASCII words must not run into other letters or digits. Defaults to true for ASCII keywords.
    public var wholeWord: Bool
    /// Longer phrases that contain the keyword without meaning it (定密 inside 原定密级):
    /// a match lying inside one of them does not count. Chinese has no word boundaries.
    public var notWithin: [String]
    /// A word news uses every day (武警, 导弹, 印发): hotwords do not raise it, so on its own
    /// it stays at its confidence; combination rules give it weight next to other evidence.
    public var weak: Bool

    public init(
        _ text: String, confidence: Confidence = .low, caseInsensitive: Bool? = nil, wholeWord: Bool? = nil, notWithin: [String] = [],
        weak: Bool = false
    ) {
        self.text = text
        self.confidence = confidence
        self.notWithin = notWithin
        self.weak = weak
        let hasLetters = text.utf8.contains { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }
        self.caseInsensitive = caseInsensitive ?? hasLetters
        self.wholeWord = wholeWord ?? hasLetters
    }
}

/// A detector whose findings count for a category, optionally only with certain tags.
public struct DetectorRule: Sendable, Hashable {
    public var detector: DetectorKind
    /// Only matches carrying all of these tags count (e.g. `military-institution`).
    public var requireTags: Set<String>
    /// Matches carrying any of these tags do not count (e.g. `test-value`).
    public var excludeTags: Set<String>
    /// Overrides the detector's own confidence when set.
    public var confidence: Confidence?

    public init(_ detector: DetectorKind, requireTags: Set<String> = [], excludeTags: Set<String> = [], confidence: Confidence? = nil) {
        self.detector = detector
        self.requireTags = requireTags
        self.excludeTags = excludeTags
        self.confidence = confidence
    }
}

/// Context that removes a finding: one of `phrases` within the context window (or, with
/// `documentScope`, anywhere in the input), for findings that carry all `tags` and come from
/// one of `detectors` (`keyword` for keywords; any finding of the category when both are
/// empty).
public struct Exclusion: Sendable, Hashable {
    public var phrases: [String]
    public var tags: Set<String>
    public var detectors: Set<String>
    /// The phrase may be anywhere in the input — another chapter of an EPUB, the header of
    /// a document whose body holds the finding — so the finding is decided when the input ends.
    public var documentScope: Bool

    public init(phrases: [String], tags: Set<String> = [], detectors: Set<String> = [], documentScope: Bool = false) {
        self.phrases = phrases
        self.tags = tags
        self.detectors = detectors
        self.documentScope = documentScope
    }

    /// Whether this exclusion applies to a finding of `detector` carrying `findingTags`.
    func applies(to detector: String, tags findingTags: some Sequence<String>) -> Bool {
        (detectors.isEmpty || detectors.contains(detector)) && tags.isSubset(of: findingTags)
    }
}
