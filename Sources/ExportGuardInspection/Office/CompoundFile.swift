/// An OLE2 compound file ([MS-CFB]): the container of Word 97–2003, Excel and PowerPoint
/// files, WPS Office's `.wps`/`.et`/`.dps`, VBA projects, embedded OLE objects and
/// password-encrypted OOXML. A small file system: sectors chained by a FAT, small streams
/// in a mini stream chained by a MiniFAT, and a red-black tree of directory entries.
///
/// Every chain is checked as it is followed: a sector out of range, a cycle, or a chain
/// shorter than its stream's size is corrupt, never a trap or a loop.
struct CompoundFile {
    static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    /// Sectors at most (a FAT that claims more is not read): 2^24 × 512 bytes = 8 GiB.
    static let maxSectors = 1 << 24
    /// Directory entries at most.
    static let maxEntries = 1 << 20

    struct Entry {
        let name: String
        /// 1 storage, 2 stream, 5 root.
        let type: Int
        let left: Int, right: Int, child: Int
        let start: Int
        let size: Int
    }

    enum Failure: Error, Equatable {
        case corrupt(String)
        case limitExceeded(String)
    }

    private let source: any RandomAccessByteSource
    private let size: Int
    private let sectorSize: Int
    private let miniSectorSize: Int
    private let miniCutoff: Int
    private var fat: [UInt32] = []
    private var miniFAT: [UInt32] = []
    private(set) var entries: [Entry] = []
    /// The root entry's stream: where small streams live.
    private var miniStream: [UInt8] = []

    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        head.count >= 8 && head.prefix(8).elementsEqual(signature)
    }

    init(source: any RandomAccessByteSource, size: Int) throws {
        self.source = source
        self.size = size
        let header = ByteReader(bytes: try source.bytes(at: 0, count: min(512, size)))
        guard header.count == 512, header.bytes.prefix(8).elementsEqual(Self.signature) else {
            throw Failure.corrupt("the compound file header is cut short")
        }
        let shift = try header.u16(30)
        guard shift == 9 || shift == 12 else { throw Failure.corrupt("sector size 2^\(shift)") }
        sectorSize = 1 << shift
        let miniShift = try header.u16(32)
        guard miniShift == 6 else { throw Failure.corrupt("mini sector size 2^\(miniShift)") }
        miniSectorSize = 64
        miniCutoff = try header.u32(56)
        let fatSectors = try header.u32(44)
        let directoryStart = try header.u32(48)
        let miniFATStart = try header.u32(60)
        let difatStart = try header.u32(68)
        let difatCount = try header.u32(72)
        let sectorCount = max(0, (size - sectorSize) / sectorSize + 1)
        guard fatSectors <= sectorCount, difatCount <= sectorCount else { throw Failure.corrupt("the FAT is larger than the file") }

        // The FAT's sectors: 109 in the header, the rest in a chain of DIFAT sectors.
        var fatLocations: [Int] = []
        for index in 0..<109 where fatLocations.count < fatSectors {
            fatLocations.append(try header.u32(76 + index * 4))
        }
        var difat = difatStart
        var difatSeen = 0
        while fatLocations.count < fatSectors {
            guard difat < sectorCount, difatSeen < difatCount + 1 else { throw Failure.corrupt("the DIFAT chain is broken") }
            difatSeen += 1
            let sector = ByteReader(bytes: try readSector(difat))
            let perSector = sectorSize / 4 - 1
            for index in 0..<perSector where fatLocations.count < fatSectors {
                fatLocations.append(try sector.u32(index * 4))
            }
            difat = try sector.u32(perSector * 4)
        }
        var table: [UInt32] = []
        table.reserveCapacity(min(fatSectors * sectorSize / 4, Self.maxSectors))
        for location in fatLocations {
            guard location < sectorCount else { throw Failure.corrupt("a FAT sector lies outside the file") }
            let sector = try readSector(location)
            sector.withUnsafeBytes { buffer in
                for index in 0..<(sectorSize / 4) { table.append(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))) }
            }
            guard table.count <= Self.maxSectors else { throw Failure.limitExceeded("a FAT of more than \(Self.maxSectors) sectors") }
        }
        fat = table

        // The directory, then the mini stream and its FAT.
        let directory = try chain(from: directoryStart, in: fat, limit: Self.maxEntries * 128)
        var list: [Entry] = []
        var offset = 0
        while offset + 128 <= directory.count {
            let record = ByteReader(bytes: Array(directory[offset..<(offset + 128)]))
            let nameLength = min(64, try record.u16(64))
            let units = stride(from: 0, to: max(0, nameLength - 2), by: 2).map { UInt16(directory[offset + $0]) | UInt16(directory[offset + $0 + 1]) << 8 }
            let type = try record.u8(66)
            let low = try record.u32(120), high = try record.u32(124)
            // Version 3 files leave the high half of the size undefined.
            let streamSize = shift == 9 ? low : (high > 0 ? Int.max : low)
            list.append(Entry(name: String(decoding: units, as: UTF16.self), type: type,
                              left: try record.u32(68), right: try record.u32(72), child: try record.u32(76),
                              start: try record.u32(116), size: streamSize))
            offset += 128
        }
        guard let root = list.first, root.type == 5 else { throw Failure.corrupt("no root directory entry") }
        entries = list
        if miniFATStart < sectorCount {
            let bytes = try chain(from: miniFATStart, in: fat, limit: Self.maxSectors * 4)
            miniFAT = stride(from: 0, to: bytes.count - 3, by: 4).map { UInt32(bytes[$0]) | UInt32(bytes[$0 + 1]) << 8 | UInt32(bytes[$0 + 2]) << 16 | UInt32(bytes[$0 + 3]) << 24 }
        }
        // The mini stream holds no more than its FAT can chain (a root size is not trusted).
        let miniSize = min(root.size, miniFAT.count * 64)
        if miniSize > 0 {
            miniStream = try chain(from: root.start, in: fat, limit: miniSize)
            guard miniStream.count >= miniSize else { throw Failure.corrupt("the mini stream is shorter than its size") }
        }
    }

    private func readSector(_ index: Int) throws -> [UInt8] {
        let offset = (index + 1) * sectorSize
        let bytes = try source.bytes(at: offset, count: sectorSize)
        // The last sector may be short; the rest of it reads as zeros.
        guard !bytes.isEmpty else { throw Failure.corrupt("a sector lies outside the file") }
        return bytes.count == sectorSize ? bytes : bytes + [UInt8](repeating: 0, count: sectorSize - bytes.count)
    }

    /// The bytes of a chain of sectors in `table`, up to `limit` bytes. Runs of consecutive
    /// sectors (the usual layout) are read at once.
    private func chain(from start: Int, in table: [UInt32], limit: Int) throws -> [UInt8] {
        var output: [UInt8] = []
        var visited: Set<Int> = []
        var sector = start
        var runStart = -1, runLength = 0
        func flushRun() throws {
            guard runLength > 0 else { return }
            let bytes = try source.bytes(at: (runStart + 1) * sectorSize, count: runLength * sectorSize)
            guard bytes.count > (runLength - 1) * sectorSize else { throw Failure.corrupt("a sector lies outside the file") }
            output += bytes
            if bytes.count < runLength * sectorSize { output += [UInt8](repeating: 0, count: runLength * sectorSize - bytes.count) }
            runLength = 0
        }
        while sector != 0xFFFF_FFFE && output.count + runLength * sectorSize < limit {
            guard sector >= 0, sector < table.count else {
                if sector == 0xFFFF_FFFF { break }
                throw Failure.corrupt("a sector chain points outside the FAT")
            }
            guard visited.insert(sector).inserted else { throw Failure.corrupt("a sector chain loops") }
            if runLength > 0, sector == runStart + runLength, runLength < 256 {
                runLength += 1
            } else {
                try flushRun()
                runStart = sector
                runLength = 1
            }
            sector = Int(table[sector])
        }
        try flushRun()
        return output.count > limit ? Array(output.prefix(limit)) : output
    }

    /// The bytes of a stream entry, up to `limit` (more is an error).
    func read(_ entry: Entry, limit: Int) throws -> [UInt8] {
        guard entry.size <= limit else { throw Failure.limitExceeded("a stream of more than \(limit) bytes") }
        if entry.size == 0 { return [] }
        if entry.size < miniCutoff {
            var output: [UInt8] = []
            output.reserveCapacity(entry.size)
            var sector = entry.start
            var steps = 0
            while output.count < entry.size {
                guard sector >= 0, sector < miniFAT.count else { throw Failure.corrupt("a mini stream chain ends early") }
                steps += 1
                guard steps <= entry.size / miniSectorSize + 1 else { throw Failure.corrupt("a mini stream chain loops") }
                let offset = sector * miniSectorSize
                guard offset + miniSectorSize <= miniStream.count else { throw Failure.corrupt("a mini sector lies outside the mini stream") }
                output += miniStream[offset..<(offset + miniSectorSize)]
                sector = Int(miniFAT[sector])
            }
            return Array(output.prefix(entry.size))
        }
        let bytes = try chain(from: entry.start, in: fat, limit: entry.size)
        guard bytes.count >= entry.size else { throw Failure.corrupt("a stream's chain is shorter than its size") }
        return bytes
    }

    // MARK: The tree

    /// Every entry with its path (`Macros/VBA/dir`), storages before what they hold.
    func paths() -> [(path: String, entry: Entry)] {
        var result: [(String, Entry)] = []
        var visited: Set<Int> = [0]
        func walk(_ index: Int, prefix: String, depth: Int) {
            // Siblings form a tree by left and right; children hang from a storage.
            var pending = [index]
            while let current = pending.popLast() {
                guard current >= 0, current < entries.count, current != 0xFFFF_FFFF, !visited.contains(current), depth < 32 else { continue }
                visited.insert(current)
                let entry = entries[current]
                let path = prefix.isEmpty ? entry.name : prefix + "/" + entry.name
                if entry.type == 1 || entry.type == 2 { result.append((path, entry)) }
                if entry.type == 1 { walk(entry.child, prefix: path, depth: depth + 1) }
                pending.append(entry.right)
                pending.append(entry.left)
            }
        }
        if let root = entries.first { walk(root.child, prefix: "", depth: 0) }
        return result.sorted { $0.0 < $1.0 }
    }
}
