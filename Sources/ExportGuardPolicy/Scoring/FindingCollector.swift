import ExportGuardCore
import ExportGuardMatching

/// Gives matches their meaning under a policy, for one input: routes them to categories,
/// applies hotwords and exclusions within the context window, and keeps bounded
/// evidence for the ``Scorer``.
///
/// The searcher reports matches with character positions roughly in stream order and
/// calls ``advance(toCharacter:)`` as it goes; a finding is decided once no later text
/// can fall inside its window.
public final class FindingCollector {
    public let compiled: CompiledPolicy
    private var evidence: [CategoryEvidence]
    private var ruleProgress: [Set<UInt64>]
    private var pending: [Candidate] = []
    private var hotwordHits: [[ContextHit]]
    private var exclusionHits: [[ContextHit]]
    private var vetoHits: [[ContextHit]]
    private var uninspected: [UninspectedPart] = []
    private var media: [MediaPart] = []
    /// Evidence changed since ``isFinalBlock`` last looked.
    private var changed = false
    private var finalBlock = false
    private let window: Int
    private var persons: PersonCounter
    private var combinations: CombinationTracker
    /// For each category and exclusion, whether a document-scope exclusion's phrase has been
    /// seen anywhere in the input so far.
    private var documentExclusionSeen: [[Bool]]
    /// Findings a document-scope exclusion may still remove, decided when the input ends.
    private var deferred: [Candidate] = []
    /// Counts parts, so that a window-scope combination stays within one.
    private var partSerial = 0
    private let keepValues: Bool
    private let valueKey: ValueKey

    /// Findings kept per category for the report.
    public static let sampleSize = 20
    /// Findings held for document-scope exclusions, at most.
    static let deferredLimit = 10_000
    /// Distinct values remembered per category; beyond it the score is saturated anyway.
    static let distinctLimit = 100_000

    /// - Parameter today: the date ages are computed on (birth dates in resident IDs).
    /// - Parameter valueKey: keys distinct values (the process's own key unless the counts
    ///   must agree elsewhere).
    public init(_ compiled: CompiledPolicy, today: CalendarDate = .today, valueKey: ValueKey = .process) {
        self.compiled = compiled
        self.valueKey = valueKey
        self.persons = PersonCounter(today: today)
        self.combinations = CombinationTracker(compiled.policy)
        self.documentExclusionSeen = compiled.policy.categories.map { $0.exclusions.map { _ in false } }
        self.keepValues = !compiled.allowlist.isEmpty
        let categories = compiled.policy.categories
        self.evidence = categories.map { _ in CategoryEvidence() }
        self.ruleProgress = compiled.policy.rules.map { _ in [] }
        self.hotwordHits = categories.map { _ in [] }
        self.exclusionHits = categories.map { _ in [] }
        self.vetoHits = categories.map { _ in [] }
        self.window = compiled.policy.contextWindow
    }

    private struct Candidate {
        var category: Int
        var detector: String
        var detectorKind: DetectorKind?
        /// The keyword's index in its category, for `not-within` phrases.
        var keyword: Int?
        var confidence: Confidence
        var tags: [String]
        var birthDate: BirthDate?
        var key: UInt64
        /// The matched value, kept only when the policy has an allowlist to test it against.
        var value: [UInt8]?
        var excerpt: String
        var location: Location
        var startCharacter: Int
        var endCharacter: Int
        /// The part it was found in (see `partSerial`).
        var part: Int
    }

    private struct ContextHit {
        /// The exclusion or keyword the hit belongs to (-1 for hotwords).
        var exclusion: Int
        var startCharacter: Int
        var endCharacter: Int
    }

    // MARK: Feeding

    /// A part of the input begins; context does not reach across parts.
    public func beginPart() {
        flush()
        partSerial += 1
    }

