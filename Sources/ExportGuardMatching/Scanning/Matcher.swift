/// A compiled, immutable pattern set. Share one across threads; give each stream its
/// own ``MatchScanner``.
public final class Matcher: Sendable {
    /// The literal ids a caller added come first; anchor literals of detectors follow.
    let automaton: LiteralAutomaton
    let literalCount: Int
    let anchors: [AnchoredDetectors.Anchor]
    let detectors: Set<DetectorKind>
    /// Bytes of history each stream keeps: enough to re-read the longest literal and
    /// to look behind and ahead of detector anchors.
    let windowCapacity: Int

    public init(_ patterns: PatternSet) {
        let anchorPatterns = AnchoredDetectors.anchors(for: patterns.detectors)
        self.literalCount = patterns.literals.count
        self.anchors = anchorPatterns.map(\.1)
        self.automaton = LiteralAutomaton(patterns.literals + anchorPatterns.map(\.0))
        self.detectors = patterns.detectors
        self.windowCapacity = max(256, automaton.longestPattern + AnchoredDetectors.markingLookahead + 64)
    }

    /// The literals as added, indexed by the ids ``LiteralMatch/pattern`` reports.
    public var literals: ArraySlice<LiteralPattern> { automaton.patterns[..<literalCount] }

    /// Number of automaton states, for diagnostics.
    public var stateCount: Int { automaton.stateCount }

    /// Bytes of history a stream scanner keeps; a match or its look-behind never reaches further back.
    public var historyCapacity: Int { windowCapacity }

    /// A fresh scanner for one stream.
    public func makeScanner() -> MatchScanner { MatchScanner(matcher: self) }
}
