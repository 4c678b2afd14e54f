/// Reads an Enhanced Metafile record by record, from its header (`EMR_HEADER` with the
/// ` EMF` signature and the file's length) to `EMR_EOF`. Metafiles are how office documents
/// keep charts and drawings, and they draw text: the strings of `EMR_EXTTEXTOUTW/A`,
/// `EMR_SMALLTEXTOUT` and EMF+ `DrawString` records (inside GDI comments) are read as the
/// part's text. Other records are passed over as they stream.
struct EMFDecoder: MediaFormat {
    static let name = "emf"
    /// Records read whole (text records, comments) may be this large; larger ones are
    /// passed over and reported, since text in them would go unread.
    static let maxTextRecord = 1 << 20

    private enum State {
        case record
        case skip(remaining: Int)
    }

    private var state = State.record
    private var declaredBytes = 0
    /// Bytes of records read so far.
    private var position = 0
    private var records = 0
    private var text: [UInt8] = []
    /// The baseline (y) of the last string drawn.
    private var baseline: Int?

    var maxFrameBytes: Int { Self.maxTextRecord + 8 }

    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        let reader = ByteReader(bytes: Array(head.prefix(44)))
        return (try? reader.u32(0)) == 1 && (try? reader.string(40..<44)) == " EMF"
    }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> MediaStep {
        switch state {
        case .record:
            guard input.count >= 8 else { return .needMoreData }
            let type = input.field(at: 0, size: 4, bigEndian: false), size = input.field(at: 4, size: 4, bigEndian: false)
            guard size >= 8, size % 4 == 0, declaredBytes == 0 || size <= declaredBytes - position else {
                return .corrupt("a record of \(size) bytes after \(records) records")
            }
            if records == 0 {
                guard type == 1, input.count >= 52 else { return type == 1 ? .needMoreData : .corrupt("no header record") }
                declaredBytes = input.field(at: 48, size: 4, bigEndian: false)
            }
            if type == 14 {
                // EMR_EOF: the file's own end; what follows is trailing data.
                guard input.count >= size else { return .needMoreData }
                position += size
                return .ended(size)
            }
            guard [83, 84, 96, 97, 108, 70].contains(type) else {
                state = size > 8 ? .skip(remaining: size - 8) : .record
                return consume(8, record: true)
            }
            guard size <= Self.maxTextRecord else {
                stream.uninspected(.limitExceeded("emf: a text record of \(size) bytes"))
                state = size > 8 ? .skip(remaining: size - 8) : .record
                return consume(8, record: true)
            }
            guard input.count >= size else { return .needMoreData }
            readText(type, ByteReader(bytes: Array(input[0..<size])))
            if text.count >= 64 << 10 { flush(in: stream) }
            return consume(size, record: true)
        case .skip(let remaining):
            let take = min(remaining, input.count)
            state = take == remaining ? .record : .skip(remaining: remaining - take)
            return consume(take)
        }
    }

    var truncation: String { "truncated before EMR_EOF" }

    func problemAtEnd(bytes: Int) -> String? {
        bytes == declaredBytes ? nil : "the header says \(declaredBytes) bytes, the records take \(bytes)"
    }

    mutating func flush(in stream: StreamDispatcher) {
        guard !text.isEmpty else { return }
        text.withUnsafeBytes { stream.emitText($0) }
        text.removeAll(keepingCapacity: true)
    }

    private mutating func readText(_ type: Int, _ record: ByteReader) {
        switch type {
        case 83, 84:
            // EMR_EXTTEXTOUTA/W: EMRTEXT at 36 — reference point, then nChars and offString.
            guard let count = try? record.u32(44), let offset = try? record.u32(48), let y = try? record.u32(40) else { return }
            appendString(record, at: offset, count: count, wide: type == 84, line: y)
        case 96, 97:
            // EMR_POLYTEXTOUTA/W: bounds, mode, scales, a count, then that many EMRTEXTs of 40 bytes.
            guard let strings = try? record.u32(36) else { return }
            for index in 0..<min(strings, 4096) {
                let emrtext = 40 + index * 40
                guard let y = try? record.u32(emrtext + 4), let count = try? record.u32(emrtext + 8),
                      let offset = try? record.u32(emrtext + 12) else { return }
                appendString(record, at: offset, count: count, wide: type == 97, line: y)
            }
        case 108:
            // EMR_SMALLTEXTOUT: a clipping rectangle unless ETO_NO_RECT; 8-bit text with ETO_SMALL_CHARS.
            guard let count = try? record.u32(16), let options = try? record.u32(20), let y = try? record.u32(12) else { return }
            appendString(record, at: options & 0x100 != 0 ? 36 : 52, count: count, wide: options & 0x200 == 0, line: y)
        default:
            // EMR_GDICOMMENT: EMF+ records when the data starts with "EMF+"; any other
            // comment is read when it holds text.
            guard let length = try? record.u32(8) else { return }
            guard (try? record.string(12..<16)) == "EMF+" else {
                if let data = try? record.slice(12..<min(12 + length, record.count)), let text = MetadataText.probe(data) {
                    appendString(text, line: nil)
                }
                return
            }
            var offset = 16
            let end = min(12 + length, record.count)
            while offset + 12 <= end, let plusType = try? record.u16(offset), let size = try? record.u32(offset + 4), size >= 12 {
                if plusType == 0x401C, let characters = try? record.u32(offset + 20) {
                    // DrawString: brush, format, length, a layout rectangle of four floats, the string.
                    appendString(record, at: offset + 40, count: characters, wide: true, line: nil)
                }
                offset += size
            }
        }
    }

    /// Appends a drawn string. Renderers often draw a line glyph by glyph, one record each:
    /// strings on the same baseline are joined as they are, a new baseline starts a line.
    private mutating func appendString(_ record: ByteReader, at offset: Int, count: Int, wide: Bool, line: Int?) {
        guard count > 0, count <= record.count, let bytes = try? record.slice(offset..<(offset + (wide ? count * 2 : count))) else { return }
        appendString(MetadataText.utf8(bytes, encoding: wide ? .utf16LittleEndian : .undeclared), line: line)
    }

    private mutating func appendString(_ utf8: [UInt8], line: Int?) {
        if !text.isEmpty, line == nil || line != baseline { text.append(0x0A) }
        baseline = line
        text += utf8
    }

    /// Moves past `count` bytes, the start of a record (or a whole one) when `record`.
    private mutating func consume(_ count: Int, record: Bool = false) -> MediaStep {
        if record { records += 1 }
        position += count
        return .consumed(count)
    }
}
