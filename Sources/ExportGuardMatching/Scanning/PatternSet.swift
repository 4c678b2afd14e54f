/// What a ``Matcher`` looks for: literal keywords and structured detectors.
///
/// Build one, then compile it once with ``Matcher/init(_:)``.
public struct PatternSet: Sendable {
    public private(set) var literals: [LiteralPattern] = []
    public var detectors: Set<DetectorKind>

    public init(detectors: Set<DetectorKind> = []) {
        self.detectors = detectors
    }

    /// Adds a literal and returns its id, the index matches report.
    @discardableResult
    public mutating func add(_ literal: LiteralPattern) -> Int {
        literals.append(literal)
        return literals.count - 1
    }
}
