/// LibreOffice Writer's layout cache (`layout-cache` in an ODF text document): page and
/// paragraph break positions, numbers only. Read whole: a version (1.x), then records of a
/// 32-bit header — type (low byte) and size (the upper 24 bits, header included) — a flag
/// byte whose low four bits count the bytes of numbers that follow, then for a pages record
/// the records nested in it, for the others fixed fields. Records must tile the file and each other exactly. A valid
/// cache is reported as nothing; its numbers are still passed to the matcher as text, so
/// bytes placed in them cannot hide words. One that does not parse is unknown binary data,
/// as before it was recognised.
struct LayoutCacheDecoder: WholeFormat {
    static let maximumBytes = 4 << 20
    static let partName = "layout cache"
    /// Pages, paragraph, table and frame records.
    static let recordTypes: Set<UInt8> = [UInt8(ascii: "p"), UInt8(ascii: "P"), UInt8(ascii: "T"), UInt8(ascii: "F")]

    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        head.count >= 9 && head[0] == 1 && head[1] == 0 && head[2] <= 1 && head[3] == 0 && recordTypes.contains(head[4])
    }

    func read(_ bytes: [UInt8], in stream: StreamDispatcher) {
        var numbers: [UInt8] = []
        guard bytes.count > 4, Self.records(bytes, 4..<bytes.count, depth: 0, numbers: &numbers) else {
            stream.uninspected(.binaryContent("unknown binary data (not a valid layout cache)"))
            return
        }
        numbers.withUnsafeBytes { stream.emitText($0) }
    }

    /// Whether `range` holds whole records, collecting their numbers.
    private static func records(_ bytes: [UInt8], _ range: Range<Int>, depth: Int, numbers: inout [UInt8]) -> Bool {
        guard depth < 8 else { return false }
        let reader = ByteReader(bytes: bytes)
        var offset = range.lowerBound
        while offset < range.upperBound {
            guard let header = try? reader.u32(offset), recordTypes.contains(UInt8(header & 0xFF)) else { return false }
            let size = header >> 8
            guard size >= 5, size <= range.upperBound - offset else { return false }
            let flags = Int(bytes[offset + 4])
            let data = (offset + 5)..<(offset + 5 + (flags & 0x0F))
            guard data.upperBound <= offset + size else { return false }
            numbers += bytes[data]
            let rest = data.upperBound..<(offset + size)
            // A pages record holds records; any other, fixed fields (a frame's position and
            // size), which are numbers too.
            if UInt8(header & 0xFF) == UInt8(ascii: "p") {
                guard records(bytes, rest, depth: depth + 1, numbers: &numbers) else { return false }
            } else {
                numbers += bytes[rest]
            }
            offset += size
        }
        return true
    }
}
