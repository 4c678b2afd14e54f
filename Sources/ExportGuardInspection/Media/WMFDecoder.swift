/// Reads a Windows Metafile record by record: the optional placeable header, the metafile
/// header (whose size field gives the file's length in 16-bit words), then records to the
/// end record. The strings of `META_TEXTOUT` and `META_EXTTEXTOUT` are read as the part's
/// text (in the font's ANSI code page, which the file does not say: UTF-8, GB18030 or Big5
/// when they fit, else Latin-1).
struct WMFDecoder: MediaFormat {
    static let name = "wmf"
    static let placeableKey: [UInt8] = [0xD7, 0xCD, 0xC6, 0x9A]
    static let maxTextRecord = 1 << 16

    private enum State {
        case header
        case record
        case skip(remaining: Int)
    }

    private var state = State.header
    private var declaredBytes = 0
    /// Bytes read so far.
    private var position = 0
    private var text: [UInt8] = []
    /// The baseline (y) of the last string drawn.
    private var baseline: Int?

    var maxFrameBytes: Int { Self.maxTextRecord + 6 }

    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        if head.count >= 4, head.prefix(4).elementsEqual(placeableKey) { return true }
        let reader = ByteReader(bytes: Array(head.prefix(6)))
        guard let type = try? reader.u16(0), let headerSize = try? reader.u16(2), let version = try? reader.u16(4) else { return false }
        return (type == 1 || type == 2) && headerSize == 9 && (version == 0x0100 || version == 0x0300)
    }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> MediaStep {
        switch state {
        case .header:
            let placeable = input.count >= 4 && input.prefix(4).elementsEqual(Self.placeableKey) ? 22 : 0
            guard input.count >= placeable + 18 else { return .needMoreData }
            let reader = ByteReader(bytes: Array(input[placeable..<(placeable + 18)]))
            guard let words = try? reader.u32(6), (try? reader.u16(2)) == 9, words >= 12 else {
                return .corrupt("the metafile header is malformed")
            }
            declaredBytes = placeable + words * 2
            state = .record
            return consume(placeable + 18)
        case .record:
            guard input.count >= 6 else { return .needMoreData }
            let words = input.field(at: 0, size: 4, bigEndian: false)
            let function = input.field(at: 4, size: 2, bigEndian: false)
            let size = words * 2
            guard words >= 3, size <= declaredBytes - position else { return .corrupt("a record runs past the file's declared end") }
            if function == 0 {
                guard input.count >= size else { return .needMoreData }
                position += size
                return .ended(size)
            }
            let readsText = [0x0521, 0x0A32, 0x0626].contains(function)
            guard readsText, size <= Self.maxTextRecord else {
                if readsText { stream.uninspected(.limitExceeded("wmf: a text record of \(size) bytes")) }
                state = size > 6 ? .skip(remaining: size - 6) : .record
                return consume(6)
            }
            guard input.count >= size else { return .needMoreData }
            readText(function, ByteReader(bytes: Array(input[0..<size])))
            if text.count >= 64 << 10 { flush(in: stream) }
            return consume(size)
        case .skip(let remaining):
            let take = min(remaining, input.count)
            state = take == remaining ? .record : .skip(remaining: remaining - take)
            return consume(take)
        }
    }

    var truncation: String { "truncated before the end record" }

    func problemAtEnd(bytes: Int) -> String? {
        bytes == declaredBytes ? nil : "the header says \(declaredBytes) bytes, the records take \(bytes)"
    }

    private mutating func readText(_ function: Int, _ record: ByteReader) {
        if function == 0x0626 {
            // META_ESCAPE: a printer escape with data; read when it holds text.
            if let data = try? record.slice(10..<record.count), let readable = MetadataText.probe(data) {
                if !text.isEmpty { text.append(0x0A) }
                text += readable
                baseline = nil
            }
            return
        }
        let range: Range<Int>?
        var y: Int?
        if function == 0x0521 {
            range = (try? record.u16(6)).map { 8..<(8 + $0) }
            if let range { y = try? record.u16(range.lowerBound + ((range.count + 1) & ~1)) }
        } else {
            y = try? record.u16(6)
            // y, x, length, options, a rectangle when clipped or opaque, then the string.
            if let length = try? record.u16(10), let options = try? record.u16(12) {
                let start = options & 0x0006 != 0 ? 22 : 14
                range = start..<(start + length)
            } else {
                range = nil
            }
        }
        guard let range, let bytes = try? record.slice(range) else { return }
        // Strings on one baseline (often one glyph a record) are joined; a new one starts a line.
        if !text.isEmpty, y != baseline { text.append(0x0A) }
        baseline = y
        text += MetadataText.utf8(bytes, encoding: .undeclared)
    }

    mutating func flush(in stream: StreamDispatcher) {
        guard !text.isEmpty else { return }
        text.withUnsafeBytes { stream.emitText($0) }
        text.removeAll(keepingCapacity: true)
    }

    private mutating func consume(_ count: Int) -> MediaStep {
        position += count
        return .consumed(count)
    }
}
