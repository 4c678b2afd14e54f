/// Little-endian field reads from a header held in memory.
struct ByteReader {
    let bytes: [UInt8]

    func u16(_ offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
    func u32(_ offset: Int) -> Int { u16(offset) | u16(offset + 2) << 16 }
    func u64(_ offset: Int) -> Int {
        // Sizes above Int.max are nonsense for us; clamp so comparisons still fail safely.
        let high = u32(offset + 4)
        return high >= 0x8000_0000 ? Int.max : u32(offset) | high << 32
    }
    func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}
