/// Reads a cpio archive as it streams — the "newc" format of initramfs images and RPM
/// payloads (`070701`, and `070702` with checksums) and the portable "odc" format
/// (`070707`) — and dispatches each regular file as a child stream, up to the
/// `TRAILER!!!` entry. The old binary format is reported unsupported.
struct CpioDecoder {
    private enum State {
        case header
        /// The name after a header (with newc's padding to four bytes).
        case name(length: Int, padding: Int, size: Int, dataPadding: Int, regular: Bool)
        case data(MemberData)
        case end
    }

    private var state = State.header
    private var child: StreamDispatcher?
    private var entries = 0
    private var trailer = TrailingData()

    static let newc = Array("070701".utf8), newcCRC = Array("070702".utf8), odc = Array("070707".utf8)
    /// Longest file name taken.
    static let maxName = 4096

    init() {}

    /// The magic and a whole header of digits (hex for newc, octal for odc): text that
    /// merely starts with the magic is not taken for an archive.
    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        if head.count >= 110, head.prefix(6).elementsEqual(newc) || head.prefix(6).elementsEqual(newcCRC) {
            return head[6..<110].allSatisfy { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) }
        }
        if head.count >= 76, head.prefix(6).elementsEqual(odc) {
            return head[6..<76].allSatisfy { (0x30...0x37).contains($0) }
        }
        return false
    }

    /// The old binary format's magic (070707 in a 16-bit word, either byte order).
    static func recognisesBinary(_ head: UnsafeRawBufferPointer) -> Bool {
        head.count >= 26 && ((head[0] == 0xC7 && head[1] == 0x71) || (head[0] == 0x71 && head[1] == 0xC7))
    }
}

extension CpioDecoder: FrameDecoder {
    var maxFrameBytes: Int { Self.maxName + 112 }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> DecodingStep {
        switch state {
        case .header:
            guard input.count >= 6 else { return .needMoreData }
            let odc = input.prefix(6).elementsEqual(Self.odc)
            let length = odc ? 76 : 110
            guard input.count >= length else { return .needMoreData }
            readHeader(Array(input[0..<length]), odc: odc, in: stream)
            return .consumed(length)
        case .name(let length, let padding, let size, let dataPadding, let regular):
            guard input.count >= length + padding else { return .needMoreData }
            let name = String(decoding: input[0..<length].prefix { $0 != 0 }, as: UTF8.self)
            begin(named: name, size: size, padding: dataPadding, regular: regular, in: stream)
            return .consumed(length + padding)
        case .data(var data):
            let used = data.take(input) { child?.feed($0) }
            if data.isDone {
                child?.finish()
                child = nil
                state = .header
            } else {
                state = .data(data)
            }
            return .consumed(used)
        case .end:
            // After the trailer: padding to a block, or another archive (initramfs images
            // are several cpio archives one after another).
            trailer.feed(input, in: stream)
            return .consumed(input.count)
        }
    }

    mutating func finish(unconsumed: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        let open = child
        child = nil
        open?.finish()
        trailer.finish(in: stream)
        guard !stream.isStopped else { return }
        if case .end = state { return }
        stream.uninspected(.corrupt("cpio: archive is truncated (no TRAILER!!! entry)"))
    }

    private mutating func readHeader(_ header: [UInt8], odc: Bool, in stream: StreamDispatcher) {
        guard header.starts(with: Self.newc) || header.starts(with: Self.newcCRC) || odc else {
            stream.stop(.corrupt("cpio: unexpected bytes after \(entries) entries"))
            return
        }
        // newc: 13 hex fields of 8 after the magic; odc: octal fields of 6 (11 for the size).
        func field(_ start: Int, _ length: Int, radix: Int) -> Int? {
            Int(String(decoding: header[start..<(start + length)], as: UTF8.self), radix: radix)
        }
        let mode = odc ? field(18, 6, radix: 8) : field(14, 8, radix: 16)
        let nameSize = odc ? field(59, 6, radix: 8) : field(94, 8, radix: 16)
        let fileSize = odc ? field(65, 11, radix: 8) : field(54, 8, radix: 16)
        guard let mode, let nameSize, let fileSize, nameSize > 0, nameSize <= Self.maxName, fileSize <= TarHeader.maxSize else {
            stream.stop(.corrupt("cpio: a header that cannot be read after \(entries) entries"))
            return
        }
        // newc pads header + name, and the data, to multiples of four.
        let namePadding = odc ? 0 : (4 - (110 + nameSize) % 4) % 4
        let dataPadding = odc ? 0 : (4 - fileSize % 4) % 4
        let regular = mode & 0o170000 == 0o100000
        state = .name(length: nameSize, padding: namePadding, size: fileSize, dataPadding: dataPadding, regular: regular)
    }

    private mutating func begin(named name: String, size: Int, padding: Int, regular: Bool, in stream: StreamDispatcher) {
        if name == "TRAILER!!!" {
            state = .end
            return
        }
        guard regular else {
            // Directories, links (their target is the data), devices: nothing to read.
            state = size + padding > 0 ? .data(MemberData(remaining: 0, padding: size + padding)) : .header
            return
        }
        entries += 1
        guard entries <= stream.session.limits.maxEntries else {
            stream.stop(.limitExceeded("more than \(stream.session.limits.maxEntries) entries in a cpio archive"))
            return
        }
        child = stream.child(named: name)
        if size == 0 {
            child?.finish()
            child = nil
        }
        state = size + padding > 0 ? .data(MemberData(remaining: size, padding: padding)) : .header
    }
}
