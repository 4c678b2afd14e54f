/// Reads a tar archive as it streams (ustar, pax extended headers, GNU long names) and
/// dispatches each regular file as a child stream. `.tar.gz` works by nesting: gzip
/// hands this decoder its output. A ``FrameDecoder``: headers and metadata records come
/// whole from the cumulation buffer; entry data streams through as it arrives.
struct TarDecoder {
    private enum State {
        case header
        case data(remaining: Int, padding: Int)
        /// A pax or GNU long-name record (with its padding), read whole to name the next entry.
        case metadata(length: Int, padding: Int, kind: UInt8)
        case skip(remaining: Int)
        case end
    }

    private var state = State.header
    private var nextName: String?
    private var nextSize: Int?
    private var child: StreamDispatcher?
    private var entries = 0
    private var zeroBlocks = 0
    private var sawHeader = false
    private var trailer = TrailingData()

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
        case .data(let remaining, let padding):
            let used = min(remaining + padding, input.count)
            let content = min(used, remaining)
            if content > 0 { child?.feed(UnsafeRawBufferPointer(rebasing: input[0..<content])) }
            if remaining + padding == used {
                child?.finish()
                child = nil
                state = .header
            } else {
                state = .data(remaining: remaining - content, padding: padding - (used - content))
            }
            return .consumed(used)
        case .metadata(let length, let padding, let kind):
            guard input.count >= length + padding else { return .needMoreData }
            readMetadata(Array(input[0..<length]), kind)
            state = .header
            return .consumed(length + padding)
        case .skip(let remaining):
            let used = min(remaining, input.count)
            state = remaining == used ? .header : .skip(remaining: remaining - used)
            return .consumed(used)
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
        case UInt8(ascii: "x"), UInt8(ascii: "L"):
            guard headerSize <= Self.maxMetadata else {
                stream.stop(.corrupt("tar: extended header of \(headerSize) bytes"))
                return
            }
            state = .metadata(length: headerSize, padding: (512 - headerSize % 512) % 512, kind: header.typeFlag)
            return
        case UInt8(ascii: "S"):
            // GNU sparse files: their data map is not read yet, and must not pass unread.
            stream.uninspected(.unsupported("tar: GNU sparse entry \(nextName ?? header.name)"), at: stream.location.appending(part: nextName ?? header.name))
            nextName = nil
            nextSize = nil
            state = size + padding > 0 ? .skip(remaining: size + padding) : .header
        case UInt8(ascii: "0"), 0, UInt8(ascii: "7"), UInt8(ascii: "A")...UInt8(ascii: "Z") where header.typeFlag != UInt8(ascii: "K") && header.typeFlag != UInt8(ascii: "L"):
            // Regular files, and unknown (vendor) types, which tar extracts as regular files.
            entries += 1
            guard entries <= stream.session.limits.maxEntries else {
                stream.stop(.limitExceeded("more than \(stream.session.limits.maxEntries) entries in a tar archive"))
                return
            }
            let name = nextName ?? header.name
            nextName = nil
            nextSize = nil
            child = stream.child(named: name)
            if size == 0 {
                child?.finish()
                child = nil
                state = padding > 0 ? .skip(remaining: padding) : .header
            } else {
                state = .data(remaining: size, padding: padding)
            }
        default:
            // Directories, links, devices, global pax headers: nothing to read.
            nextName = nil
            nextSize = nil
            state = size + padding > 0 ? .skip(remaining: size + padding) : .header
        }
    }

    private mutating func readMetadata(_ metadata: [UInt8], _ kind: UInt8) {
        if kind == UInt8(ascii: "L") {
            let end = metadata.firstIndex(of: 0) ?? metadata.endIndex
            nextName = String(decoding: metadata[..<end], as: UTF8.self)
            return
        }
        // pax records: "LENGTH key=value\n"; the length counts the whole record.
        var index = 0
        while index < metadata.count {
            guard let space = metadata[index...].firstIndex(of: UInt8(ascii: " ")), space - index <= 8,
                  let length = Int(String(decoding: metadata[index..<space], as: UTF8.self)),
                  length > space - index + 1, length <= metadata.count - index else { return }
            let record = metadata[(space + 1)..<(index + length - 1)]
            if let equals = record.firstIndex(of: UInt8(ascii: "=")) {
                let key = String(decoding: record[..<equals], as: UTF8.self)
                let value = String(decoding: record[(equals + 1)...], as: UTF8.self)
                if key == "path" { nextName = value }
                if key == "size" { nextSize = Int(value) }
            }
            index += length
        }
    }
}