    /// A match at `location`, spanning characters `startCharacter..<endCharacter` of the part.
    public func add(_ match: Match, location: Location, startCharacter: Int, endCharacter: Int) {
        switch match {
        case .literal(let literal):
            let text = compiled.matcher.literals[literal.pattern].bytes
            for role in compiled.roles[literal.pattern] {
                switch role {
                case .keyword(let category, let keyword):
                    let spec = compiled.policy.categories[category].keywords[keyword]
                    pending.append(Candidate(
                        category: category, detector: "keyword", detectorKind: nil, keyword: keyword, confidence: spec.confidence, tags: [], birthDate: nil,
                        key: compiled.keywordKeys[category][keyword], value: keepValues ? text : nil, excerpt: String(decoding: text, as: UTF8.self),
                        location: location, startCharacter: startCharacter, endCharacter: endCharacter, part: partSerial))
                case .hotword(let category):
                    hotwordHits[category].append(ContextHit(exclusion: -1, startCharacter: startCharacter, endCharacter: endCharacter))
                case .exclusion(let category, let exclusion):
                    if compiled.policy.categories[category].exclusions[exclusion].documentScope {
                        documentExclusionSeen[category][exclusion] = true
                    }
                    exclusionHits[category].append(ContextHit(exclusion: exclusion, startCharacter: startCharacter, endCharacter: endCharacter))
                case .veto(let category, let keyword):
                    vetoHits[category].append(ContextHit(exclusion: keyword, startCharacter: startCharacter, endCharacter: endCharacter))
                }
            }
        case .detector(let found):
            guard let routes = compiled.detectorRoutes[found.detector] else { return }
            let tags = found.tags
            for route in routes {
                guard route.rule.requireTags.isSubset(of: tags), route.rule.excludeTags.isDisjoint(with: tags) else { continue }
                let excerpt = Redactor.excerpt(found.value, DetectorRegistry.detector(found.detector).redaction)
                pending.append(Candidate(
                    category: route.category, detector: found.detector.rawValue, detectorKind: found.detector, keyword: nil,
                    confidence: route.rule.confidence ?? Confidence(level: found.confidence.rawValue), tags: tags.sorted(), birthDate: found.birthDate,
                    key: valueKey.of(found.detector.rawValue, found.value), value: keepValues ? found.value : nil, excerpt: excerpt,
                    location: location, startCharacter: startCharacter, endCharacter: endCharacter, part: partSerial))
            }
        }
    }

    /// Text up to `character` has been seen: decide findings whose window lies before it.
    public func advance(toCharacter character: Int) {
        guard !pending.isEmpty else {
            prune(before: character - window * 2)
            return
        }
        var keep: [Candidate] = []
        for candidate in pending {
            if candidate.endCharacter + window < character {
                decide(candidate)
            } else {
                keep.append(candidate)
            }
        }
        pending = keep
        let oldest = pending.map(\.startCharacter).min() ?? character
        prune(before: min(oldest, character) - window * 2)
    }

    /// The current part ended: decide everything still waiting.
    public func endPart() {
        flush()
        partSerial += 1
    }

    /// A part that could not be inspected.
    public func uninspected(at location: Location, code: UninspectedCode, reason: String) {
        uninspected.append(UninspectedPart(location: location, code: code, reason: reason))
        changed = true
    }

    /// A media part whose structure was checked.
    public func media(_ part: MediaPart) {
        media.append(part)
        changed = true
    }

    /// The hard rules whose conditions hold so far; a combination rule's description names a
    /// finding that met each of its conditions.
    private var firedRules: [Rule] {
        compiled.policy.rules.indices.compactMap { index in
            var rule = compiled.policy.rules[index]
            guard rule.isCombination else { return ruleProgress[index].count >= rule.minCount ? rule : nil }
            guard combinations.hasFired(rule: index) else { return nil }
            let witnesses = combinations.witnesses(rule: index).joined(separator: "; ")
            rule.description = rule.description.isEmpty ? "together: \(witnesses)" : "\(rule.description) (together: \(witnesses))"
            return rule
        }
    }

    /// Whether the persons counted so far put the input in a band that blocks, and every band
    /// more persons could reach blocks too (a policy may map bands out of order).
    private func bandIsFinalBlock(_ band: PersonalInformationBand) -> Bool {
        let bands = PersonalInformationBand.allCases
        guard let index = bands.firstIndex(of: band) else { return false }
        return bands[index...].allSatisfy { compiled.policy.personalInformationBands[$0] == .block }
    }

    /// Whether the verdict is block already and nothing later in the input can lower it:
    /// scores, rules, bands and uninspected parts only ever raise a verdict. Cheap when
    /// nothing changed; a gateway asks between chunks.
    public var isFinalBlock: Bool {
        guard !finalBlock, changed else { return finalBlock }
        changed = false
        let policy = compiled.policy
        let scorer = Scorer(policy: policy)
        finalBlock =
            firedRules.contains { $0.verdict == .block }
            || (!uninspected.isEmpty && policy.uninspectable == .block)
            || media.contains { policy.media.verdict(nested: $0.nested) == .block }
            || policy.categories.indices.contains {
                policy.categories[$0].maxVerdict == .block && evidence[$0].count > 0
                    && scorer.categoryScore(evidence[$0], weight: policy.categories[$0].weight) >= policy.thresholds.block
            }
            || bandIsFinalBlock(persons.result(healthDataPresent: false).band)
        return finalBlock
    }

    private func flush() {
        for candidate in pending { decide(candidate) }
        pending.removeAll()
        for index in hotwordHits.indices {
            hotwordHits[index].removeAll()
            exclusionHits[index].removeAll()
            vetoHits[index].removeAll()
        }
    }

    private func prune(before character: Int) {
        for index in hotwordHits.indices {
            hotwordHits[index].removeAll { $0.endCharacter < character }
            exclusionHits[index].removeAll { $0.endCharacter < character }
            vetoHits[index].removeAll { $0.endCharacter < character }
        }
    }

    // MARK: Deciding

