import ExportGuardCore

/// Reads a tar archive as it streams (ustar, pax extended headers, GNU long names, GNU and
/// pax sparse files) and dispatches each regular file as a child stream. `.tar.gz` works by nesting: gzip
/// hands this decoder its output. A ``FrameDecoder``: headers and metadata records come
/// whole from the cumulation buffer; entry data streams through as it arrives.
struct TarDecoder {
    private enum State {
        case header
        case data(MemberData)
        /// A pax or GNU long-name record (with its padding), read whole to name the next entry.
        case metadata(length: Int, padding: Int, kind: UInt8)
        /// GNU sparse extension blocks after an `S` header, then its data.
        case sparseExtension(map: TarSparseMap, size: Int, padding: Int)
        /// The decimal map at the start of a pax 1.0 sparse entry's data, a block at a time.
        case sparseDataMap(text: [UInt8], realSize: Int, size: Int, padding: Int)
        case end
    }

    private var state = State.header
    private var nextName: String?
    private var nextSize: Int?
    /// pax sparse records (GNU formats 0.0, 0.1, 1.0) for the next entry.
    private var nextSparse = PaxSparse()
    /// For a sparse entry's data: stored positions after which a hole lies, and the
    /// position reached.
    private var holes: [Int] = []
    private var storedPosition = 0
    private var sparseEntry = false
    private var inZeroRun = false
    private var entryLocation: Location?
    private var entryName = ""
    private var child: StreamDispatcher?
    private var entries = 0
    private var zeroBlocks = 0
    private var sawHeader = false
    private var trailer = TrailingData()
    /// Member names and pax comments, read as text of their own.
    private var metadata = ArchiveMetadata()

    /// GNU types whose data is not a file's content: long names and links (read above), a
    /// directory's listing in an incremental dump (`D`), a volume label (`V`).
    static let gnuMetadataTypes: Set<UInt8> = [UInt8(ascii: "K"), UInt8(ascii: "L"), UInt8(ascii: "D"), UInt8(ascii: "V")]

    /// pax and long-name records longer than this are not names.
    static let maxMetadata = 1 << 20

    init() {}
}

extension TarDecoder: FrameDecoder {
    var maxFrameBytes: Int { Self.maxMetadata + 512 }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> DecodingStep {
        switch state {
        case .header:
            guard input.count >= 512 else { return .needMoreData }
            readHeader(Array(input[0..<512]), in: stream)
            return .consumed(512)
        case .data(var data):
            let used = data.take(input) { feedEntry($0) }
            if data.isDone {
                child?.finish()
                child = nil
                state = .header
            } else {
                state = .data(data)
            }
            return .consumed(used)
        case .metadata(let length, let padding, let kind):
            guard input.count >= length + padding else { return .needMoreData }
            readMetadata(Array(input[0..<length]), kind, in: stream)
            state = .header
            return .consumed(length + padding)
        case .sparseExtension(var map, let size, let padding):
            guard input.count >= 512 else { return .needMoreData }
            switch map.appendGNUExtension(Array(input[0..<512])) {
            case nil:
                stream.stop(.corrupt("tar: a GNU sparse extension block cannot be read"))
            case true?:
                state = .sparseExtension(map: map, size: size, padding: padding)
            case false?:
                beginSparseData(map, size: size, padding: padding, in: stream)
            }
            return .consumed(512)
        case .sparseDataMap(var text, let realSize, let size, let padding):
            guard input.count >= 512, size >= 512 else {
                if size < 512 { stream.stop(.corrupt("tar: a pax sparse entry too short for its map")) }
                return .needMoreData
            }
            text += input[0..<512]
            switch TarSparseMap.parseDataMap(text) {
            case .needMore where text.count < Self.maxMetadata:
                state = .sparseDataMap(text: text, realSize: realSize, size: size - 512, padding: padding)
            case .map(let segments):
                beginSparseData(TarSparseMap(segments: segments, realSize: realSize), size: size - 512, padding: padding, in: stream)
            default:
                stream.stop(.corrupt("tar: the map of a pax sparse entry cannot be read"))
            }
            return .consumed(512)
        case .end:
            // Past the end-of-archive blocks: `tar --ignore-zeros` still extracts what
            // follows, so anything but padding is read as a stream of its own.
            trailer.feed(input, in: stream)
            return .consumed(input.count)
        }
    }

