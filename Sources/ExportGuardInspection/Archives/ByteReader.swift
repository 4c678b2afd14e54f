/// Field reads from a header or record held in memory, little- or big-endian.
///
/// Every read is bounds-checked and throws ``Truncated`` when the field does not lie
/// wholly inside the bytes: a header that claims more than the input holds is corrupt
/// input, never a trap. Offsets and lengths come from hostile files, so no caller does
/// its own range arithmetic before reading.
struct ByteReader {
    /// A field lay (partly) past the end of the bytes.
    struct Truncated: Error, Equatable {
        /// Where the field started and how long it was.
        let offset: Int
        let length: Int
    }

    let bytes: [UInt8]
    /// Multi-byte fields are big-endian (PNG, JPEG, `MM` TIFF) instead of little-endian.
    let bigEndian: Bool

    init(bytes: [UInt8], bigEndian: Bool = false) {
        self.bytes = bytes
        self.bigEndian = bigEndian
    }

    var count: Int { bytes.count }

    /// Whether `length` bytes from `offset` lie inside the bytes (overflow-safe).
    func contains(_ offset: Int, length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= bytes.count && length <= bytes.count - offset
    }

    private func check(_ offset: Int, _ length: Int) throws(Truncated) {
        guard contains(offset, length: length) else { throw Truncated(offset: offset, length: length) }
    }

    func u8(_ offset: Int) throws(Truncated) -> Int {
        try check(offset, 1)
        return Int(bytes[offset])
    }

    func u16(_ offset: Int) throws(Truncated) -> Int {
        try check(offset, 2)
        let a = Int(bytes[offset]), b = Int(bytes[offset + 1])
        return bigEndian ? a << 8 | b : b << 8 | a
    }

    func u32(_ offset: Int) throws(Truncated) -> Int {
        try check(offset, 4)
        let low = try u16(offset), high = try u16(offset + 2)
        return bigEndian ? low << 16 | high : high << 16 | low
    }

    func u64(_ offset: Int) throws(Truncated) -> Int {
        try check(offset, 8)
        let first = try u32(offset), second = try u32(offset + 4)
        let (low, high) = bigEndian ? (second, first) : (first, second)
        // Sizes above Int.max are nonsense for us; clamp so comparisons still fail safely.
        return high >= 0x8000_0000 ? Int.max : low | high << 32
    }

    /// The bytes of `range`.
    func slice(_ range: Range<Int>) throws(Truncated) -> ArraySlice<UInt8> {
        try check(range.lowerBound, range.count)
        return bytes[range]
    }

    /// The bytes of `range` as UTF-8 (invalid sequences replaced).
    func string(_ range: Range<Int>) throws(Truncated) -> String {
        String(decoding: try slice(range), as: UTF8.self)
    }

    /// A name or comment an archive stores without a declared charset (``ArchiveMetadata/decode(_:)``).
    func name(_ range: Range<Int>) throws(Truncated) -> String {
        ArchiveMetadata.decode(try slice(range))
    }
}

extension UnsafeRawBufferPointer {
    /// An unsigned field of `size` bytes (2 or 4) at `offset`, for frame decoders that have
    /// already checked the frame is there (``ByteReader`` checks for itself).
    func field(at offset: Int, size: Int, bigEndian: Bool) -> Int {
        precondition(offset >= 0 && offset + size <= count, "a field outside its frame")
        var value = 0
        for index in 0..<size {
            let byte = Int(self[bigEndian ? offset + index : offset + size - 1 - index])
            value = value << 8 | byte
        }
        return value
    }
}
