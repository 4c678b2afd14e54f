/// Bounds that keep inspection flat in memory and time, whatever the input claims.
public struct InspectionLimits: Sendable, Hashable {
    /// Bytes read per chunk from a source.
    public var chunkSize: Int
    /// Decoded text bytes per input; beyond it the rest is uninspected.
    public var maxDecodedBytes: Int
    /// Bytes examined to decide what kind of content a stream holds.
    public var sniffBytes: Int

    public init(chunkSize: Int = 64 * 1024, maxDecodedBytes: Int = 4 << 30, sniffBytes: Int = 4096) {
        self.chunkSize = chunkSize
        self.maxDecodedBytes = maxDecodedBytes
        self.sniffBytes = sniffBytes
    }

    public static let `default` = InspectionLimits()
}
