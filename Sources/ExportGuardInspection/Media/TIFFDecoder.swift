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
        guard let tiff = TIFFStructure(data), tiff.firstDirectory >= 8 else { return "no first directory" }
        var offset = tiff.firstDirectory
        var visited: Set<Int> = []
        while offset != 0 {
            guard visited.insert(offset).inserted, visited.count <= maxDirectories else { return "directories loop" }
            guard let count = tiff.entryCount(offset), count > 0, tiff.reader.contains(offset + 2, length: count * 12 + 4) else {
                return "a directory at \(offset) runs past the end"
            }
            var offsets: [Int] = [], counts: [Int] = []
            for index in 0..<count {
                guard let entry = tiff.entry(index, in: offset) else { return "a directory entry is cut" }
                // StripOffsets/TileOffsets and StripByteCounts/TileByteCounts (SHORT or LONG).
                guard [273, 324, 279, 325].contains(entry.tag) else { continue }
                guard let values = values(tiff, entry) else { return "tag \(entry.tag) points past the end" }
                if entry.tag == 273 || entry.tag == 324 { offsets = values } else { counts = values }
            }
            guard offsets.count == counts.count else { return "\(offsets.count) strip offsets but \(counts.count) byte counts" }
            for (start, length) in zip(offsets, counts) where !tiff.reader.contains(start, length: length) {
                return "image data at \(start) (\(length) bytes) runs past the end"
            }
            guard let next = tiff.nextDirectory(after: offset, entries: count) else { return "a directory is cut" }
            offset = next
        }
        return nil
    }

    /// The SHORT (3) or LONG (4) values of an entry.
    private static func values(_ tiff: TIFFStructure, _ entry: TIFFStructure.Entry) -> [Int]? {
        guard entry.type == 3 || entry.type == 4 else { return nil }
        let size = entry.type == 3 ? 2 : 4
        guard let range = tiff.valueRange(entry, elementSize: size) else { return nil }
        return stride(from: range.lowerBound, to: range.upperBound, by: size).compactMap {
            try? (size == 2 ? tiff.reader.u16($0) : tiff.reader.u32($0))
        }
    }
}
