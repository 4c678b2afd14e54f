/// What a gateway does with content under review — one setting for every gateway.
///
/// | action | mail filter | ICAP and HTTP service |
/// |---|---|---|
/// | `pass` | passed on with `X-ExportGuard-*` headers | let through (the decision is logged) |
/// | `hold` | kept in the quarantine directory | refused (a proxy cannot hold a transfer) |
/// | `block` | refused (bounced) | refused |
public enum ReviewAction: String, Sendable, Hashable, CaseIterable {
    case pass
    case hold
    case block

    /// Parses a setting; `headers` is the older name of `pass`.
    public init?(setting: String) {
        if setting == "headers" {
            self = .pass
        } else {
            self.init(rawValue: setting)
        }
    }

    /// The accepted spellings, for messages.
    public static let settings = "pass (or headers), hold or block"
}
