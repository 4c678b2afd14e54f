/// Reads a GIF stream block by block: header, logical screen descriptor and colour
/// tables, images (descriptor, LZW data in sub-blocks) and extensions, to the trailer.
/// Comment and plain-text extensions are read as metadata text, and XMP in an application
/// extension as a stream of its own. The part is whole when the trailer (`;`) is reached.
struct GIFDecoder: MediaFormat {
    static let name = "gif"
    private enum State {
        case header
        case block
        /// The sub-blocks of an image or extension; `text` collects those read as text.
        case subBlocks(Purpose)
    }

    private enum Purpose: Equatable {
        case skip
        case comment
        case plainText(headerSkipped: Bool)
        case xmp
        /// The first sub-block of an application extension names the application.
        case applicationIdentifier
        /// An application or unknown extension: read when it holds text.
        case probe(String)
    }

    private var state = State.header
    private var text: [UInt8] = []
    /// XMP gathered from its sub-blocks (bounded), read once the extension ends.
    private var xmp: [UInt8] = []
    private var xmpTooLarge = false
    private var blocks = 0

    var maxFrameBytes: Int { 800 }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> MediaStep {
        switch state {
        case .header:
            guard input.count >= 13 else { return .needMoreData }
            guard input.prefix(6).elementsEqual(Array("GIF87a".utf8)) || input.prefix(6).elementsEqual(Array("GIF89a".utf8)) else {
                return .corrupt("bad signature")
            }
            let flags = input[10]
            let table = flags & 0x80 != 0 ? 3 << (Int(flags & 0x07) + 1) : 0
            guard input.count >= 13 + table else { return .needMoreData }
            state = .block
            return .consumed(13 + table)
        case .block:
            switch input[0] {
            case 0x2C:
                guard input.count >= 11 else { return .needMoreData }
                let flags = input[9]
                let table = flags & 0x80 != 0 ? 3 << (Int(flags & 0x07) + 1) : 0
                // Descriptor (10), local colour table, LZW minimum code size (1).
                guard input.count >= 11 + table else { return .needMoreData }
                blocks += 1
                state = .subBlocks(.skip)
                return .consumed(11 + table)
            case 0x21:
                guard input.count >= 2 else { return .needMoreData }
                blocks += 1
                switch input[1] {
                case 0xFE: state = .subBlocks(.comment)
                case 0x01: state = .subBlocks(.plainText(headerSkipped: false))
                case 0xFF: state = .subBlocks(.applicationIdentifier)
                case 0xF9: state = .subBlocks(.skip)  // graphic control: fixed binary fields
                case let label: state = .subBlocks(.probe("extension-\(String(label, radix: 16))"))
                }
                return .consumed(2)
            case 0x3B:
                return .ended(1)
            default:
                return .corrupt("unexpected block 0x\(String(input[0], radix: 16)) after \(blocks) blocks")
            }
        case .subBlocks(let purpose):
            let size = Int(input[0])
            guard input.count >= 1 + size else { return .needMoreData }
            let data = input[1..<(1 + size)]
            if size == 0 {
                endSubBlocks(purpose, in: stream)
                state = .block
                return .consumed(1)
            }
            switch purpose {
            case .skip: break
            case .comment: appendText(data, purpose, in: stream)
            case .plainText(let headerSkipped):
                // The first sub-block is the text grid's 12-byte header.
                if headerSkipped { appendText(data, purpose, in: stream) } else { state = .subBlocks(.plainText(headerSkipped: true)) }
            case .applicationIdentifier:
                let isXMP = data.elementsEqual(Array("XMP DataXMP".utf8))
                let name = String(decoding: data.prefix(8).filter { $0 >= 0x20 && $0 < 0x7F }, as: UTF8.self)
                state = .subBlocks(isXMP ? .xmp : .probe("application:\(name)"))
            case .xmp:
                // XMP is stored raw: the length bytes are part of the packet.
                if xmpTooLarge || xmp.count + 1 + size > Self.maxCollected {
                    if !xmpTooLarge { stream.uninspected(.limitExceeded("gif: XMP beyond \(Self.maxCollected >> 20) MiB")) }
                    xmpTooLarge = true
                    xmp = []
                } else {
                    xmp.append(contentsOf: input[0..<(1 + size)])
                }
            case .probe:
                appendText(data, purpose, in: stream)
            }
            return .consumed(1 + size)
        }
    }

    /// Collects text sub-blocks, handing them on every megabyte so memory stays bounded.
    private mutating func appendText(_ data: UnsafeRawBufferPointer.SubSequence, _ purpose: Purpose, in stream: StreamDispatcher) {
        text.append(contentsOf: data)
        if text.count >= 1 << 20 { endSubBlocks(purpose, in: stream) }
    }

    private mutating func endSubBlocks(_ purpose: Purpose, in stream: StreamDispatcher) {
        switch purpose {
        case .comment: stream.emitMetadata("comment", MetadataText.utf8(text, encoding: .undeclared))
        case .plainText: stream.emitMetadata("plain-text", MetadataText.utf8(text, encoding: .undeclared))
        case .xmp:
            readXMP(in: stream)
        case .probe(let label):
            if let readable = MetadataText.probe(text) { stream.emitMetadata(label, readable) }
        default: break
        }
        text.removeAll()
    }

    /// Collected sub-blocks are kept up to this size.
    static let maxCollected = 1 << 20

    /// Reads the gathered XMP packet up to its end (`<?xpacket end=…?>`): after it comes the
    /// "magic trailer" that makes the raw packet parse as sub-blocks, which is not XML.
    private mutating func readXMP(in stream: StreamDispatcher) {
        defer {
            xmp = []
            xmpTooLarge = false
        }
        guard !xmpTooLarge else { return }
        var packet = xmp[...]
        if let at = xmp.firstRange(of: Array("<?xpacket end".utf8)), let close = xmp[at.upperBound...].firstRange(of: Array("?>".utf8)) {
            packet = xmp[..<close.upperBound]
        }
        let child = stream.child(named: "XMP")
        packet.withUnsafeBytes { child.feed($0) }
        child.finish()
    }

    var truncation: String { "truncated before the trailer" }
}
