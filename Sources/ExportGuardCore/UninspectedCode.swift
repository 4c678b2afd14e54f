/// Why a part could not be inspected, as a stable code for policies, reports and
/// pipelines (`uninspected[].code` in JSON). The detail beside it is for people.
public enum UninspectedCode: String, Sendable, Hashable, CaseIterable, Codable {
    /// Content that is not text and has no decoder (an executable, an unknown format).
    case binaryContent = "binary-content"
    /// Damaged structure: a bad checksum, a truncated member, a malformed image.
    case corrupt
    /// Encrypted content (a password-protected zip entry).
    case encrypted
    /// A known format this build cannot read (a compression method, PDF for now).
    case unsupported
    /// A limit was reached: depth, size, entries, expansion ratio or time.
    case limitExceeded = "limit-exceeded"
    /// The source failed while it was being read.
    case readError = "read-error"
    /// Text whose charset no detector is confident of: read with the likeliest one, which
    /// may be wrong (a short legacy-encoded text, Japanese or Korean next to Chinese).
    case unknownCharset = "unknown-charset"
}
