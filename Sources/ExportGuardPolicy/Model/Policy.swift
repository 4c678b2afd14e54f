import ExportGuardCore
import ExportGuardMatching

/// A complete, validated policy: what to look for, how to weigh it and what to answer.
public struct Policy: Sendable, Hashable {
    public var name: String
    public var description: String?
    public var thresholds: Thresholds
    /// Points a distinct finding contributes at each confidence level (0–100).
    public var points: ConfidencePoints
    /// What a part that could not be inspected raises the verdict to.
    public var uninspectable: Verdict
    /// What a whole image or media part raises the verdict to.
    public var media: MediaSettings
    /// Characters around a finding in which hotwords and exclusions count.
    public var contextWindow: Int
    public var categories: [CategoryPolicy]
    /// Hard rules, checked in order; each can raise the verdict on its own.
    public var rules: [Rule]
    /// Values that may leave although they match.
    public var allowlist: Allowlist
    /// Inspection limits (nesting, sizes, time) this policy sets.
    public var limits: LimitSettings
    /// What gateways do with content under review.
    public var reviewAction: ReviewAction
    /// The verdict for each CAC personal-information band.
    public var personalInformationBands: [PersonalInformationBand: Verdict]

    public static let defaultBands: [PersonalInformationBand: Verdict] = [
        .none: .allow, .standardContract: .review, .securityAssessment: .block,
    ]

    public init(
        name: String, description: String? = nil, thresholds: Thresholds = Thresholds(),
        points: ConfidencePoints = ConfidencePoints(), uninspectable: Verdict = .review,
        media: MediaSettings = MediaSettings(), contextWindow: Int = 300, categories: [CategoryPolicy] = [], rules: [Rule] = [],
        personalInformationBands: [PersonalInformationBand: Verdict] = Policy.defaultBands, allowlist: Allowlist = Allowlist(), limits: LimitSettings = LimitSettings(), reviewAction: ReviewAction = .pass
    ) {
        self.reviewAction = reviewAction
        self.limits = limits
        self.allowlist = allowlist
        self.personalInformationBands = personalInformationBands
        self.name = name
        self.description = description
        self.thresholds = thresholds
        self.points = points
        self.uninspectable = uninspectable
        self.media = media
        self.contextWindow = contextWindow
        self.categories = categories
        self.rules = rules
    }

    public func category(_ id: CategoryID) -> CategoryPolicy? {
        categories.first { $0.id == id }
    }
}

extension Policy {
    /// Document score thresholds (0–100): at or above `block` blocks, at or above `review` reviews.
    public struct Thresholds: Sendable, Hashable {
        public var review: Int
        public var block: Int

        public init(review: Int = 40, block: Int = 80) {
            self.review = review
            self.block = block
        }
    }

    /// The verdict a structurally whole image or media part gives. Pictures carry no text
    /// to match (their metadata is read), so what they show is unknown: inside a document
    /// they are part of it and allowed by default; a picture sent on its own is reviewed.
    /// A malformed image, or bytes after its end, is uninspected, not media.
    public struct MediaSettings: Sendable, Hashable {
        public var nested: Verdict
        public var topLevel: Verdict

        public init(nested: Verdict = .allow, topLevel: Verdict = .review) {
            self.nested = nested
            self.topLevel = topLevel
        }

        /// The verdict for a part inside a document or archive, or sent on its own.
        public func verdict(nested isNested: Bool) -> Verdict {
            isNested ? nested : topLevel
        }
    }

    /// Points per distinct finding by confidence, before the category weight.
    public struct ConfidencePoints: Sendable, Hashable {
        public var low: Int
        public var medium: Int
        public var high: Int

        public init(low: Int = 10, medium: Int = 25, high: Int = 50) {
            self.low = low
            self.medium = medium
            self.high = high
        }

        public subscript(confidence: Confidence) -> Int {
            switch confidence {
            case .low: low
            case .medium: medium
            case .high: high
            }
        }
    }
}
