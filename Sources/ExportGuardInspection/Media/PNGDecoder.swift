/// Reads a PNG stream chunk by chunk: length, type, data and CRC-32, each CRC checked.
/// Text chunks (`tEXt`, `zTXt`, `iTXt`) and EXIF (`eXIf`) are read as metadata text;
/// image data is only checksummed as it passes. The part is whole when `IHDR` came first,
/// `IEND` last and every CRC matched.
struct PNGDecoder: MediaFormat {
    static let name = "png"
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Text, EXIF and unknown chunks up to this size are read whole; a larger text or
    /// unknown chunk is reported as over a limit (image data streams through).
    static let maxMetadataChunk = 1 << 20
    /// Compressed text is inflated up to this size.
    static let maxInflatedText = 16 << 20
    /// Chunks whose content is image data or fixed-format numbers, never text.
    static let imageChunks: Set<String> = [
        "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "cHRM", "gAMA", "iCCP", "sBIT", "sRGB", "bKGD", "hIST", "pHYs",
        "sPLT", "tIME", "acTL", "fcTL", "fdAT", "cICP", "mDCv", "cLLi", "oFFs", "pCAL", "sCAL", "sTER", "iDOT", "vpAg",
    ]

    private enum State {
        case signature
        case chunkHeader
        /// Data of a chunk not read for text, passed through the CRC.
        case chunkData(remaining: Int)
        case chunkCRC
    }

    private var state = State.signature
    private var type = ""
    private var crc = CRC32()
    private var chunks = 0

