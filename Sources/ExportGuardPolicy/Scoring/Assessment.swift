import ExportGuardCore

/// The policy's answer for one input, with everything needed to explain it.
public struct Assessment: Sendable, Hashable {
    public var verdict: Verdict
    /// Document score, 0–100: the highest category score.
    public var score: Int
    /// Categories with evidence, highest score first.
    public var categories: [CategoryAssessment]
    public var uninspected: [UninspectedPart]
    /// Media parts (images) whose structure was checked, as the policy's `media` setting saw them.
    public var media: [MediaPart] = []
    /// What decided the verdict.
    public var decision: Decision
    /// Persons whose personal information the input carries, and the CAC band.
    public var personalInformation: PersonalInformationCount
    /// Findings dropped by an exclusion in context (negations, exam papers).
    public var excludedFindings = 0
    /// Findings dropped because the policy's allowlist allows their value.
    public var allowlistedFindings = 0

    public init(
        verdict: Verdict, score: Int, categories: [CategoryAssessment], uninspected: [UninspectedPart], decision: Decision,
        personalInformation: PersonalInformationCount
    ) {
        self.personalInformation = personalInformation
        self.verdict = verdict
        self.score = score
        self.categories = categories
        self.uninspected = uninspected
        self.decision = decision
    }

    /// All findings kept for reporting, in category order.
    public var findings: [Finding] { categories.flatMap(\.findings) }
}

/// The evidence and score of one category.
public struct CategoryAssessment: Sendable, Hashable {
    public var category: CategoryID
    public var title: String
    public var score: Int
    /// Findings counted (after context), and how many distinct values they had.
    public var count: Int
    public var distinct: Int
    /// A sample of the findings, strongest first; `count` says how many there were.
    public var findings: [Finding]
}

/// A part that was not inspected, and why: a stable code and a detail for people.
public struct UninspectedPart: Sendable, Hashable {
    public var location: Location
    public var code: UninspectedCode
    public var reason: String

    public init(location: Location, code: UninspectedCode, reason: String) {
        self.location = location
        self.code = code
        self.reason = reason
    }
}

/// The step that decided a verdict, for `--explain` and the JSON `decision` field.
public enum Decision: Sendable, Hashable {
    /// Nothing reached a threshold.
    case belowThresholds
    /// A category's score reached a threshold (capped by the category's max verdict).
    case score(category: CategoryID, score: Int, threshold: Int)
    /// A hard rule fired.
    case rule(id: String, description: String)
    /// The persons counted put the transfer in a personal-information band.
    case personalInformation(band: PersonalInformationBand, persons: Int, sensitive: Int)
    /// Parts could not be inspected, which the policy treats as this verdict.
    case uninspectable(count: Int)
    /// Media parts (images) whose verdict the policy's `media` setting gives.
    case media(count: Int, nested: Bool)
}

extension Decision: CustomStringConvertible {
    public var description: String {
        switch self {
        case .belowThresholds: "no category reached the review threshold"
        case .score(let category, let score, let threshold): "category \(category) scored \(score) (threshold \(threshold))"
        case .rule(let id, let description): description.isEmpty ? "rule \(id)" : "rule \(id): \(description)"
        case .personalInformation(let band, let persons, let sensitive):
            "personal information of \(persons) person(s), \(sensitive) with sensitive information: CAC band \(band.rawValue)"
        case .uninspectable(let count): "\(count) part(s) could not be inspected"
        case .media(let count, let nested):
            "\(count) image(s) or media part(s) \(nested ? "inside a document or archive" : "sent on their own") (policy: media)"
        }
    }
}
