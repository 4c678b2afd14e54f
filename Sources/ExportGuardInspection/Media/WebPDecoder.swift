/// Reads a WebP file's RIFF structure chunk by chunk to the length the RIFF header gives.
/// `EXIF` and `XMP ` chunks are read as metadata, unknown chunks when they hold text; a file
/// without image data is corrupt. Bytes after the RIFF are trailing data.
struct WebPDecoder: MediaFormat {
    static let name = "webp"
    static let maxMetadataChunk = 1 << 20
    /// Chunks of image data and fixed-format fields; anything else is read when it holds text.
    static let imageChunks: Set<String> = ["VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP"]

    private enum State {
        case header
        case chunk
        case skip(remaining: Int)
    }

    private var state = State.header
    /// Where the RIFF ends, and how far the decoder is.
    private var end = 0
    private var position = 0
    private var sawImage = false

    var maxFrameBytes: Int { Self.maxMetadataChunk + 9 }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> MediaStep {
        switch state {
        case .header:
            guard input.count >= 12 else { return .needMoreData }
            let header = ByteReader(bytes: Array(input.prefix(12)))
            guard (try? header.string(0..<4)) == "RIFF", (try? header.string(8..<12)) == "WEBP", let size = try? header.u32(4), size >= 4 else {
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
            let isImage = Self.imageChunks.contains(type)
            if isImage { sawImage = true }
            if !isImage && size > Self.maxMetadataChunk {
                stream.uninspected(.limitExceeded("webp: a \(type) chunk of \(size) bytes"))
            }
            guard !isImage, size <= Self.maxMetadataChunk else {
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
        sawImage ? nil : "no image data"
    }
}
