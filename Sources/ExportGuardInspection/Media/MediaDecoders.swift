/// The decoders for media formats, chosen by the sniffed format. Each checks its format's
/// structure as it streams (chunks and checksums, segments, blocks), reads the text in its
/// metadata, reports a whole part with ``StreamDispatcher/reportMedia(format:bytes:)`` and
/// a damaged one as corrupt, and hands bytes after the format's end to a stream of their own.
enum MediaDecoders {
    static func make(_ format: String) -> (any StreamDecoder)? {
        switch format {
        case "png": CumulatingDecoder(MediaDecoder(PNGDecoder()))
        case "jpeg": CumulatingDecoder(MediaDecoder(JPEGDecoder()))
        case "gif": CumulatingDecoder(MediaDecoder(GIFDecoder()))
        case "bmp": CumulatingDecoder(MediaDecoder(BMPDecoder()))
        case "webp": CumulatingDecoder(MediaDecoder(RIFFDecoder<WebPForm>()))
        case "wav": CumulatingDecoder(MediaDecoder(RIFFDecoder<WAVEForm>()))
        case "svm": CumulatingDecoder(MediaDecoder(SVMDecoder()))
        case "mp4": CumulatingDecoder(MediaDecoder(MP4Decoder()))
        case "mp3": CumulatingDecoder(MediaDecoder(MP3Decoder()))
        case "font": BoundedWholeDecoder(FontDecoder())
        case "obfuscated-font": BoundedWholeDecoder(ObfuscatedFontDecoder())
        case "pkcs7": BoundedWholeDecoder(CMSDecoder())
        case "asn1": BoundedWholeDecoder(ASN1Decoder())
        case "emf": CumulatingDecoder(MediaDecoder(EMFDecoder()))
        case "wmf": CumulatingDecoder(MediaDecoder(WMFDecoder()))
        case "tiff": BoundedWholeDecoder(TIFFDecoder())
        default: nil
        }
    }
}

/// Bytes after a media part's end marker. Zero (or 0xFF) padding is common and carries
/// nothing, and so do a few stray bytes (writers leave some); anything else is sniffed as a
/// stream of its own named `after-end`, so an archive or text appended to a picture is
/// read, and unknown bytes are reported.
struct TrailingData {
    /// Up to this many bytes after the end are junk unless they read as text.
    static let strayBytes = 16

    private var child: StreamDispatcher?
    private var held: [UInt8] = []

    mutating func feed(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        var bytes = bytes
        if child == nil {
            if held.isEmpty {
                guard let first = bytes.firstIndex(where: { $0 != 0 && $0 != 0xFF }) else { return }
                bytes = UnsafeRawBufferPointer(rebasing: bytes[first...])
            }
            held.append(contentsOf: bytes)
            guard held.count > Self.strayBytes else { return }
            open(in: stream)
            return
        }
        child?.feed(bytes)
    }

    mutating func finish(in stream: StreamDispatcher) {
        if child == nil, held.count >= 2, MetadataText.isReadable(held) {
            // So few bytes say nothing of their charset: read as the Chinese charset their
            // pairs fit when they are not UTF-8 (text hidden here is found), not doubted.
            let charset = held.withUnsafeBytes { UTF8Validator.looksLikeText($0) ? nil : ContentKind.legacyChineseCharset($0) }
            open(in: stream, charset: charset)
        }
        child?.finish()
        child = nil
    }

    private mutating func open(in stream: StreamDispatcher, charset: String? = nil) {
        let created = stream.child(named: "after-end", charset: charset)
        held.withUnsafeBytes { created.feed($0) }
        held = []
        child = created
    }
}
