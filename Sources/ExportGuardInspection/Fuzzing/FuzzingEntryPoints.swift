// Entry points for the libFuzzer targets in `Fuzz/`, which import this module with
// `@_spi(Fuzzing)`. They are not API: they let a focused target reach one decoder
// without the sniffing in front of it, so its mutations are not spent on magic numbers.

/// A decoder a fuzz target forces on the top-level stream.
@_spi(Fuzzing) public enum ForcedFormat: Sendable, Hashable {
    case zip, tar, ar, cpio, sevenZip, pdf, compoundFile, rtf, xml, mail, html
    case gzip, xz, lzma, bzip2, zstd
    /// Text in a charset iconv knows (`GB18030`, `BIG5`, `UTF-16LE` …).
    case charset(String)

    var kind: ContentKind {
        switch self {
        case .zip: .zip
        case .tar: .tar
        case .ar: .ar
        case .cpio: .cpio
        case .sevenZip: .sevenZip
        case .pdf: .pdf
        case .compoundFile: .compoundFile
        case .rtf: .rtf
        case .gzip: .compressed(.gzip)
        case .xz: .compressed(.xz)
        case .lzma: .compressed(.lzma)
        case .bzip2: .compressed(.bzip2)
        case .zstd: .compressed(.zstd)
        case .xml: .xml
        case .mail: .mail
        case .html: .html
        case .charset(let name): .legacyText(DetectedCharset(name))
        }
    }
}

@_spi(Fuzzing) extension Inspector {
    /// Inspects one input as `format`, without sniffing it; members of containers are still
    /// sniffed. A zip read from a random-access source goes through its central directory.
    public func inspect(_ source: inout some ByteSource, name: String, as format: ForcedFormat, into sink: some InspectionSink) throws(InspectionError) -> InspectionStats {
        try inspect(&source, name: name, kind: format.kind, into: sink, drain: false)
    }
}

/// The mail transfer decoders, fed `input` in pieces of `pieceSize` bytes.
@_spi(Fuzzing) public enum TransferDecoding {
    /// Base64 as a MIME part's body is decoded: the bytes, and why the input is malformed.
    public static func base64(_ input: [UInt8], pieceSize: Int) -> (bytes: [UInt8], error: String?) {
        var decoder = Base64StreamDecoder()
        var output: [UInt8] = []
        forEachPiece(of: input, size: pieceSize) { decoder.decode($0, into: &output) }
        decoder.finish(into: &output)
        return (output, decoder.error)
    }

    /// Quoted-printable as a MIME part's body is decoded: the bytes and the escapes kept as text.
    public static func quotedPrintable(_ input: [UInt8], pieceSize: Int) -> (bytes: [UInt8], malformedEscapes: Int) {
        var decoder = QuotedPrintableStreamDecoder()
        var output: [UInt8] = []
        forEachPiece(of: input, size: pieceSize) { decoder.decode($0, into: &output) }
        decoder.finish(into: &output)
        return (output, decoder.malformedEscapes)
    }

    /// The RFC 2047 encoded words of a header value, decoded.
    public static func headerValue(_ input: [UInt8]) -> String {
        EncodedWordDecoder.decode(input)
    }

    private static func forEachPiece(of input: [UInt8], size: Int, _ body: (UnsafeRawBufferPointer) -> Void) {
        input.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let end = min(offset + max(size, 1), all.count)
                body(UnsafeRawBufferPointer(rebasing: all[offset..<end]))
                offset = end
            }
        }
    }
}
