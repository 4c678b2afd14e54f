import ExportGuardCore

/// Inspection limits a policy sets; nil leaves the built-in default. The scanning layer
/// turns them into the inspector's limits.
public struct LimitSettings: Sendable, Hashable {
    public var maxDepth: Int?
    public var maxDecodedBytes: Int?
    public var maxEntries: Int?
    public var maxExpansionRatio: Int?
    public var maxXMLTextLength: Int?
    public var maxSeconds: Double?

    public init(
        maxDepth: Int? = nil, maxDecodedBytes: Int? = nil, maxEntries: Int? = nil, maxExpansionRatio: Int? = nil,
        maxXMLTextLength: Int? = nil, maxSeconds: Double? = nil
    ) {
        self.maxDepth = maxDepth
        self.maxDecodedBytes = maxDecodedBytes
        self.maxEntries = maxEntries
        self.maxExpansionRatio = maxExpansionRatio
        self.maxXMLTextLength = maxXMLTextLength
        self.maxSeconds = maxSeconds
    }

    /// Settings given here win over `base`.
    public func overriding(_ base: LimitSettings) -> LimitSettings {
        LimitSettings(
            maxDepth: maxDepth ?? base.maxDepth, maxDecodedBytes: maxDecodedBytes ?? base.maxDecodedBytes,
            maxEntries: maxEntries ?? base.maxEntries, maxExpansionRatio: maxExpansionRatio ?? base.maxExpansionRatio,
            maxXMLTextLength: maxXMLTextLength ?? base.maxXMLTextLength, maxSeconds: maxSeconds ?? base.maxSeconds)
    }

    /// Parses sizes such as `4GiB`, `512M`, `65536`.
    public static func parseSize(_ text: String) -> Int? {
        let trimmed = text.trimmingSpaces()
        let units: [(String, Int)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("B", 1)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            guard let number = Int(trimmed.dropLast(suffix.count).trimmingSpaces()), number >= 0 else { return nil }
            let (value, overflow) = number.multipliedReportingOverflow(by: scale)
            return overflow ? nil : value
        }
        return Int(trimmed).flatMap { $0 >= 0 ? $0 : nil }
    }
}
