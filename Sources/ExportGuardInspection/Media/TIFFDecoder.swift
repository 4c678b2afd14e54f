/// Checks a TIFF file's structure — byte order, the chain of image file directories, and
/// that every strip or tile they point at lies inside the file — and reads its text tags
/// (ImageDescription, Artist, XP* …, through ``EXIFReader``). TIFF places its directories
/// anywhere, so the file is held in memory, up to ``maximumBytes``; larger ones are reported
/// as over a limit.
struct TIFFDecoder: WholeFormat {
    static let maximumBytes = 32 << 20
    /// Directories followed at most (a loop of offsets ends here).
    static let maxDirectories = 64

    static let partName = "tiff"

    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        head.count >= 8 && (head.prefix(4).elementsEqual([0x49, 0x49, 0x2A, 0x00]) || head.prefix(4).elementsEqual([0x4D, 0x4D, 0x00, 0x2A]))
    }

    func read(_ bytes: [UInt8], in stream: StreamDispatcher) {
        if let problem = Self.structureProblem(bytes) {
            stream.uninspected(.corrupt("tiff: \(problem)"))
            return
        }
        for field in EXIFReader.texts(bytes) { stream.emitMetadata("TIFF:\(field.name)", field.text) }
        stream.reportMedia(format: "tiff", bytes: bytes.count)
    }

    /// Why the structure is not whole, or nil when it is.
    static func structureProblem(_ data: [UInt8]) -> String? {
        let reader = ByteReader(bytes: data, bigEndian: data.first == 0x4D)
        guard var offset = try? reader.u32(4), offset >= 8 else { return "no first directory" }
        var visited: Set<Int> = []
        while offset != 0 {
            guard visited.insert(offset).inserted, visited.count <= maxDirectories else { return "directories loop" }
            guard let count = try? reader.u16(offset), count > 0, reader.contains(offset + 2, length: count * 12 + 4) else {
                return "a directory at \(offset) runs past the end"
            }
            var offsets: [Int] = [], counts: [Int] = []
            for index in 0..<count {
                let entry = offset + 2 + index * 12
                guard let tag = try? reader.u16(entry), let type = try? reader.u16(entry + 2), let number = try? reader.u32(entry + 4) else {
                    return "a directory entry is cut"
                }
                // StripOffsets/TileOffsets and StripByteCounts/TileByteCounts (SHORT or LONG).
                guard [273, 324, 279, 325].contains(tag) else { continue }
                guard let values = values(reader, entry: entry, type: type, count: number) else { return "tag \(tag) points past the end" }
                if tag == 273 || tag == 324 { offsets = values } else { counts = values }
            }
            guard offsets.count == counts.count else { return "\(offsets.count) strip offsets but \(counts.count) byte counts" }
            for (start, length) in zip(offsets, counts) where !reader.contains(start, length: length) {
                return "image data at \(start) (\(length) bytes) runs past the end"
            }
            guard let next = try? reader.u32(offset + 2 + count * 12) else { return "a directory is cut" }
            offset = next
        }
        return nil
    }

    /// The SHORT (3) or LONG (4) values of an entry, inline or at their offset.
    private static func values(_ reader: ByteReader, entry: Int, type: Int, count: Int) -> [Int]? {
        guard type == 3 || type == 4, count <= 1 << 20 else { return nil }
        let size = type == 3 ? 2 : 4
        let start: Int
        if count * size <= 4 {
            start = entry + 8
        } else {
            guard let at = try? reader.u32(entry + 8) else { return nil }
            start = at
        }
        var values: [Int] = []
        for index in 0..<count {
            guard let value = try? (type == 3 ? reader.u16(start + index * 2) : reader.u32(start + index * 4)) else { return nil }
            values.append(value)
        }
        return values
    }
}
