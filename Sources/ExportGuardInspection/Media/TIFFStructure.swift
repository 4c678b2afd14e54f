/// The structure TIFF files and EXIF blocks share: a byte order (`II` or `MM`), the magic
/// 42, directories of 12-byte entries (tag, type, count, value or offset), and values that
/// sit in the entry when they take four bytes or fewer and at an offset otherwise.
struct TIFFStructure {
    /// One directory entry.
    struct Entry {
        var tag: Int
        var type: Int
        var count: Int
        /// Where the entry starts.
        var position: Int
    }

    let reader: ByteReader
    /// Where the first directory is.
    let firstDirectory: Int

    /// Nil when `data` does not start with a TIFF header.
    init?(_ data: [UInt8]) {
        guard data.count >= 8 else { return nil }
        let bigEndian: Bool
        switch (data[0], data[1]) {
        case (0x49, 0x49): bigEndian = false
        case (0x4D, 0x4D): bigEndian = true
        default: return nil
        }
        let reader = ByteReader(bytes: data, bigEndian: bigEndian)
        guard (try? reader.u16(2)) == 42, let first = try? reader.u32(4) else { return nil }
        self.reader = reader
        self.firstDirectory = first
    }

    /// The number of entries in the directory at `offset`.
    func entryCount(_ offset: Int) -> Int? {
        try? reader.u16(offset)
    }

    /// The `index`th entry of the directory at `offset`.
    func entry(_ index: Int, in directory: Int) -> Entry? {
        let position = directory + 2 + index * 12
        guard let tag = try? reader.u16(position), let type = try? reader.u16(position + 2),
              let count = try? reader.u32(position + 4) else { return nil }
        return Entry(tag: tag, type: type, count: count, position: position)
    }

    /// The offset of the next directory after one of `count` entries (0 ends the chain).
    func nextDirectory(after directory: Int, entries count: Int) -> Int? {
        try? reader.u32(directory + 2 + count * 12)
    }

    /// Where an entry's value lies, for values of `elementSize` bytes each; nil when it
    /// runs past the end or is absurdly long.
    func valueRange(_ entry: Entry, elementSize: Int) -> Range<Int>? {
        guard entry.count <= 1 << 20 else { return nil }
        let length = entry.count * elementSize
        let start: Int
        if length <= 4 {
            start = entry.position + 8
        } else {
            guard let offset = try? reader.u32(entry.position + 8) else { return nil }
            start = offset
        }
        return reader.contains(start, length: length) ? start..<(start + length) : nil
    }
}