    var maxFrameBytes: Int { Self.maxMetadataChunk + 12 }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> MediaStep {
        switch state {
        case .signature:
            guard input.count >= 8 else { return .needMoreData }
            guard input.prefix(8).elementsEqual(Self.signature) else { return .corrupt("bad signature") }
            state = .chunkHeader
            return .consumed(8)
        case .chunkHeader:
            guard input.count >= 8 else { return .needMoreData }
            let length = input.field(at: 0, size: 4, bigEndian: true)
            let typeBytes = input[4..<8]
            guard length < 0x8000_0000, typeBytes.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) else {
                return .corrupt("bad chunk header after \(chunks) chunks")
            }
            type = String(decoding: typeBytes, as: UTF8.self)
            if chunks == 0 && type != "IHDR" { return .corrupt("the first chunk is \(type), not IHDR") }
            let isImageData = Self.imageChunks.contains(type)
            if !isImageData && length > Self.maxMetadataChunk {
                stream.uninspected(.limitExceeded("png: a \(type) chunk of \(length) bytes (text and unknown chunks are read up to \(Self.maxMetadataChunk >> 20) MiB)"))
            }
            if !isImageData && length <= Self.maxMetadataChunk {
                // The whole chunk at once: header, data and CRC.
                guard input.count >= 12 + length else { return .needMoreData }
                var check = CRC32()
                check.update(UnsafeRawBufferPointer(rebasing: input[4..<(8 + length)]))
                guard input.field(at: 8 + length, size: 4, bigEndian: true) == Int(check.value) else {
                    return .corrupt("CRC of the \(type) chunk does not match")
                }
                readMetadata(Array(input[8..<(8 + length)]), in: stream)
                chunks += 1
                return .consumed(12 + length)
            }
            crc = CRC32()
            crc.update(UnsafeRawBufferPointer(rebasing: input[4..<8]))
            state = length > 0 ? .chunkData(remaining: length) : .chunkCRC
            return .consumed(8)
        case .chunkData(let remaining):
            let take = min(remaining, input.count)
            crc.update(UnsafeRawBufferPointer(rebasing: input[0..<take]))
            state = take == remaining ? .chunkCRC : .chunkData(remaining: remaining - take)
            return .consumed(take)
        case .chunkCRC:
            guard input.count >= 4 else { return .needMoreData }
            guard input.field(at: 0, size: 4, bigEndian: true) == Int(crc.value) else { return .corrupt("CRC of the \(type) chunk does not match") }
            chunks += 1
            if type == "IEND" { return .ended(4) }
            state = .chunkHeader
            return .consumed(4)
        }
    }

    var truncation: String { "truncated in the \(chunks == 0 ? "header" : type + " chunk")" }


    /// Text chunks: `keyword NUL text` (tEXt, Latin-1); `keyword NUL method zlib-text`
    /// (zTXt); `keyword NUL flag method language NUL translated-keyword NUL text` (iTXt, UTF-8,
    /// maybe compressed). The keyword names the part: `#iTXt:Comment`.
    private func readMetadata(_ data: [UInt8], in stream: StreamDispatcher) {
        if type == "eXIf" {
            for field in EXIFReader.texts(data) { stream.emitMetadata("eXIf:\(field.name)", field.text) }
            return
        }
        guard ["tEXt", "zTXt", "iTXt"].contains(type) else {
            // A private or unknown chunk: read when it holds text.
            if let text = MetadataText.probe(data) { stream.emitMetadata(type, text) }
            return
        }
        guard let keywordEnd = data.firstIndex(of: 0) else {
            stream.uninspected(.corrupt("png: a \(type) chunk without a keyword"))
            return
        }
        let keyword = String(decoding: MetadataText.utf8(data[..<keywordEnd], encoding: .latin1), as: UTF8.self)
        let label = "\(type):\(keyword)"
        let rest = data[(keywordEnd + 1)...]
        switch type {
        case "tEXt":
            // Latin-1 by the standard, but writers (ImageMagick among them) put UTF-8 there.
            stream.emitMetadata(label, MetadataText.utf8(rest, encoding: .undeclared))
        case "zTXt":
            guard rest.first == 0 else {
                stream.uninspected(.unsupported("png: the \(label) chunk's compression method \(rest.first ?? 0)"))
                return
            }
            guard let text = inflate(rest.dropFirst(), label: label, in: stream) else { return }
            stream.emitMetadata(label, MetadataText.utf8(text, encoding: .undeclared))
        default:
            guard rest.count >= 2 else { return corrupt(label, in: stream) }
            let compressed = rest[rest.startIndex] == 1
            let afterFlags = rest.dropFirst(2)
            guard let languageEnd = afterFlags.firstIndex(of: 0),
                  let translatedEnd = afterFlags[(languageEnd + 1)...].firstIndex(of: 0) else { return corrupt(label, in: stream) }
            let translated = Array(afterFlags[(languageEnd + 1)..<translatedEnd])
            var text = Array(afterFlags[(translatedEnd + 1)...])
            if compressed {
                guard let inflated = inflate(text[...], label: label, in: stream) else { return }
                text = inflated
            }
            if keyword == "XML:com.adobe.xmp" {
                // An XMP packet: XML, read by the XML decoder (character references and all).
                let child = stream.child(named: "XMP")
                text.withUnsafeBytes { child.feed($0) }
                child.finish()
                return
            }
            stream.emitMetadata(label, (translated.isEmpty ? [] : translated + [0x0A]) + MetadataText.utf8(text, encoding: .undeclared))
        }
    }

    private func corrupt(_ label: String, in stream: StreamDispatcher) {
        stream.uninspected(.corrupt("png: the \(label) chunk is malformed"))
    }

    /// Inflates a zlib stream, up to the input's unpacking budget.
    private func inflate(_ data: ArraySlice<UInt8>, label: String, in stream: StreamDispatcher) -> [UInt8]? {
        let inflater = InflateStream(.gzipOrZlib)
        var out: [UInt8] = []
        var withinBudget = true
        let outcome = Array(data).withUnsafeBytes { input in
            inflater.decompress(input) { piece in
                guard out.count + piece.count <= Self.maxInflatedText else {
                    stream.uninspected(.limitExceeded("png: the compressed text of \(label) inflates beyond \(Self.maxInflatedText >> 20) MiB"))
                    withinBudget = false
                    return false
                }
                guard stream.charge(piece.count) else {
                    withinBudget = false
                    return false
                }
                out.append(contentsOf: piece)
                return true
            }
        }
        guard withinBudget else { return nil }
        guard case .streamEnd = outcome else {
            stream.uninspected(.corrupt("png: the compressed text of \(label) is damaged"))
            return nil
        }
        return out
    }
}
