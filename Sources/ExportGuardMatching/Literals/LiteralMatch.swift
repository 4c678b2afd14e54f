/// A literal pattern found in a stream, at absolute byte offsets.
public struct LiteralMatch: Sendable, Hashable {
    /// Index of the pattern in the list the automaton was compiled from.
    public var pattern: Int
    public var start: Int
    public var end: Int

    public init(pattern: Int, start: Int, end: Int) {
        self.pattern = pattern
        self.start = start
        self.end = end
    }
}
