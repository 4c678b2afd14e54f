/// An ``Allowlist`` ready to test matched values.
struct CompiledAllowlist: @unchecked Sendable {
    // Regex is immutable once built; it is only read, from any thread.
    private let values: Set<[UInt8]>
    private let patterns: [Regex<AnyRegexOutput>]
    private let digests: Set<String>

    init(_ allowlist: Allowlist) {
        values = Set(allowlist.values.map { Array($0.utf8) })
        // Patterns were validated when the policy was loaded.
        patterns = allowlist.patterns.compactMap { try? Regex($0) }
        digests = Set(allowlist.sha256.map { $0.lowercased() })
    }

    var isEmpty: Bool { values.isEmpty && patterns.isEmpty && digests.isEmpty }

    func allows(_ value: [UInt8]) -> Bool {
        if values.contains(value) { return true }
        if !patterns.isEmpty {
            let text = String(decoding: value, as: UTF8.self)
            if patterns.contains(where: { (try? $0.wholeMatch(in: text)) != nil }) { return true }
        }
        if !digests.isEmpty, digests.contains(SHA256Hex.of(value)) { return true }
        return false
    }
}
