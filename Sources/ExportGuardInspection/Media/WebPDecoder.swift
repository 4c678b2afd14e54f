/// Reads a WebP file's RIFF structure chunk by chunk to the length the RIFF header gives;
/// `EXIF` and `XMP ` chunks are read as metadata, bytes after the RIFF are trailing data.
struct WebPDecoder: FrameDecoder {
    static let maxMetadataChunk = 1 << 20

    private enum State {
        case header
        case chunk
        case skip(remaining: Int)
        case trailer
        case failed
    }

    private var state = State.header
    private var end = 0
    private var bytes = 0
    private var trailer = TrailingData()
    private var sawImage = false
    /// Chunks of image data and fixed-format fields; anything else is read when it holds text.
    static let imageChunks: Set<String> = ["VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP"]

    var maxFrameBytes: Int { Self.maxMetadataChunk + 9 }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> DecodingStep {
        switch state {
        case .header:
            guard input.count >= 12 else { return .needMoreData }
            let header = ByteReader(bytes: Array(input.prefix(12)))
            guard (try? header.string(0..<4)) == "RIFF", (try? header.string(8..<12)) == "WEBP", let size = try? header.u32(4), size >= 4 else {
                return fail("webp: the RIFF header is malformed", in: stream, input)
            }
            end = size + 8
            state = .chunk
            return consume(12)
        case .chunk:
            if bytes >= end {
                state = .trailer
                return decode(input, in: stream)
            }
            guard input.count >= 8 else { return .needMoreData }
            let header = ByteReader(bytes: Array(input.prefix(8)))
            guard let type = try? header.string(0..<4), let size = try? header.u32(4), bytes + 8 + size <= end else {
                return fail("webp: a chunk runs past the end of the RIFF", in: stream, input)
            }
            let padded = size + (size & 1)
            let isImage = Self.imageChunks.contains(type)
            if isImage { sawImage = true }
            if !isImage && size > Self.maxMetadataChunk {
                stream.uninspected(.limitExceeded("webp: a \(type) chunk of \(size) bytes"))
            }
            if !isImage, size <= Self.maxMetadataChunk {
                guard input.count >= 8 + size else { return .needMoreData }
                var data = Array(input[8..<(8 + size)])
                if type == "EXIF" {
                    if data.starts(with: JPEGDecoder.exifHeader) { data.removeFirst(JPEGDecoder.exifHeader.count) }
                    for field in EXIFReader.texts(data) { stream.emitMetadata("EXIF:\(field.name)", field.text) }
                } else if type == "XMP " {
                    let child = stream.child(named: "XMP")
                    data.withUnsafeBytes { child.feed($0) }
                    child.finish()
                } else if let text = MetadataText.probe(data) {
                    stream.emitMetadata(type.trimmingCharacters(), text)
                }
                state = padded > size ? .skip(remaining: 1) : .chunk
                return consume(8 + size)
            }
            state = padded > 0 ? .skip(remaining: padded) : .chunk
            return consume(8)
        case .skip(let remaining):
            let take = min(remaining, input.count, max(end - bytes, 0))
            guard take > 0 else {
                state = .chunk
                return decode(input, in: stream)
            }
            state = take == remaining ? .chunk : .skip(remaining: remaining - take)
            return consume(take)
        case .trailer:
            trailer.feed(input, in: stream)
            return .consumed(input.count)
        case .failed:
            return .consumed(input.count)
        }
    }

    mutating func finish(unconsumed: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        trailer.finish(in: stream)
        guard !stream.isStopped else { return }
        switch state {
        case .failed: break
        case .trailer, .chunk where bytes >= end && end > 0:
            if sawImage {
                stream.reportMedia(format: "webp", bytes: end)
            } else {
                stream.uninspected(.corrupt("webp: no image data"))
            }
        default: stream.uninspected(.corrupt("webp: truncated (\(bytes) of \(end) bytes)"))
        }
    }

    private mutating func consume(_ count: Int) -> DecodingStep {
        bytes += count
        return .consumed(count)
    }

    private mutating func fail(_ message: String, in stream: StreamDispatcher, _ input: UnsafeRawBufferPointer) -> DecodingStep {
        state = .failed
        stream.uninspected(.corrupt(message))
        return .consumed(input.count)
    }
}

extension String {
    /// Without trailing spaces (a RIFF chunk id such as `XMP `).
    fileprivate func trimmingCharacters() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
