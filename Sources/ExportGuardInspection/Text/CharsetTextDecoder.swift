/// Converts text in another encoding (UTF-16/32, GB18030, Big5) to UTF-8 as it streams.
/// Invalid bytes become U+FFFD and are counted — they never stop the scan.
struct CharsetTextDecoder {
    let charset: String
    private let converter: (any CharsetConverter)?
    private var skipBOM: Bool

    init(charset: String, skipBOM: Bool) {
        self.charset = charset
        self.skipBOM = skipBOM
        self.converter = CharsetConverters.make(from: charset)
    }

    private mutating func convert(_ input: UnsafeRawBufferPointer, final: Bool, in stream: StreamDispatcher) {
        guard let converter else { return }
        let before = converter.replaced
        var skip = skipBOM
        converter.convert(input, final: final) { piece in
            var piece = piece
            // iconv keeps a BOM when the byte order is named (UTF-16LE): drop it once.
            if skip, piece.count > 0 {
                skip = false
                if piece.count >= 3, piece[0] == 0xEF, piece[1] == 0xBB, piece[2] == 0xBF {
                    piece = UnsafeRawBufferPointer(rebasing: piece[3...])
                }
            }
            stream.emitText(piece)
        }
        skipBOM = skip
        stream.session.stats.replacedSequences += converter.replaced - before
    }
}

extension CharsetTextDecoder: StreamDecoder {
    mutating func decode(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        guard converter != nil else {
            stream.stop(.unsupported("no converter for \(charset)"))
            return
        }
        stream.emitText(UnsafeRawBufferPointer(start: nil, count: 0))
        convert(bytes, final: false, in: stream)
    }

    mutating func finish(in stream: StreamDispatcher) {
        convert(UnsafeRawBufferPointer(start: nil, count: 0), final: true, in: stream)
    }
}
