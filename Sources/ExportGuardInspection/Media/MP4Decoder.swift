/// Reads an ISO base media file (MP4, M4A, MOV, 3GP) box by box: `ftyp` first, then
/// top-level boxes whose sizes must tile the stream to its end (media data is skipped, never
/// held). The `moov` box, up to a bound, is held and walked for the text people put in
/// metadata — iTunes-style `ilst` items (title, comment, artist, description …) and
/// QuickTime `©xxx` text atoms — which is read as the part's text.
struct MP4Decoder: MediaFormat {
    static let name = "mp4"
    /// The largest `moov` read for metadata; a larger one is reported, not read.
    static let maxMovieBox = 16 << 20
    /// The most metadata text read from one movie box.
    static let maxText = 1 << 20

    private enum State {
        case box
        case skip(remaining: Int)
    }

    private var state = State.box
    private var boxes = 0
    private var text: [UInt8] = []

    var maxFrameBytes: Int { Self.maxMovieBox }

    /// A stream may end after any whole top-level box.
    var mayEndHere: Bool {
        if case .box = state { return boxes > 0 }
        return false
    }

    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        guard head.count >= 12, head[4...7].elementsEqual(Array("ftyp".utf8)) else { return false }
        let size = head.field(at: 0, size: 4, bigEndian: true)
        return size >= 12 && size <= 4096
    }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> MediaStep {
        switch state {
        case .box:
            guard input.count >= 8 else { return .needMoreData }
            var size = input.field(at: 0, size: 4, bigEndian: true)
            var header = 8
            let type = Array(input[4..<8])
            guard type.allSatisfy({ (0x20...0x7E).contains($0) || $0 == 0xA9 }) else { return .corrupt("a box of type \(type) after \(boxes) boxes") }
            if size == 1 {
                guard input.count >= 16 else { return .needMoreData }
                let high = input.field(at: 8, size: 4, bigEndian: true), low = input.field(at: 12, size: 4, bigEndian: true)
                guard high < 1 << 30 else { return .corrupt("a box larger than any file") }
                size = high << 32 | low
                header = 16
            }
            guard size >= header else { return .corrupt(size == 0 ? "a box that runs to the end of the stream" : "a box of \(size) bytes") }
            boxes += 1
            if type == Array("moov".utf8) {
                guard size <= Self.maxMovieBox else {
                    stream.uninspected(.limitExceeded("mp4: a movie box of more than \(Self.maxMovieBox >> 20) MiB (its metadata is not read)"))
                    state = .skip(remaining: size - header)
                    return .consumed(header)
                }
                guard input.count >= size else { return .needMoreData }
                Self.walk(ByteReader(bytes: Array(input[header..<size]), bigEndian: true), depth: 0, into: &text)
                return .consumed(size)
            }
            state = size > header ? .skip(remaining: size - header) : .box
            return .consumed(header)
        case .skip(let remaining):
            let take = min(remaining, input.count)
            state = take == remaining ? .box : .skip(remaining: remaining - take)
            return .consumed(take)
        }
    }

    var truncation: String { "truncated inside a box" }

    /// Walks boxes for metadata text: containers are entered, `data` boxes of `ilst`
    /// items read (UTF-8 or UTF-16), and QuickTime text atoms (`©nam` …) read.
    private static func walk(_ box: ByteReader, depth: Int, items: Bool = false, into text: inout [UInt8]) {
        guard depth < 8, text.count < maxText else { return }
        var offset = 0
        while offset + 8 <= box.count {
            guard let size = try? box.u32(offset), size >= 8, size <= box.count - offset,
                  let type = try? box.slice((offset + 4)..<(offset + 8)) else { return }
            let body = (offset + 8)..<(offset + size)
            let name = String(decoding: type, as: UTF8.self)
            switch name {
            case _ where items:
                // Every item of an `ilst` (©nam, desc, aART, ----) holds `data` boxes.
                if let inner = try? box.slice(body) { walk(ByteReader(bytes: Array(inner), bigEndian: true), depth: depth + 1, into: &text) }
            case "udta", "ilst", "trak", "mdia", "minf", "stbl":
                if let inner = try? box.slice(body) {
                    walk(ByteReader(bytes: Array(inner), bigEndian: true), depth: depth + 1, items: name == "ilst", into: &text)
                }
            case "meta":
                // A full box (version and flags first) in MP4; a plain one in QuickTime,
                // whose first child box (`hdlr`) starts at once.
                let full = (try? box.slice((body.lowerBound + 4)..<(body.lowerBound + 8))).map { !$0.elementsEqual(Array("hdlr".utf8)) } ?? true
                let start = body.lowerBound + (full ? 4 : 0)
                if start <= body.upperBound, let inner = try? box.slice(start..<body.upperBound) {
                    walk(ByteReader(bytes: Array(inner), bigEndian: true), depth: depth + 1, into: &text)
                }
            case "data":
                // Type (1 UTF-8, 2 UTF-16), locale, then the value.
                if body.count >= 8, let kind = try? box.u32(body.lowerBound), kind == 1 || kind == 2,
                   let value = try? box.slice((body.lowerBound + 8)..<body.upperBound) {
                    append(kind == 1 ? Array(value) : MetadataText.utf8(value, encoding: .utf16BigEndian), to: &text)
                }
            default:
                if type.first == 0xA9 {
                    // An ilst item holds `data` boxes; a QuickTime text atom holds
                    // (length, language, text) entries.
                    if let inner = try? box.slice(body), inner.count >= 8, inner[inner.startIndex + 4..<inner.startIndex + 8].elementsEqual(Array("data".utf8)) {
                        walk(ByteReader(bytes: Array(inner), bigEndian: true), depth: depth + 1, into: &text)
                    } else if body.count >= 4, let length = try? box.u16(body.lowerBound), length <= body.count - 4,
                              let value = try? box.slice((body.lowerBound + 4)..<(body.lowerBound + 4 + length)) {
                        append(MetadataText.utf8(value, encoding: .undeclared), to: &text)
                    }
                }
            }
            offset += size
        }
    }

    private static func append(_ value: [UInt8], to text: inout [UInt8]) {
        guard value.contains(where: { $0 > 0x20 }) else { return }
        if !text.isEmpty { text.append(0x0A) }
        text += value
    }

    mutating func flush(in stream: StreamDispatcher) {
        guard !text.isEmpty else { return }
        text.withUnsafeBytes { stream.emitText($0) }
        text.removeAll(keepingCapacity: true)
    }
}