    mutating func finish(unconsumed: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        let open = child
        child = nil
        open?.finish()
        trailer.finish(in: stream)
        metadata.emit(into: stream)
        guard !stream.isStopped else { return }
        switch state {
        case .end:
            break
        case .header where unconsumed.isEmpty && sawHeader:
            // Archives written without the closing zero blocks are common; accept them.
            break
        default:
            stream.uninspected(.corrupt("tar: archive is truncated"))
        }
    }

    private mutating func readHeader(_ block: [UInt8], in stream: StreamDispatcher) {
        let header = TarHeader(block: block)
        if header.isZeroBlock {
            zeroBlocks += 1
            if zeroBlocks == 2 { state = .end }
            return
        }
        zeroBlocks = 0
        guard header.checksumIsValid else {
            stream.stop(.corrupt("tar: bad header checksum after \(entries) entries"))
            return
        }
        guard let headerSize = header.size, nextSize.map({ (0...TarHeader.maxSize).contains($0) }) ?? true else {
            stream.stop(.corrupt("tar: an entry size that cannot be read after \(entries) entries"))
            return
        }
        sawHeader = true
        let size = nextSize ?? headerSize
        let padding = (512 - size % 512) % 512
        switch header.typeFlag {
        case UInt8(ascii: "x"), UInt8(ascii: "L"), UInt8(ascii: "g"):
            guard headerSize <= Self.maxMetadata else {
                stream.stop(.corrupt("tar: extended header of \(headerSize) bytes"))
                return
            }
            // An empty record has no frame to wait for (and a frame must consume something).
            state = headerSize > 0 ? .metadata(length: headerSize, padding: (512 - headerSize % 512) % 512, kind: header.typeFlag) : .header
            return
        case UInt8(ascii: "S"):
            // GNU sparse files: the map is in the header (and extension blocks after it).
            guard beginEntry(named: nextName ?? header.name, in: stream) else { return }
            guard let (map, extended) = TarSparseMap.gnu(header: block) else {
                stream.stop(.corrupt("tar: the sparse map of \(entryLocation?.description ?? header.name) cannot be read"))
                return
            }
            if extended {
                state = .sparseExtension(map: map, size: size, padding: padding)
            } else {
                beginSparseData(map, size: size, padding: padding, in: stream)
            }
        case UInt8(ascii: "0"), 0, UInt8(ascii: "7"), UInt8(ascii: "A")...UInt8(ascii: "Z")
            where !Self.gnuMetadataTypes.contains(header.typeFlag):
            // Regular files, and unknown (vendor) types, which tar extracts as regular files.
            let sparse = nextSparse
            guard beginEntry(named: sparse.name ?? nextName ?? header.name, in: stream) else { return }
            if sparse.isVersion1 {
                state = .sparseDataMap(text: [], realSize: sparse.realSize ?? 0, size: size, padding: padding)
                return
            }
            if sparse.isPresent {
                guard let segments = sparse.segments else {
                    stream.uninspected(.corrupt("tar: the pax sparse map of \(entryLocation!.description) cannot be read"), at: entryLocation)
                    child = nil
                    state = size + padding > 0 ? .data(MemberData(remaining: 0, padding: size + padding)) : .header
                    return
                }
                beginSparseData(TarSparseMap(segments: segments, realSize: sparse.realSize ?? 0), size: size, padding: padding, in: stream)
                return
            }
            openEntry(size: size, padding: padding, in: stream)
        default:
            // Directories, links, devices, global pax headers: nothing to read but names.
            metadata.name(nextName ?? header.name)
            nextName = nil
            nextSize = nil
            nextSparse = PaxSparse()
            state = size + padding > 0 ? .data(MemberData(remaining: 0, padding: size + padding)) : .header
        }
    }

