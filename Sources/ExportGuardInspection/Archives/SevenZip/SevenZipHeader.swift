/// The header database of a 7z archive: where the packed streams are, the folders that
/// unpack them, how each folder's output divides into files, and the files' names.
struct SevenZipHeader {
    /// Streams information: packed streams, folders and their substreams.
    struct Streams {
        /// Offset of the first packed stream, from the end of the 32-byte signature header.
        var packPosition = 0
        var packSizes: [Int] = []
        var folders: [SevenZipFolder] = []
        /// Per folder, the sizes of the files its output holds, in order.
        var substreamSizes: [[Int]] = []
        /// Per folder, the CRC-32 of each of those files, where known.
        var substreamCRCs: [[UInt32?]] = []
        /// Where each packed stream starts, from the end of the signature header (a running
        /// sum of the sizes, made once).
        var packStarts: [Int] = []
        /// Per folder, the index of its first packed stream.
        var firstPack: [Int] = []
    }

    struct File {
        var name: String
        var hasStream: Bool
        var isDirectory: Bool
    }

    var streams = Streams()
    var files: [File] = []

    /// The most files and folders read from one header: bounds the work a tiny hostile
    /// header can ask for.
    static let maxItems = 1 << 20

    // MARK: Parsing

    /// Parses a plain header (after its `Header` property id).
    static func parse(_ cursor: inout SevenZipHeaderCursor) throws(SevenZipError) -> SevenZipHeader {
        var header = SevenZipHeader()
        var id = try cursor.number()
        if id == SevenZipProperty.archiveProperties.rawValue {
            try skipProperties(&cursor)
            id = try cursor.number()
        }
        if id == SevenZipProperty.additionalStreamsInfo.rawValue {
            // Never written by 7-Zip; its streams would hold external header data.
            throw .unsupported("additional streams in the header")
        }
        if id == SevenZipProperty.mainStreamsInfo.rawValue {
            header.streams = try readStreams(&cursor)
            id = try cursor.number()
        }
        if id == SevenZipProperty.filesInfo.rawValue {
            header.files = try readFiles(&cursor)
            id = try cursor.number()
        }
        guard id == SevenZipProperty.end.rawValue else { throw .corrupt("the header holds property \(id) where it should end") }
        let withStreams = header.files.filter(\.hasStream).count
        let substreams = header.streams.substreamSizes.reduce(0) { $0 + $1.count }
        guard withStreams == substreams else {
            throw .corrupt("\(withStreams) files with data but \(substreams) streams to hold them")
        }
        return header
    }

    private static func skipProperties(_ cursor: inout SevenZipHeaderCursor) throws(SevenZipError) {
        while try cursor.number() != 0 {
            try cursor.skip(try cursor.count(atMost: cursor.remaining, "an archive property"))
        }
    }

    /// Pack info, unpack info (the folders) and substreams info, each optional, then End.
    static func readStreams(_ cursor: inout SevenZipHeaderCursor) throws(SevenZipError) -> Streams {
        var streams = Streams()
        var id = try cursor.number()
        if id == SevenZipProperty.packInfo.rawValue {
            try readPackInfo(&cursor, into: &streams)
            id = try cursor.number()
        }
        if id == SevenZipProperty.unpackInfo.rawValue {
            try readUnpackInfo(&cursor, into: &streams)
            id = try cursor.number()
        }
        // Without substreams info each folder holds one file.
        streams.substreamSizes = streams.folders.map { [$0.unpackSize] }
        streams.substreamCRCs = streams.folders.map { [$0.crc] }
        if id == SevenZipProperty.subStreamsInfo.rawValue {
            try readSubstreams(&cursor, into: &streams)
            id = try cursor.number()
        }
        guard id == SevenZipProperty.end.rawValue else { throw .corrupt("streams information holds property \(id)") }
        var packedNeeded = 0
        for folder in streams.folders {
            streams.firstPack.append(packedNeeded)
            packedNeeded += folder.packedInputs.count
        }
        guard packedNeeded <= streams.packSizes.count else {
            throw .corrupt("\(streams.folders.count) folders need \(packedNeeded) packed streams, the archive lists \(streams.packSizes.count)")
        }
        var start = streams.packPosition
        for size in streams.packSizes {
            streams.packStarts.append(start)
            // Past any file: the reader finds each such stream outside the file.
            start = min(start + size, Int.max >> 2)
        }
        return streams
    }

    private static func readPackInfo(_ cursor: inout SevenZipHeaderCursor, into streams: inout Streams) throws(SevenZipError) {
        streams.packPosition = try cursor.count(atMost: Int.max >> 2, "the pack position")
        let count = try cursor.itemCount("a packed stream count")
        var id = try cursor.number()
        if id == SevenZipProperty.size.rawValue {
            for _ in 0..<count { streams.packSizes.append(try cursor.count(atMost: Int.max >> 2, "a packed stream's size")) }
            id = try cursor.number()
        }
        if id == SevenZipProperty.crc.rawValue {
            _ = try cursor.digests(count)
            id = try cursor.number()
        }
        guard id == SevenZipProperty.end.rawValue else { throw .corrupt("pack information holds property \(id)") }
        guard streams.packSizes.count == count else { throw .corrupt("packed streams without sizes") }
    }

