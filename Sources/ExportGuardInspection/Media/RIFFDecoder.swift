/// The RIFF forms read here: what a form calls itself, which chunks hold its media data
/// (skipped, never held), which of them must be present, and which carry metadata.
protocol RIFFForm {
    static var name: String { get }
    /// The form type after the RIFF size (`WEBP`, `WAVE`, `AVI `).
    static var formType: String { get }
    /// Chunks of media data and fixed-format fields: passed over unread.
    static var dataChunks: Set<String> { get }
    /// One of these must be present, or the file is corrupt ("no image data").
    static var requiredChunks: Set<String> { get }
    static var missing: String { get }
}

/// WebP: image chunks, EXIF and XMP metadata.
enum WebPForm: RIFFForm {
    static let name = "webp"
    static let formType = "WEBP"
    static let dataChunks: Set<String> = ["VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP"]
    static let requiredChunks: Set<String> = ["VP8 ", "VP8L", "VP8X"]
    static let missing = "no image data"
}

/// WAV audio: format and sample chunks; `LIST`/`INFO` text (title, comment, artist …).
enum WAVEForm: RIFFForm {
    static let name = "wav"
    static let formType = "WAVE"
    static let dataChunks: Set<String> = ["fmt ", "data", "fact", "cue ", "smpl", "inst", "plst", "bext", "ds64", "JUNK", "PAD "]
    static let requiredChunks: Set<String> = ["data"]
    static let missing = "no sample data"
}

/// Reads a RIFF file (WebP, WAV) chunk by chunk to the length the RIFF header gives.
/// `EXIF`, `XMP ` and `LIST`/`INFO` chunks are read as metadata, unknown chunks when they
/// hold text; a file without its form's media data is corrupt. Bytes after the RIFF are
/// trailing data.
struct RIFFDecoder<Form: RIFFForm>: MediaFormat {
    static var name: String { Form.name }
    static var maxMetadataChunk: Int { 1 << 20 }

    private enum State {
        case header
        case chunk
        case skip(remaining: Int)
    }

    private var state = State.header
    /// Where the RIFF ends, and how far the decoder is.
    private var end = 0
    private var position = 0
    private var sawData = false

    var maxFrameBytes: Int { Self.maxMetadataChunk + 9 }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> MediaStep {
        switch state {
        case .header:
            guard input.count >= 12 else { return .needMoreData }
            let header = ByteReader(bytes: Array(input.prefix(12)))
            guard (try? header.string(0..<4)) == "RIFF", (try? header.string(8..<12)) == Form.formType, let size = try? header.u32(4), size >= 4 else {
                return .corrupt("the RIFF header is malformed")
            }
            end = size + 8
            state = .chunk
            return advance(12)
        case .chunk:
            guard input.count >= 8 else { return .needMoreData }
            let header = ByteReader(bytes: Array(input.prefix(8)))
            guard let type = try? header.string(0..<4), let size = try? header.u32(4), size <= end - position - 8 else {
                return .corrupt("a chunk runs past the end of the RIFF")
            }
            let padded = size + (size & 1)
            let isData = Form.dataChunks.contains(type)
            if Form.requiredChunks.contains(type) { sawData = true }
            if !isData && size > Self.maxMetadataChunk {
                stream.uninspected(.limitExceeded("\(Form.name): a \(type) chunk of \(size) bytes"))
            }
            guard !isData, size <= Self.maxMetadataChunk else {
                skip(min(padded, end - position - 8))
                return advance(8)
            }
            guard input.count >= 8 + size else { return .needMoreData }
            readMetadata(type, Array(input[8..<(8 + size)]), in: stream)
            skip(min(padded - size, end - position - 8 - size))
            return advance(8 + size)
        case .skip(let remaining):
            let take = min(remaining, input.count)
            state = take == remaining ? .chunk : .skip(remaining: remaining - take)
            return advance(take)
        }
    }

    /// Passes over `count` bytes next (none: the next chunk).
    private mutating func skip(_ count: Int) {
        state = count > 0 ? .skip(remaining: count) : .chunk
    }

    /// Moves past `count` bytes; the RIFF's end ends the format.
    private mutating func advance(_ count: Int) -> MediaStep {
        position += count
        guard position >= end else { return .consumed(count) }
        if case .skip(let remaining) = state, remaining > 0 { return .consumed(count) }
        return .ended(count)
    }

    private func readMetadata(_ type: String, _ data: [UInt8], in stream: StreamDispatcher) {
        switch type {
        case "EXIF":
            let block = data.starts(with: JPEGDecoder.exifHeader) ? Array(data.dropFirst(JPEGDecoder.exifHeader.count)) : data
            for field in EXIFReader.texts(block) { stream.emitMetadata("EXIF:\(field.name)", field.text) }
        case "LIST" where data.starts(with: Array("INFO".utf8)):
            // Subchunks of (id, size, text): INAM title, ICMT comment, IART artist …
            let list = ByteReader(bytes: data)
            var offset = 4
            while let id = try? list.string(offset..<(offset + 4)), let size = try? list.u32(offset + 4), let value = try? list.slice((offset + 8)..<(offset + 8 + size)) {
                let text = MetadataText.utf8(value, encoding: .undeclared)
                if text.contains(where: { $0 > 0x20 }) { stream.emitMetadata("INFO:\(id)", text) }
                offset += 8 + size + (size & 1)
            }
        case "XMP ":
            let child = stream.child(named: "XMP")
            data.withUnsafeBytes { child.feed($0) }
            child.finish()
        default:
            if let text = MetadataText.probe(data) { stream.emitMetadata(String(type.reversed().drop { $0 == " " }.reversed()), text) }
        }
    }

    var truncation: String { "truncated (\(position) of \(end) bytes)" }

    mutating func problemAtEnd(bytes: Int) -> String? {
        sawData ? nil : Form.missing
    }
}
