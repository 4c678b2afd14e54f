/// A 512-byte tar header block: ustar, pax and GNU variants.
struct TarHeader {
    let block: [UInt8]

    var isZeroBlock: Bool { block.allSatisfy { $0 == 0 } }

    var name: String {
        let base = field(0, 100)
        let prefix = isUSTAR ? field(345, 155) : ""
        return prefix.isEmpty ? base : prefix + "/" + base
    }

    var typeFlag: UInt8 { block[156] }
    /// POSIX ustar ("ustar\0"), whose prefix field extends the name; GNU's "ustar  \0"
    /// headers keep other fields there.
    var isUSTAR: Bool { block[257..<263].elementsEqual("ustar\0".utf8) }

    /// Entry sizes above this are nonsense (and would overflow offset arithmetic).
    static let maxSize = 1 << 50

    /// Entry size: octal, or base-256 when the high bit of the first byte is set; nil when
    /// it cannot be read or is above ``maxSize``.
    var size: Int? {
        guard let size = rawSize, size <= Self.maxSize else { return nil }
        return size
    }

    private var rawSize: Int? { Self.numeric(block[124..<136]) }

    /// A numeric field as GNU tar writes it: octal, or base-256 when the high bit of the
    /// first byte is set; nil when it cannot be read or is above ``maxSize``.
    static func number(_ field: ArraySlice<UInt8>) -> Int? {
        guard let value = numeric(field), value <= maxSize else { return nil }
        return value
    }

    private static func numeric(_ field: ArraySlice<UInt8>) -> Int? {
        guard let first = field.first else { return nil }
        // GNU tar leaves numeric fields it does not use all NUL.
        if field.allSatisfy({ $0 == 0 }) { return 0 }
        if first & 0x80 != 0 {
            var value = 0
            for byte in field.dropFirst() {
                guard value < Int.max >> 8 else { return nil }
                value = value << 8 | Int(byte)
            }
            return value
        }
        return octal(field)
    }

    /// The header checksum: the sum of all bytes with the checksum field read as spaces,
    /// as unsigned bytes or (old Sun and other tars) as signed ones.
    var checksumIsValid: Bool {
        guard let stored = Self.octal(block[148..<156]) else { return false }
        var unsigned = 0, signed = 0
        for (index, byte) in block.enumerated() {
            let value = (148..<156).contains(index) ? 0x20 : byte
            unsigned += Int(value)
            signed += Int(Int8(bitPattern: value))
        }
        return stored == unsigned || stored == signed
    }

    private func field(_ start: Int, _ length: Int) -> String {
        let bytes = block[start..<(start + length)]
        let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    static func octal(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        var seenDigit = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard value < Int.max >> 3 else { return nil }
                value = value * 8 + Int(byte - UInt8(ascii: "0"))
                seenDigit = true
            case 0, UInt8(ascii: " "):
                if seenDigit { return value }
            default:
                return nil
            }
        }
        return seenDigit ? value : nil
    }

    /// Whether a stream starts with a tar header: `ustar` magic, or a valid checksum.
    static func looksLikeTar(_ head: UnsafeRawBufferPointer) -> Bool {
        guard head.count >= 512 else { return false }
        let header = TarHeader(block: Array(head[0..<512]))
        if header.isZeroBlock { return false }
        return header.checksumIsValid
    }
}