    /// Counts an entry and names it; false when there are too many.
    private mutating func beginEntry(named name: String, in stream: StreamDispatcher) -> Bool {
        entries += 1
        metadata.name(name)
        nextName = nil
        nextSize = nil
        nextSparse = PaxSparse()
        holes = []
        storedPosition = 0
        sparseEntry = false
        inZeroRun = false
        guard entries <= stream.session.limits.maxEntries else {
            stream.stop(.limitExceeded("more than \(stream.session.limits.maxEntries) entries in a tar archive"))
            return false
        }
        entryName = name
        entryLocation = stream.location.appending(part: name)
        return true
    }

    /// Starts reading a sparse entry's `size` stored bytes, or skips them when the map
    /// does not fit them.
    private mutating func beginSparseData(_ map: TarSparseMap, size: Int, padding: Int, in stream: StreamDispatcher) {
        let problem = map.problem ?? (map.storedSize == size ? nil : "its sparse map accounts for \(map.storedSize) bytes, the entry holds \(size)")
        if let problem {
            stream.uninspected(.corrupt("tar: \(problem)"), at: entryLocation)
            state = size + padding > 0 ? .data(MemberData(remaining: 0, padding: size + padding)) : .header
            return
        }
        holes = map.holeBoundaries
        storedPosition = 0
        sparseEntry = true
        openEntry(size: size, padding: padding, in: stream)
    }

    /// Opens the entry's stream for `size` bytes of data and `padding` after them.
    private mutating func openEntry(size: Int, padding: Int, in stream: StreamDispatcher) {
        child = stream.child(named: entryName)
        if size == 0 {
            child?.finish()
            child = nil
        }
        state = size + padding > 0 ? .data(MemberData(remaining: size, padding: padding)) : .header
    }

    /// Passes an entry's data on; in a sparse entry, a line break where a hole lies.
    private mutating func feedEntry(_ bytes: UnsafeRawBufferPointer) {
        guard sparseEntry else {
            child?.feed(bytes)
            return
        }
        var rest = bytes
        while let hole = holes.first, hole <= storedPosition + rest.count {
            let before = hole - storedPosition
            feedSparse(UnsafeRawBufferPointer(rebasing: rest[0..<before]))
            breakSparse()
            rest = UnsafeRawBufferPointer(rebasing: rest[before...])
            storedPosition = hole
            holes.removeFirst()
        }
        storedPosition += rest.count
        feedSparse(rest)
    }

    /// Sparse data with each run of zeros read as one line break, as holes are: GNU tar
    /// stores whole filesystem blocks around the data, zero-padded, and zeros are what a
    /// hole holds too. Text keeps its words apart and the part still reads as text.
    private mutating func feedSparse(_ bytes: UnsafeRawBufferPointer) {
        var index = 0
        while index < bytes.count {
            if bytes[index] != 0 {
                let end = bytes[index...].firstIndex(of: 0) ?? bytes.count
                child?.feed(UnsafeRawBufferPointer(rebasing: bytes[index..<end]))
                inZeroRun = false
                index = end
            } else {
                breakSparse()
                index = bytes[index...].firstIndex { $0 != 0 } ?? bytes.count
            }
        }
    }

    private mutating func breakSparse() {
        guard !inZeroRun else { return }
        inZeroRun = true
        Self.lineBreak.withUnsafeBytes { child?.feed($0) }
    }

    private static let lineBreak: [UInt8] = [0x0A]

