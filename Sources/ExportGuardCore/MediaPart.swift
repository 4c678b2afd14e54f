/// A picture or other media part whose structure was checked and found whole: an image
/// carries no text to match (its text metadata is read separately), so inspection reports
/// it and the policy's `media` setting decides what it means.
public struct MediaPart: Sendable, Hashable {
    public var location: Location
    /// The format, e.g. `png`, `jpeg`, `emf`.
    public var format: String
    /// Bytes of the part.
    public var bytes: Int
    /// Inside a document or archive (true), or sent on its own (false).
    public var nested: Bool

    public init(location: Location, format: String, bytes: Int, nested: Bool) {
        self.location = location
        self.format = format
        self.bytes = bytes
        self.nested = nested
    }
}
