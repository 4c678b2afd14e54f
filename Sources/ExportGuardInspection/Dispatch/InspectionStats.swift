/// What inspecting one input took.
public struct InspectionStats: Sendable, Hashable {
    /// Bytes read from the source.
    public var bytes = 0
    /// Text bytes handed to the sink after decoding.
    public var decodedBytes = 0
    /// Bytes produced by decompression, at every depth (the input's unpacking budget).
    public var unpackedBytes = 0
    /// Invalid byte sequences replaced while decoding text.
    public var replacedSequences = 0
    /// The sink asked to stop before the input ended (its verdict could no longer change).
    public var stoppedEarly = false

    public init() {}
}
