/// A compiled, immutable pattern set. Share one across threads; give each stream its
/// own ``MatchScanner``.
public final class Matcher: Sendable {
    /// Compiled in this order: every spelling of each keyword (see ``PatternVariants``),
    /// the anchor literals of detectors, the normalisation triggers (see
    /// ``TextNormalisation``), then the sites of the contextual normalisation (see
    /// ``ContextualNormalisation``).
    let automaton: LiteralAutomaton
    /// The fast path for large chunks over the keywords and anchors, when the set allows one
    /// (it finds the normalisation triggers in buckets of its own).
    let filter: LiteralFilter?
    /// For each compiled pattern below `firstAnchor`: the id of the keyword it spells.
    let owners: [Int]
    /// The keywords as added.
    let keywords: [LiteralPattern]
    /// Compiled id of the first anchor literal; anchors come before `firstTrigger`.
    let firstAnchor: Int
    let firstTrigger: Int
    let firstSite: Int
    let anchors: [AnchoredDetectors.Anchor]
    let detectors: Set<DetectorKind>
    /// The token detectors, looked up once here rather than for every stream.
    let classifier: IdentifierClassifier
    /// Bytes of (normalised) history each stream keeps: enough to re-read the longest
    /// literal, to look behind and ahead of detector anchors, and for the digit scanner's
    /// unfinished analyses.
    let windowCapacity: Int

    /// Compiles `patterns`. With `literalFilter` false, literals are always scanned with the
    /// automaton alone (for comparisons and tests; the results are the same).
    public init(_ patterns: PatternSet, literalFilter: Bool = true) {
        var compiled: [LiteralPattern] = []
        var owners: [Int] = []
        for (id, keyword) in patterns.literals.enumerated() {
            for spelling in PatternVariants.variants(of: keyword) {
                compiled.append(spelling)
                owners.append(id)
            }
        }
        let anchorPatterns = AnchoredDetectors.anchors(for: patterns.detectors)
        self.firstAnchor = compiled.count
        compiled.append(contentsOf: anchorPatterns.map(\.0))
        self.firstTrigger = compiled.count
        compiled.append(contentsOf: TextNormalisation.triggers.map { LiteralPattern(bytes: $0.bytes) })
        self.firstSite = compiled.count
        compiled.append(contentsOf: ContextualNormalisation.sitePatterns.map { LiteralPattern(bytes: $0) })
        self.owners = owners
        self.keywords = patterns.literals
        self.anchors = anchorPatterns.map(\.1)
        self.automaton = LiteralAutomaton(compiled)
        self.filter = literalFilter ? LiteralFilter(compiled[..<firstTrigger]) : nil
        self.detectors = patterns.detectors
        self.classifier = IdentifierClassifier(enabled: patterns.detectors)
        // Room for a site's surroundings (see `MatchScanner.siteReach`) on either side of it.
        self.windowCapacity = max(256, 2 * MatchScanner.siteReach(longestPattern: automaton.longestPattern) + 64)
    }

    /// The literals as added, indexed by the ids ``LiteralMatch/pattern`` reports.
    public var literals: ArraySlice<LiteralPattern> { keywords[...] }

    /// Whether chunks of 2 KiB and more are scanned with the literal filter (see
    /// `CLiteralFilter`) rather than the automaton: false when a literal is shorter than
    /// three bytes. For diagnostics and benchmarks; the matches are the same either way.
    public var usesLiteralFilter: Bool { filter != nil }

    /// Number of automaton states, for diagnostics.
    public var stateCount: Int { automaton.stateCount }

    /// Bytes of history a stream scanner keeps, in the original stream: a match or its
    /// look-behind never reaches further back. (The scanner keeps `windowCapacity` bytes of
    /// normalised text; a normalised byte stands for at most three original ones, plus any
    /// zero-width characters removed between them, which this allows some room for.)
    public var historyCapacity: Int { 4 * windowCapacity }

    /// A fresh scanner for one stream.
    public func makeScanner() -> MatchScanner { MatchScanner(matcher: self) }
}
