import Glibc

/// Reads a JPEG stream segment by segment: markers, segment lengths, and the entropy-coded
/// data after each start of scan up to the next marker. Comments (`COM`), EXIF and XMP
/// (`APP1`) and IPTC captions (`APP13`) are read as metadata text. The part is whole
/// when the markers run in order from SOI to EOI.
struct JPEGDecoder: MediaFormat {
    static let name = "jpeg"
    private enum State {
        case start
        case marker
        /// Entropy-coded data of a scan, up to the next marker that is not a restart.
        case entropy
    }

    private var state = State.start
    private var segments = 0
    /// Extended XMP arrives in pieces across APP1 segments; it is gathered (bounded) and
    /// read as one stream before the scan data, so its text never interleaves with others.
    private var extendedXMP: [UInt8] = []
    static let maxExtendedXMP = 4 << 20

    var maxFrameBytes: Int { 65_540 }

    static let exifHeader = Array("Exif\0\0".utf8)
    static let xmpHeader = Array("http://ns.adobe.com/xap/1.0/\0".utf8)
    static let extendedXMPHeader = Array("http://ns.adobe.com/xmp/extension/\0".utf8)
    static let photoshopHeader = Array("Photoshop 3.0\0".utf8)

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> MediaStep {
        switch state {
        case .start:
            guard input.count >= 2 else { return .needMoreData }
            guard input[0] == 0xFF, input[1] == 0xD8 else { return .corrupt("no start of image") }
            state = .marker
            return .consumed(2)
        case .marker:
            guard input.count >= 2 else { return .needMoreData }
            guard input[0] == 0xFF else { return .corrupt("expected a marker after \(segments) segments") }
            let marker = input[1]
            switch marker {
            case 0xFF:
                return .consumed(1)  // fill byte
            case 0xD0...0xD7, 0x01:
                return .consumed(2)
            case 0xD9:
                return .ended(2)
            case 0x00, 0xD8:
                return .corrupt("unexpected marker 0x\(String(marker, radix: 16))")
            default:
                guard input.count >= 4 else { return .needMoreData }
                let length = input.field(at: 2, size: 2, bigEndian: true)
                guard length >= 2 else { return .corrupt("a segment shorter than its length field") }
                guard input.count >= 2 + length else { return .needMoreData }
                if marker == 0xDA { flushExtendedXMP(in: stream) }
                readSegment(marker, Array(input[4..<(2 + length)]), in: stream)
                segments += 1
                if marker == 0xDA { state = .entropy }
                return .consumed(2 + length)
            }
        case .entropy:
            guard let base = input.baseAddress else { return .needMoreData }
            var index = 0
            while true {
                guard let found = memchr(base + index, 0xFF, input.count - index) else { return .consumed(input.count) }
                let at = base.distance(to: UnsafeRawPointer(found))
                guard at + 1 < input.count else { return at > 0 ? .consumed(at) : .needMoreData }
                let next = input[at + 1]
                if next == 0x00 || (0xD0...0xD7).contains(next) {
                    index = at + 2
                    continue
                }
                if next == 0xFF {
                    index = at + 1
                    continue
                }
                state = .marker
                return at > 0 ? .consumed(at) : decode(input, in: stream)
            }
        }
    }

    var truncation: String { "truncated before the end of image" }

    mutating func flush(in stream: StreamDispatcher) {
        flushExtendedXMP(in: stream)
    }

    private mutating func readSegment(_ marker: UInt8, _ payload: [UInt8], in stream: StreamDispatcher) {
        switch marker {
        case 0xFE:
            stream.emitMetadata("COM", MetadataText.utf8(payload, encoding: .undeclared))
        case 0xE1 where payload.starts(with: Self.exifHeader):
            for field in EXIFReader.texts(Array(payload.dropFirst(Self.exifHeader.count))) {
                stream.emitMetadata("EXIF:\(field.name)", field.text)
            }
        case 0xE1 where payload.starts(with: Self.xmpHeader):
            let child = stream.child(named: "XMP")
            payload.dropFirst(Self.xmpHeader.count).withUnsafeBytes { child.feed($0) }
            child.finish()
        case 0xE1 where payload.starts(with: Self.extendedXMPHeader):
            // GUID (32), full length (4), offset (4), then this piece of the packet.
            let header = Self.extendedXMPHeader.count + 40
            guard payload.count > header else { return }
            guard extendedXMP.count + payload.count - header <= Self.maxExtendedXMP else {
                stream.uninspected(.limitExceeded("jpeg: extended XMP beyond \(Self.maxExtendedXMP >> 20) MiB"))
                return
            }
            extendedXMP += payload.dropFirst(header)
        case 0xED where payload.starts(with: Self.photoshopHeader):
            for (name, text) in Self.iptcTexts(Array(payload.dropFirst(Self.photoshopHeader.count))) {
                stream.emitMetadata("IPTC:\(name)", text)
            }
        case 0xE0...0xEF, 0xFE:
            // Other application segments: read when they hold text (JFIF, ICC profiles and
            // Adobe's segment are binary).
            if let text = MetadataText.probe(payload) { stream.emitMetadata("APP\(marker - 0xE0)", text) }
        default:
            break
        }
    }

    private mutating func flushExtendedXMP(in stream: StreamDispatcher) {
        guard !extendedXMP.isEmpty else { return }
        let child = stream.child(named: "XMP-extension")
        extendedXMP.withUnsafeBytes { child.feed($0) }
        child.finish()
        extendedXMP = []
    }

    /// IPTC-NAA datasets of record 2 (caption, headline, keywords …) inside Photoshop's
    /// `8BIM` resource 0x0404.
    static func iptcTexts(_ resources: [UInt8]) -> [(String, [UInt8])] {
        let reader = ByteReader(bytes: resources, bigEndian: true)
        var texts: [(String, [UInt8])] = []
        var offset = 0
        while (try? reader.string(offset..<(offset + 4))) == "8BIM", let id = try? reader.u16(offset + 4),
              let nameLength = try? reader.u8(offset + 6) {
            let sizeOffset = offset + 6 + ((1 + nameLength + 1) & ~1)
            guard let size = try? reader.u32(sizeOffset), let data = try? reader.slice((sizeOffset + 4)..<(sizeOffset + 4 + size)) else { break }
            if id == 0x0404 {
                let iptc = ByteReader(bytes: Array(data), bigEndian: true)
                var at = 0
                while (try? iptc.u8(at)) == 0x1C, let record = try? iptc.u8(at + 1), let dataset = try? iptc.u8(at + 2),
                      let length = try? iptc.u16(at + 3), let value = try? iptc.slice((at + 5)..<(at + 5 + length)) {
                    if record == 2, dataset != 0 { texts.append(("2:\(dataset)", MetadataText.utf8(value, encoding: .undeclared))) }
                    at += 5 + length
                }
            }
            offset = sizeOffset + 4 + ((size + 1) & ~1)
        }
        return texts
    }
}
