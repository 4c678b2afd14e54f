/// Bounds that keep inspection flat in memory and time, whatever the input claims.
/// A breach never passes content as clean: the part is reported as uninspected.
public struct InspectionLimits: Sendable, Hashable {
    /// Bytes read per chunk from a source.
    public var chunkSize: Int
    /// Decoded bytes per input (text and unpacked content together).
    public var maxDecodedBytes: Int
    /// Bytes examined to decide what kind of content a stream holds.
    public var sniffBytes: Int
    /// Containers inside containers, counting the input as depth 0.
    public var maxDepth: Int
    /// Entries per archive.
    public var maxEntries: Int
    /// Unpacked / packed size of one member, checked once it has unpacked `ratioFloor` bytes.
    public var maxExpansionRatio: Int
    public var ratioFloor: Int
    /// Longest text node or attribute value in XML.
    public var maxXMLTextLength: Int
    /// Seconds per input; 0 for no limit.
    public var maxSeconds: Double
    /// Bytes of one mail header block (a message's or a MIME part's).
    public var maxMailHeaderBytes: Int
    /// MIME parts per mail message (nested multiparts included).
    public var maxMailParts: Int

    public init(
        chunkSize: Int = 64 * 1024, maxDecodedBytes: Int = 4 << 30, sniffBytes: Int = 4096,
        maxDepth: Int = 16, maxEntries: Int = 10_000, maxExpansionRatio: Int = 1000, ratioFloor: Int = 16 << 20,
        maxXMLTextLength: Int = 8 << 20, maxSeconds: Double = 0,
        maxMailHeaderBytes: Int = 256 << 10, maxMailParts: Int = 1000
    ) {
        self.chunkSize = chunkSize
        self.maxDecodedBytes = maxDecodedBytes
        self.sniffBytes = sniffBytes
        self.maxDepth = maxDepth
        self.maxEntries = maxEntries
        self.maxExpansionRatio = maxExpansionRatio
        self.ratioFloor = ratioFloor
        self.maxXMLTextLength = maxXMLTextLength
        self.maxSeconds = maxSeconds
        self.maxMailHeaderBytes = maxMailHeaderBytes
        self.maxMailParts = maxMailParts
    }

    public static let `default` = InspectionLimits()
}
