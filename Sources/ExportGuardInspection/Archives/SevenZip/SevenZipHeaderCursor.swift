/// Reads the fields of a 7z header database held in memory: bytes, 7z's variable-length
/// numbers, bit vectors. Every read is bounds-checked and throws ``SevenZipError`` on a
/// header that runs short or claims what cannot be (more items than it has bytes for).
struct SevenZipHeaderCursor {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - offset }

    mutating func byte() throws(SevenZipError) -> UInt8 {
        guard offset < bytes.count else { throw .corrupt("the header ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// 7z's UINT64: the first byte's leading one bits say how many bytes follow.
    mutating func number() throws(SevenZipError) -> UInt64 {
        let first = try byte()
        var mask: UInt8 = 0x80
        var value: UInt64 = 0
        for index in 0..<8 {
            if first & mask == 0 {
                return value | UInt64(first & (mask &- 1)) << (8 * UInt64(index))
            }
            value |= UInt64(try byte()) << (8 * UInt64(index))
            mask >>= 1
        }
        return value
    }

    /// A number used as a count, offset or size: at most `limit`.
    mutating func count(atMost limit: Int, _ what: String) throws(SevenZipError) -> Int {
        let value = try number()
        guard limit >= 0 else { throw .corrupt("\(what) where none can be") }
        guard value <= UInt64(limit) else { throw .corrupt("\(what) of \(value) is more than this archive can hold") }
        return Int(value)
    }

    /// A count of items that each take at least one byte of the header.
    mutating func itemCount(_ what: String) throws(SevenZipError) -> Int {
        try count(atMost: remaining, what)
    }

    mutating func uint32() throws(SevenZipError) -> UInt32 {
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(try byte()) << (8 * UInt32(index)) }
        return value
    }

    mutating func take(_ length: Int) throws(SevenZipError) -> ArraySlice<UInt8> {
        guard length >= 0, length <= remaining else { throw .corrupt("a field of \(length) bytes runs past the header") }
        defer { offset += length }
        return bytes[offset..<(offset + length)]
    }

    mutating func skip(_ length: Int) throws(SevenZipError) {
        _ = try take(length)
    }

    /// `count` bits, most significant first in each byte.
    mutating func bits(_ count: Int) throws(SevenZipError) -> [Bool] {
        let packed = try take((count + 7) / 8)
        return (0..<count).map { packed[packed.startIndex + $0 / 8] & (0x80 >> UInt8($0 % 8)) != 0 }
    }

    /// An "all defined" byte, then a bit vector when it is zero.
    mutating func definedBits(_ count: Int) throws(SevenZipError) -> [Bool] {
        try byte() != 0 ? [Bool](repeating: true, count: count) : bits(count)
    }

    /// CRC-32 digests for `count` items, nil where not defined.
    mutating func digests(_ count: Int) throws(SevenZipError) -> [UInt32?] {
        let defined = try definedBits(count)
        var digests: [UInt32?] = []
        digests.reserveCapacity(count)
        for isDefined in defined { digests.append(isDefined ? try uint32() : nil) }
        return digests
    }

    /// Expects property `id` next.
    mutating func expect(_ id: SevenZipProperty, in what: String) throws(SevenZipError) {
        let found = try number()
        guard found == id.rawValue else { throw .corrupt("\(what): property \(found) where \(id) was expected") }
    }
}

/// Property ids of the 7z header database (7zFormat.txt).
enum SevenZipProperty: UInt64, CustomStringConvertible {
    case end = 0x00, header, archiveProperties, additionalStreamsInfo, mainStreamsInfo, filesInfo
    case packInfo, unpackInfo, subStreamsInfo, size, crc, folder, codersUnpackSize, numUnpackStream
    case emptyStream, emptyFile, anti, name, creationTime, accessTime, modificationTime, attributes
    case comment, encodedHeader, startPosition, dummy

    var description: String { "\(rawValue)" }
}

/// Why a 7z archive cannot be read.
enum SevenZipError: Error, Equatable {
    case corrupt(String)
    case encrypted
    case unsupported(String)
    case limitExceeded(String)

    var reason: UninspectedReason {
        switch self {
        case .corrupt(let detail): .corrupt("7z: \(detail)")
        case .encrypted: .encrypted
        case .unsupported(let detail): .unsupported("7z: \(detail)")
        case .limitExceeded(let detail): .limitExceeded("7z: \(detail)")
        }
    }
}