    private static func readUnpackInfo(_ cursor: inout SevenZipHeaderCursor, into streams: inout Streams) throws(SevenZipError) {
        try cursor.expect(.folder, in: "unpack information")
        let count = try cursor.itemCount("a folder count")
        guard try cursor.byte() == 0 else { throw .unsupported("folders stored outside the header") }
        for _ in 0..<count { streams.folders.append(try SevenZipFolder.read(&cursor)) }
        try cursor.expect(.codersUnpackSize, in: "unpack information")
        for index in streams.folders.indices {
            for _ in 0..<streams.folders[index].outputCount {
                streams.folders[index].unpackSizes.append(try cursor.count(atMost: Int.max >> 2, "an unpack size"))
            }
        }
        var id = try cursor.number()
        if id == SevenZipProperty.crc.rawValue {
            let digests = try cursor.digests(count)
            for index in streams.folders.indices { streams.folders[index].crc = digests[index] }
            id = try cursor.number()
        }
        guard id == SevenZipProperty.end.rawValue else { throw .corrupt("unpack information holds property \(id)") }
    }

    private static func readSubstreams(_ cursor: inout SevenZipHeaderCursor, into streams: inout Streams) throws(SevenZipError) {
        let folders = streams.folders
        var counts = [Int](repeating: 1, count: folders.count)
        var id = try cursor.number()
        if id == SevenZipProperty.numUnpackStream.rawValue {
            var total = 0
            for index in counts.indices {
                counts[index] = try cursor.count(atMost: maxItems, "a folder's file count")
                total += counts[index]
                guard total <= maxItems else { throw .limitExceeded("more than \(maxItems) files") }
            }
            id = try cursor.number()
        }
        var sizes: [[Int]] = []
        for (folder, count) in zip(folders, counts) {
            guard count > 0 else {
                sizes.append([])
                continue
            }
            var these: [Int] = []
            var sum = 0
            if id == SevenZipProperty.size.rawValue {
                for _ in 0..<(count - 1) {
                    let size = try cursor.count(atMost: folder.unpackSize - sum, "a file's size")
                    these.append(size)
                    sum += size
                }
            } else if count > 1 {
                throw .corrupt("a folder of \(count) files without their sizes")
            }
            guard sum <= folder.unpackSize else { throw .corrupt("the files of a folder add up to more than it unpacks to") }
            these.append(folder.unpackSize - sum)
            sizes.append(these)
        }
        if id == SevenZipProperty.size.rawValue { id = try cursor.number() }
        // A folder of one file whose folder CRC is known needs no digest of its own.
        var crcs: [[UInt32?]] = zip(folders, counts).map { folder, count in
            count == 1 && folder.crc != nil ? [folder.crc] : [UInt32?](repeating: nil, count: count)
        }
        if id == SevenZipProperty.crc.rawValue {
            let unknown = zip(folders, counts).reduce(0) { $0 + ($1.1 == 1 && $1.0.crc != nil ? 0 : $1.1) }
            var digests = try cursor.digests(unknown)[...]
            for index in crcs.indices where !(counts[index] == 1 && folders[index].crc != nil) {
                for file in crcs[index].indices { crcs[index][file] = digests.popFirst() ?? nil }
            }
            id = try cursor.number()
        }
        guard id == SevenZipProperty.end.rawValue else { throw .corrupt("substreams information holds property \(id)") }
        streams.substreamSizes = sizes
        streams.substreamCRCs = crcs
    }

    private static func readFiles(_ cursor: inout SevenZipHeaderCursor) throws(SevenZipError) -> [File] {
        let count = try cursor.count(atMost: maxItems, "a file count")
        var emptyStream = [Bool](repeating: false, count: count)
        var emptyFile: [Bool] = []
        var names: [String] = []
        var attributes: [UInt32?] = []
        while true {
            let id = try cursor.number()
            if id == SevenZipProperty.end.rawValue { break }
            let size = try cursor.count(atMost: cursor.remaining, "a file property's size")
            var property = SevenZipHeaderCursor(Array(try cursor.take(size)))
            switch SevenZipProperty(rawValue: id) {
            case .emptyStream:
                emptyStream = try property.bits(count)
            case .emptyFile:
                emptyFile = try property.bits(emptyStream.filter { $0 }.count)
            case .name:
                guard try property.byte() == 0 else { throw .unsupported("file names stored outside the header") }
                names = try Self.names(&property, count: count)
            case .attributes:
                let defined = try property.definedBits(count)
                guard try property.byte() == 0 else { throw .unsupported("attributes stored outside the header") }
                for isDefined in defined { attributes.append(isDefined ? try property.uint32() : nil) }
            default:
                break  // times, anti items, start positions, padding: not needed to read the data
            }
        }
        var files: [File] = []
        var emptyIndex = 0
        for index in 0..<count {
            let name = index < names.count ? names[index] : "file\(index + 1)"
            var isDirectory = false
            if emptyStream[index] {
                let isEmptyFile = emptyIndex < emptyFile.count && emptyFile[emptyIndex]
                emptyIndex += 1
                isDirectory = !isEmptyFile
            }
            if index < attributes.count, let attribute = attributes[index], attribute & 0x10 != 0 { isDirectory = true }
            files.append(File(name: name, hasStream: !emptyStream[index], isDirectory: isDirectory))
        }
        return files
    }

    /// `count` names in UTF-16LE, each ending with a zero unit.
    private static func names(_ cursor: inout SevenZipHeaderCursor, count: Int) throws(SevenZipError) -> [String] {
        var names: [String] = []
        var units: [UInt16] = []
        while names.count < count {
            let low = try cursor.byte(), high = try cursor.byte()
            let unit = UInt16(low) | UInt16(high) << 8
            if unit == 0 {
                names.append(String(decoding: units, as: UTF16.self))
                units.removeAll(keepingCapacity: true)
            } else {
                units.append(unit)
            }
        }
        return names
    }
}