    private mutating func readMetadata(_ metadata: [UInt8], _ kind: UInt8, in stream: StreamDispatcher) {
        if kind == UInt8(ascii: "L") {
            let end = metadata.firstIndex(of: 0) ?? metadata.endIndex
            nextName = String(decoding: metadata[..<end], as: UTF8.self)
            return
        }
        // pax records: "LENGTH key=value\n"; the length counts the whole record. A global
        // header's records apply to the archive: only its comment is kept.
        let global = kind == UInt8(ascii: "g")
        var index = 0
        while index < metadata.count {
            guard let space = metadata[index...].firstIndex(of: UInt8(ascii: " ")), space - index <= 8,
                  let length = Int(String(decoding: metadata[index..<space], as: UTF8.self)),
                  length > space - index + 1, length <= metadata.count - index,
                  metadata[index + length - 1] == 0x0A,
                  let equals = metadata[(space + 1)..<(index + length - 1)].firstIndex(of: UInt8(ascii: "="))
            else {
                // GNU tar and Go refuse such a header; what it names is not trusted.
                malformed("a pax record that cannot be read", in: stream)
                return
            }
            let key = String(decoding: metadata[(space + 1)..<equals], as: UTF8.self)
            let rawValue = metadata[(equals + 1)..<(index + length - 1)]
            let value = String(decoding: rawValue, as: UTF8.self)
            index += length
            // As Go's reader judges records: a NUL is allowed in values (xattrs carry them),
            // never in a key, a name or a link.
            if key.isEmpty || key.utf8.contains(0) || rawValue.contains(0) && ["path", "linkpath", "uname", "gname"].contains(key) {
                malformed("a pax record with an empty key, or a NUL in its key, name or link", in: stream)
                return
            }
            if global {
                if key == "comment" { self.metadata.comment(value) }
                continue
            }
            switch key {
            case "path": nextName = value
            case "comment": self.metadata.comment(value)
            case "size": nextSize = Int(value)
            case "mtime", "atime", "ctime":
                guard Double(value) != nil, !value.contains(where: { !"0123456789.-".contains($0) }) else {
                    malformed("a pax \(key) that is not a number", in: stream)
                    return
                }
            default:
                nextSparse.read(key: key, value: value)
            }
        }
    }

    private mutating func malformed(_ what: String, in stream: StreamDispatcher) {
        stream.uninspected(.corrupt("tar: \(what) after \(entries) entries"))
        nextName = nil
        nextSize = nil
        nextSparse = PaxSparse()
    }
}

/// The GNU sparse records of a pax header (formats 0.0, 0.1 and 1.0), for the next entry.
struct PaxSparse {
    var major: Int?
    var minor: Int?
    var name: String?
    var realSize: Int?
    /// 0.0: `GNU.sparse.offset` and `GNU.sparse.numbytes` records, in turn.
    var numbers: [Int] = []
    /// 0.1: `GNU.sparse.map`; nil when absent, [] when unreadable.
    var map: [Int]?
    var invalid = false

    var isPresent: Bool { major != nil || realSize != nil || map != nil || !numbers.isEmpty || invalid }
    var isVersion1: Bool { major == 1 && minor == 0 }

    /// The segments of a 0.0 or 0.1 map, or nil when they cannot be read.
    var segments: [TarSparseMap.Segment]? {
        guard !invalid else { return nil }
        return TarSparseMap.segments(from: map ?? numbers)
    }

    mutating func read(key: String, value: String) {
        switch key {
        case "GNU.sparse.major": major = Int(value)
        case "GNU.sparse.minor": minor = Int(value)
        case "GNU.sparse.name": name = value
        case "GNU.sparse.realsize", "GNU.sparse.size": realSize = Int(value)
        case "GNU.sparse.numblocks": if Int(value) == nil { invalid = true }
        case "GNU.sparse.offset", "GNU.sparse.numbytes":
            guard let number = Int(value), number >= 0, numbers.count < 2 * TarSparseMap.maxSegments else {
                invalid = true
                return
            }
            numbers.append(number)
        case "GNU.sparse.map":
            if let parsed = TarSparseMap.numbers(commaSeparated: value) { map = parsed } else { invalid = true }
        default:
            break
        }
    }
}
