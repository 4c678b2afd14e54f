import ExportGuardCore
import ExportGuardMatching

/// Follows the findings of one input for the policy's combination rules (``Rule/allOf``)
/// and remembers which fired, with a finding that met each condition.
///
/// Memory stays bounded: a document-scope condition keeps only as many distinct values as
/// it needs, and a window-scope condition only the findings that may still fall within the
/// window of a later one.
struct CombinationTracker {
    /// A finding as the tracker sees it.
    struct Observation {
        var category: Int
        var detector: DetectorKind?
        var keyword: Int?
        var tags: [String]
        var confidence: Confidence
        var key: UInt64
        /// The part it was found in (context does not reach across parts).
        var part: Int
        var startCharacter: Int
        var endCharacter: Int
        /// Where it is: its element path or line, for the same-element scope.
        var location: Location
        /// `location` read as a record position, once, when a same-element rule watches.
        var record: RecordPosition? = nil
        /// What `--explain` says of it.
        var summary: String
    }

    private struct Condition {
        var category: Int
        var detector: DetectorKind?
        /// Keyword indices in the category; nil: any finding of the category.
        var keywords: Set<Int>?
        var requireTags: Set<String>
        var minConfidence: Confidence
        var minCount: Int

        func holds(for observation: Observation) -> Bool {
            guard observation.category == category, observation.confidence >= minConfidence,
                  requireTags.isSubset(of: observation.tags) else { return false }
            if let detector, observation.detector != detector { return false }
            if let keywords { return observation.keyword.map(keywords.contains) ?? false }
            return true
        }
    }

    private struct Tracked {
        var rule: Int
        var conditions: [Condition]
        var scope: RuleScope
        /// Document scope: the distinct values seen per condition (up to its minimum).
        var keys: [Set<UInt64>]
        /// Window and same-element scopes: recent observations per condition.
        var recent: [[Observation]]
        /// The first observation that met each condition, for the explanation.
        var witnesses: [String?]
        var fired = false
    }

    private var tracked: [Tracked]
    /// For each category, whether a condition names it.
    private let watched: [Bool]
    /// Whether a rule has the same-element scope (observations then need record positions).
    private let needsRecords: Bool
    /// Observations kept per window-scope condition, at most.
    static let recentLimit = 256

