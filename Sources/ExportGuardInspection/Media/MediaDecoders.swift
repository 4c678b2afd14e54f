/// The decoders for media formats, chosen by the sniffed format. Each checks its format's
/// structure as it streams (chunks and checksums, segments, blocks), reads the text in its
/// metadata, reports a whole part with ``StreamDispatcher/reportMedia(format:bytes:)`` and
/// a damaged one as corrupt, and hands bytes after the format's end to a stream of their own.
enum MediaDecoders {
    static func make(_ format: String) -> (any StreamDecoder)? {
        switch format {
        case "png": CumulatingDecoder(PNGDecoder())
        case "jpeg": CumulatingDecoder(JPEGDecoder())
        case "gif": CumulatingDecoder(GIFDecoder())
        case "bmp": CumulatingDecoder(BMPDecoder())
        case "webp": CumulatingDecoder(WebPDecoder())
        default: nil
        }
    }
}

/// Bytes after a media part's end marker. Zero (or 0xFF) padding is common and carries
/// nothing; anything else is sniffed as a stream of its own named `after-end`, so an
/// archive or text appended to a picture is read, and unknown bytes are reported.
struct TrailingData {
    private var child: StreamDispatcher?
    private(set) var count = 0

    mutating func feed(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        count += bytes.count
        var bytes = bytes
        if child == nil {
            guard let first = bytes.firstIndex(where: { $0 != 0 && $0 != 0xFF }) else { return }
            bytes = UnsafeRawBufferPointer(rebasing: bytes[first...])
            child = stream.child(named: "after-end")
        }
        child?.feed(bytes)
    }

    mutating func finish() {
        child?.finish()
        child = nil
    }
}
