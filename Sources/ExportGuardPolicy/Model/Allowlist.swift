/// Values that may leave even though a detector or keyword matched them: exact values,
/// regular expressions over the value, and SHA-256 digests of values (so a policy can
/// allow an identifier without writing it down).
public struct Allowlist: Sendable, Hashable {
    public var values: [String]
    public var patterns: [String]
    /// Lower-case hex SHA-256 digests of allowed values.
    public var sha256: [String]

    public init(values: [String] = [], patterns: [String] = [], sha256: [String] = []) {
        self.values = values
        self.patterns = patterns
        self.sha256 = sha256
    }

    public var isEmpty: Bool { values.isEmpty && patterns.isEmpty && sha256.isEmpty }
}