    private func near(_ hit: ContextHit, _ candidate: Candidate) -> Bool {
        hit.endCharacter >= candidate.startCharacter - window && hit.startCharacter <= candidate.endCharacter + window
    }

    private func decide(_ candidate: Candidate) {
        var candidate = candidate
        let category = compiled.policy.categories[candidate.category]
        if let keyword = candidate.keyword, vetoHits[candidate.category].contains(where: {
            $0.exclusion == keyword && $0.startCharacter <= candidate.startCharacter && $0.endCharacter >= candidate.endCharacter
        }) {
            return
        }
        for hit in exclusionHits[candidate.category] where near(hit, candidate) {
            if category.exclusions[hit.exclusion].applies(to: candidate.detector, tags: candidate.tags) {
                evidence[candidate.category].excluded += 1
                return
            }
        }
        let weak = candidate.keyword.map { category.keywords[$0].weak } ?? false
        if !weak, hotwordHits[candidate.category].contains(where: { near($0, candidate) }) {
            candidate.confidence = Confidence(level: candidate.confidence.level + 1)
            candidate.tags.append("hotword")
        }
        if let excluded = documentExclusion(for: candidate) {
            if excluded {
                evidence[candidate.category].excluded += 1
                return
            }
            // Bounded: past the limit a finding counts at once, as if no phrase came.
            if deferred.count < Self.deferredLimit {
                // Combinations see it now, while the findings near it are still at hand; one
                // that fires stays fired if the phrase comes later (it errs towards review).
                observeCombinations(candidate)
                deferred.append(candidate)
                return
            }
        }
        record(candidate)
    }

    /// For a finding a document-scope exclusion applies to, whether the phrase of one has
    /// been seen so far; nil when none applies.
    private func documentExclusion(for candidate: Candidate) -> Bool? {
        let exclusions = compiled.policy.categories[candidate.category].exclusions
        var applies = false
        for (index, exclusion) in exclusions.enumerated()
        where exclusion.documentScope && exclusion.applies(to: candidate.detector, tags: candidate.tags) {
            if documentExclusionSeen[candidate.category][index] { return true }
            applies = true
        }
        return applies ? false : nil
    }

    /// Shows a finding to the combination rules that watch its category.
    private func observeCombinations(_ candidate: Candidate) {
        guard combinations.watches(category: candidate.category) else { return }
        let category = compiled.policy.categories[candidate.category]
        if combinations.observe(CombinationTracker.Observation(
            category: candidate.category, detector: candidate.detectorKind, keyword: candidate.keyword, tags: candidate.tags,
            confidence: candidate.confidence, key: candidate.key, part: candidate.part,
            startCharacter: candidate.startCharacter, endCharacter: candidate.endCharacter, location: candidate.location,
            summary: "\(category.id) \(candidate.detector) \(candidate.excerpt) at \(candidate.location)"))
        {
            changed = true
        }
    }

    /// Counts a finding that context did not remove (`observed`: the combination rules have
    /// seen it already).
    private func record(_ candidate: Candidate, observed: Bool = false) {
        let category = compiled.policy.categories[candidate.category]
        if let value = candidate.value, compiled.allowlist.allows(value) {
            evidence[candidate.category].allowed += 1
            return
        }
        if let kind = candidate.detectorKind {
            persons.add(kind, tags: candidate.tags, confidence: candidate.confidence, birthDate: candidate.birthDate, key: candidate.key)
        }
        changed = true
        let finding = Finding(
            category: category.id, detector: candidate.detector, confidence: candidate.confidence,
            location: candidate.location, excerpt: candidate.excerpt, tags: candidate.tags)
        evidence[candidate.category].add(finding, key: candidate.key)
        if !observed { observeCombinations(candidate) }
        for (index, rule) in compiled.policy.rules.enumerated()
        where !rule.isCombination && rule.category == category.id && ruleProgress[index].count < rule.minCount
            && (rule.detector == nil || rule.detector == candidate.detectorKind)
            && candidate.confidence >= rule.minConfidence && rule.requireTags.isSubset(of: candidate.tags)
            && rule.excludeTags.isDisjoint(with: candidate.tags) {
            ruleProgress[index].insert(candidate.key)
        }
    }

    // MARK: Result

    /// Scores the evidence and decides the verdict. Call once, after the last part.
    public func assess() -> Assessment {
        flush()
        for candidate in deferred {
            if documentExclusion(for: candidate) == true {
                evidence[candidate.category].excluded += 1
            } else {
                record(candidate, observed: true)
            }
        }
        deferred.removeAll()

        let health = compiled.policy.categories.indices.contains {
            compiled.policy.categories[$0].id == .geneticHealth && evidence[$0].count > 0
        }
        return Scorer(policy: compiled.policy).assess(
            evidence: evidence, firedRules: firedRules,
            personalInformation: persons.result(healthDataPresent: health), uninspected: uninspected, media: media)
    }
}
