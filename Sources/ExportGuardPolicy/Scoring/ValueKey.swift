import Crypto

/// Stands in for a matched value when counting distinct values, so the value itself need
/// not be kept: the first 64 bits of HMAC-SHA-256 under a secret key. Unkeyed, a hash of an
/// 18-digit identifier is re-identifiable by trying every number; keyed, it is not, so keys
/// may be kept or logged where values may not.
public struct ValueKey: Sendable {
    private let key: SymmetricKey

    /// A key of its own, random, held by this process only: counts within a process agree,
    /// and nothing outside it can tell which value a key stands for.
    public static let process = ValueKey(key: SymmetricKey(size: .bits256))

    /// A key from secret bytes (at least 32), for counts that must agree across processes
    /// and machines (the persons ledger).
    public init?(secret: [UInt8]) {
        guard secret.count >= 32 else { return nil }
        self.key = SymmetricKey(data: secret)
    }

    private init(key: SymmetricKey) {
        self.key = key
    }

    /// The first 64 bits of SHA-256 of a namespaced value, for values that are no personal
    /// data (keywords): the same in every process, with no key to keep.
    public static func unkeyed(_ namespace: String, _ value: [UInt8]) -> UInt64 {
        SHA256.hash(data: Array(namespace.utf8) + [0xFF] + value).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }

    /// The key of `value` in `namespace` (a detector id): the same value of two detectors
    /// has two keys.
    public func of(_ namespace: String, _ value: [UInt8]) -> UInt64 {
        var mac = HMAC<SHA256>(key: key)
        var name = Array(namespace.utf8)
        name.append(0xFF)
        mac.update(data: name)
        mac.update(data: value)
        return mac.finalize().withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }
}

/// SHA-256 digests in lower-case hex, as policies write allowlist entries.
enum SHA256Hex {
    static func of(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 0x10 ? "0" + hex : hex
        }.joined()
    }
}
