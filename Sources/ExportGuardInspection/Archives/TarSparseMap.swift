/// Where the data of a sparse tar entry lies in the file it stands for: the stored data is
/// its segments one after another, and what lies between them (holes) is zeros. Read from
/// a GNU `S` header and its extension blocks, or from pax records (GNU sparse formats 0.0,
/// 0.1 and 1.0).
///
/// A hole adds nothing to scan, but it does separate the text on either side: the reader
/// passes one line break for each hole between segments (and for each run of zeros inside
/// them) instead of the zeros, so words are not joined across it and a terabyte of holes
/// costs nothing.
struct TarSparseMap: Equatable {
    struct Segment: Equatable {
        var offset: Int
        var length: Int
    }

    var segments: [Segment] = []
    /// The size of the file the entry stands for.
    var realSize: Int

    /// Most segments a map may list (GNU tar itself has no limit; this keeps the map small).
    static let maxSegments = 1 << 16

    /// Bytes of stored data the map accounts for.
    var storedSize: Int { segments.reduce(0) { $0 + $1.length } }

    /// Why the map is not a sparse file's, or nil: segments in order, not overlapping,
    /// inside the real size.
    var problem: String? {
        var end = 0
        for segment in segments {
            guard segment.offset >= end, segment.length >= 0 else { return "sparse segments overlap or are out of order" }
            guard segment.offset <= TarHeader.maxSize - segment.length else { return "a sparse segment beyond any size" }
            end = segment.offset + segment.length
        }
        return end <= realSize ? nil : "sparse segments run past the file's size"
    }

    /// The stored positions after which a hole separates two segments.
    var holeBoundaries: [Int] {
        var boundaries: [Int] = []
        var stored = 0
        for (index, segment) in segments.enumerated() {
            stored += segment.length
            if index + 1 < segments.count, segment.offset + segment.length < segments[index + 1].offset, segment.length > 0 {
                boundaries.append(stored)
            }
        }
        return boundaries
    }

    // MARK: GNU old sparse headers

    /// The map of a GNU `S` header (up to four segments) and whether extension blocks follow.
    static func gnu(header block: [UInt8]) -> (map: TarSparseMap, extended: Bool)? {
        guard let realSize = TarHeader.number(block[483..<495]) else { return nil }
        var map = TarSparseMap(realSize: realSize)
        guard map.appendGNU(block[386..<482], count: 4) else { return nil }
        return (map, block[482] != 0)
    }

    /// Adds the segments of a GNU sparse extension block; whether another block follows,
    /// or nil when the block cannot be read.
    mutating func appendGNUExtension(_ block: [UInt8]) -> Bool? {
        guard appendGNU(block[0..<504], count: 21) else { return nil }
        return block[504] != 0
    }

    private mutating func appendGNU(_ entries: ArraySlice<UInt8>, count: Int) -> Bool {
        for index in 0..<count {
            let start = entries.startIndex + index * 24
            let offsetField = entries[start..<(start + 12)], lengthField = entries[(start + 12)..<(start + 24)]
            // An empty slot ends the list.
            if offsetField.allSatisfy({ $0 == 0 }) && lengthField.allSatisfy({ $0 == 0 }) { return true }
            guard let offset = TarHeader.number(offsetField), let length = TarHeader.number(lengthField),
                  segments.count < Self.maxSegments else { return false }
            segments.append(Segment(offset: offset, length: length))
        }
        return true
    }

    // MARK: pax (GNU sparse 0.0, 0.1 and 1.0)

    /// The segments of a 0.1 `GNU.sparse.map` value: "offset,length,offset,length…".
    static func numbers(commaSeparated value: String) -> [Int]? {
        let parts = value.split(separator: ",", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == parts.count, numbers.count % 2 == 0, numbers.allSatisfy({ $0 >= 0 }) else { return nil }
        return numbers
    }

    static func segments(from numbers: [Int]) -> [Segment]? {
        guard numbers.count % 2 == 0, numbers.count / 2 <= maxSegments else { return nil }
        return stride(from: 0, to: numbers.count, by: 2).map { Segment(offset: numbers[$0], length: numbers[$0 + 1]) }
    }

    /// The 1.0 map at the start of the entry's data, from the blocks read so far: decimal
    /// lines (the count, then an offset and a length per segment), padded to a block.
    /// `.needMore` until the text holds the whole map.
    enum DataMapParse: Equatable {
        case needMore
        case map([Segment])
        case invalid
    }

    static func parseDataMap(_ text: [UInt8]) -> DataMapParse {
        var numbers: [Int] = []
        var index = 0
        var wanted: Int?
        while wanted.map({ numbers.count < 1 + 2 * $0 }) ?? true {
            guard let newline = text[index...].firstIndex(of: 0x0A) else { return .needMore }
            guard newline > index, newline - index <= 19,
                  let number = Int(String(decoding: text[index..<newline], as: UTF8.self)), number >= 0 else { return .invalid }
            numbers.append(number)
            index = newline + 1
            if wanted == nil {
                guard number <= maxSegments else { return .invalid }
                wanted = number
            }
        }
        return segments(from: Array(numbers.dropFirst())).map(DataMapParse.map) ?? .invalid
    }
}