    init(_ policy: Policy) {
        let watchedIDs = Set(policy.rules.flatMap { $0.allOf.map(\.category) })
        watched = policy.categories.map { watchedIDs.contains($0.id) }
        needsRecords = policy.rules.contains { $0.isCombination && $0.scope == .sameElement }
        let categoryIndex = Dictionary(policy.categories.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        tracked = policy.rules.enumerated().compactMap { (index, rule) -> Tracked? in
            guard rule.isCombination else { return nil }
            let conditions: [Condition] = rule.allOf.compactMap { condition in
                guard let category = categoryIndex[condition.category] else { return nil }
                let keywords = policy.categories[category].keywords
                return Condition(
                    category: category, detector: condition.detector,
                    keywords: condition.keywords.isEmpty ? nil : Set(condition.keywords.compactMap { text in keywords.firstIndex { $0.text == text } }),
                    requireTags: condition.requireTags, minConfidence: condition.minConfidence, minCount: condition.minCount)
            }
            guard conditions.count == rule.allOf.count else { return nil }
            return Tracked(
                rule: index, conditions: conditions, scope: rule.scope, keys: conditions.map { _ in [] },
                recent: conditions.map { _ in [] }, witnesses: conditions.map { _ in nil })
        }
    }

    /// Whether a condition names the category at `index`: findings of other categories
    /// need not be observed (nor described).
    func watches(category index: Int) -> Bool { watched[index] }

    /// Takes a finding; true when it made a rule fire.
    mutating func observe(_ observation: Observation) -> Bool {
        var observation = observation
        if needsRecords { observation.record = RecordPosition(observation.location) }
        var newlyFired = false
        for t in tracked.indices where !tracked[t].fired {
            let met = tracked[t].conditions.indices.filter { tracked[t].conditions[$0].holds(for: observation) }
            guard !met.isEmpty else { continue }
            if tracked[t].scope != .document {
                newlyFired = Self.observeNearby(observation, met: met, tracked: &tracked[t]) || newlyFired
            } else {
                for c in met where tracked[t].keys[c].count < tracked[t].conditions[c].minCount {
                    tracked[t].keys[c].insert(observation.key)
                    if tracked[t].witnesses[c] == nil { tracked[t].witnesses[c] = observation.summary }
                }
                if tracked[t].conditions.indices.allSatisfy({ tracked[t].keys[$0].count >= tracked[t].conditions[$0].minCount }) {
                    tracked[t].fired = true
                    newlyFired = true
                }
            }
        }
        return newlyFired
    }

    private static func distance(_ a: Observation, _ b: Observation) -> Int {
        max(0, a.startCharacter - b.endCharacter, b.startCharacter - a.endCharacter)
    }

    /// Whether two observations of one part are together in `scope` (window or same-element).
    private static func together(_ a: Observation, _ b: Observation, in scope: RuleScope) -> Bool {
        switch scope {
        case .document: true
        case .window(let characters): distance(a, b) <= characters
        case .sameElement:
            // Every observation has its record once a same-element rule exists.
            if let record = a.record, let other = b.record { record.sameRecord(as: other) } else { false }
        }
    }

    private static func observeNearby(_ observation: Observation, met: [Int], tracked t: inout Tracked) -> Bool {
        for c in met {
            // Findings arrive roughly in text order: what lies more than two windows back
            // cannot be near a later one; the other scopes keep the most recent.
            t.recent[c].removeAll { other in
                if other.part != observation.part { return true }
                if case .window(let characters) = t.scope { return other.endCharacter < observation.startCharacter - 2 * characters }
                return false
            }
            if t.recent[c].count >= recentLimit { t.recent[c].removeFirst() }
            t.recent[c].append(observation)
        }
        var witnesses: [String] = []
        for c in t.conditions.indices {
            var keys: Set<UInt64> = []
            var witness: String?
            for other in t.recent[c] where other.part == observation.part && together(other, observation, in: t.scope) {
                keys.insert(other.key)
                if witness == nil { witness = other.summary }
            }
            guard keys.count >= t.conditions[c].minCount, let witness else { return false }
            witnesses.append(witness)
        }
        t.witnesses = witnesses
        t.fired = true
        return true
    }

    /// Whether the rule at `index` of the policy's rules has fired.
    func hasFired(rule index: Int) -> Bool {
        tracked.contains { $0.rule == index && $0.fired }
    }

    /// A finding that met each condition of the rule at `index`, once it has fired.
    func witnesses(rule index: Int) -> [String] {
        tracked.first { $0.rule == index }?.witnesses.compactMap { $0 } ?? []
    }
}

/// Where a finding lies, as far as records go: the steps of its element path (without the
/// line the path ends with), or its line in a text.
struct RecordPosition: Equatable {
    var steps: [Substring]?
    var line: Int?

    init(_ location: Location) {
        switch location.position {
        case .element(let path)?:
            // `kml/Document/Placemark[2]/name:11`: the line after the last colon is no step.
            // Other labels (`page=3` of a PDF, a legacy document's stories) name no element.
            if let colon = path.lastIndex(of: ":"), !path[path.index(after: colon)...].isEmpty,
               path[path.index(after: colon)...].allSatisfy({ $0.isASCII && $0.isNumber }) {
                steps = path[..<colon].split(separator: "/")
            } else {
                steps = nil
            }
            line = nil
        case .line(let line, _)?:
            steps = nil
            self.line = line
        case nil:
            steps = nil
            line = nil
        }
    }

    /// Element names of a table row, whose cells are one record though they are instances of
    /// one element (xlsx `row`, ODF `table:table-row`, Word `w:tr`, HTML `tr`).
    static let rowElements: Set<Substring> = ["row", "table:table-row", "w:tr", "tr"]

    /// Whether both are in one record. In XML: where their paths part, the elements differ
    /// in name (a `name` and a `Point` of one `Placemark`), one path encloses the other, or
    /// both are inside one table row; paths that part at two instances of one element
    /// (`Placemark` and `Placemark[2]`) are two records. In text: the same line.
    func sameRecord(as other: RecordPosition) -> Bool {
        if let steps, let otherSteps = other.steps {
            func name(_ step: Substring) -> Substring { step.firstIndex(of: "[").map { step[..<$0] } ?? step }
            let common = zip(steps, otherSteps).prefix { $0 == $1 }.count
            guard common > 0 else { return false }
            if common == min(steps.count, otherSteps.count) { return true }
            if steps[..<common].contains(where: { Self.rowElements.contains(name($0)) }) { return true }
            return name(steps[common]) != name(otherSteps[common])
        }
        if let line, let otherLine = other.line { return line == otherLine }
        return false
    }
}
