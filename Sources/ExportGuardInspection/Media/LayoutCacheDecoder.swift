/// LibreOffice Writer's layout cache (`layout-cache` in an ODF text document): page and
/// paragraph break positions, numbers only. Read whole: a version (1.x), then records —
/// a 32-bit header of type (low byte) and size (the upper 24 bits, header included) — that
/// must tile the file exactly. A valid cache holds no text and is reported as nothing; one
/// that does not parse is unknown binary data, as before it was recognised.
struct LayoutCacheDecoder: WholeFormat {
    static let maximumBytes = 4 << 20
    static let partName = "layout cache"
    /// Pages, paragraph, table and frame records.
    static let recordTypes: Set<UInt8> = [UInt8(ascii: "p"), UInt8(ascii: "P"), UInt8(ascii: "T"), UInt8(ascii: "F")]

    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        head.count >= 8 && head[0] == 1 && head[1] == 0 && head[2] <= 1 && head[3] == 0 && recordTypes.contains(head[4])
    }

    func read(_ bytes: [UInt8], in stream: StreamDispatcher) {
        if !Self.isValid(bytes) {
            stream.uninspected(.binaryContent("unknown binary data (not a valid layout cache)"))
        }
    }

    static func isValid(_ bytes: [UInt8]) -> Bool {
        let reader = ByteReader(bytes: bytes)
        var offset = 4
        while offset < bytes.count {
            guard let header = try? reader.u32(offset), recordTypes.contains(UInt8(header & 0xFF)) else { return false }
            let size = header >> 8
            guard size >= 4, size <= bytes.count - offset else { return false }
            offset += size
        }
        return offset == bytes.count && bytes.count > 4
    }
}
