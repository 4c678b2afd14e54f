/// A 64-bit FNV-1a hash that stands in for a value when counting distinct values, so the
/// value itself need not be kept.
enum ValueKey {
    static func of(_ namespace: String, _ value: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in namespace.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        hash = (hash ^ 0xFF) &* 0x100_0000_01b3
        for byte in value {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }
}
