import ExportGuardCore

/// Reads a Unix `ar` archive as it streams — Debian packages (`.deb`: `debian-binary`,
/// `control.tar.*`, `data.tar.*`) and static libraries — and dispatches each member as a
/// child stream, so a `.deb`'s `data.tar.xz` opens in turn. Long names: GNU's `//` table
/// and `/N` references, BSD's `#1/N` (the name leads the member's data).
struct ArDecoder {
    private enum State {
        case magic
        case header
        /// GNU's table of long names, read whole.
        case nameTable(length: Int, padding: Int)
        /// A BSD long name at the start of the member's data.
        case bsdName(length: Int, size: Int, padding: Int)
        case data(MemberData)
    }

    private var state = State.magic
    private var longNames: [UInt8] = []
    private var child: StreamDispatcher?
    private var members = 0

    static let magic = Array("!<arch>\n".utf8)
    /// A long-name table longer than this is not one.
    static let maxNameTable = 1 << 20

    init() {}

    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        head.count >= magic.count && head.prefix(magic.count).elementsEqual(magic)
    }
}

extension ArDecoder: FrameDecoder {
    var maxFrameBytes: Int { Self.maxNameTable + 60 }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> DecodingStep {
        switch state {
        case .magic:
            guard input.count >= 8 else { return .needMoreData }
            state = .header
            return .consumed(8)
        case .header:
            guard input.count >= 60 else { return .needMoreData }
            readHeader(Array(input[0..<60]), in: stream)
            return .consumed(60)
        case .nameTable(let length, let padding):
            guard input.count >= length + padding else { return .needMoreData }
            longNames = Array(input[0..<length])
            state = .header
            return .consumed(length + padding)
        case .bsdName(let length, let size, let padding):
            guard input.count >= length else { return .needMoreData }
            let raw = input[0..<length]
            let name = String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            begin(named: name, size: size - length, padding: padding, in: stream)
            return .consumed(length)
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
        }
    }

    mutating func finish(unconsumed: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        let open = child
        child = nil
        open?.finish()
        guard !stream.isStopped else { return }
        switch state {
        case .header where unconsumed.isEmpty:
            break
        default:
            stream.uninspected(.corrupt("ar: archive is truncated"))
        }
    }

    private mutating func readHeader(_ header: [UInt8], in stream: StreamDispatcher) {
        guard header[58] == 0x60, header[59] == 0x0A,
              let size = Int(String(decoding: header[48..<58], as: UTF8.self).trimmingSpaces()),
              size >= 0, size <= TarHeader.maxSize else {
            stream.stop(.corrupt("ar: a member header that cannot be read after \(members) members"))
            return
        }
        let padding = size % 2
        let rawName = String(decoding: header[0..<16], as: UTF8.self).trimmingSpaces()
        if rawName == "//" {
            guard size <= Self.maxNameTable else {
                stream.stop(.corrupt("ar: a long-name table of \(size) bytes"))
                return
            }
            state = .nameTable(length: size, padding: padding)
            return
        }
        if rawName == "/" || rawName == "/SYM64/" || rawName == "__.SYMDEF" || rawName == "__.SYMDEF SORTED" {
            // The symbol index of a static library: no content of its own.
            state = size + padding > 0 ? .data(MemberData(remaining: 0, padding: size + padding)) : .header
            return
        }
        if rawName.hasPrefix("#1/"), let length = Int(rawName.dropFirst(3)), length >= 0, length <= min(size, 4096) {
            state = .bsdName(length: length, size: size, padding: padding)
            return
        }
        var name = rawName
        if rawName.hasPrefix("/"), let offset = Int(rawName.dropFirst()), offset >= 0, offset < longNames.count {
            let end = longNames[offset...].firstIndex(of: 0x0A) ?? longNames.endIndex
            name = String(decoding: longNames[offset..<end], as: UTF8.self)
        }
        if name.hasSuffix("/") { name.removeLast() }
        begin(named: name, size: size, padding: padding, in: stream)
    }

    private mutating func begin(named name: String, size: Int, padding: Int, in stream: StreamDispatcher) {
        members += 1
        guard members <= stream.session.limits.maxEntries else {
            stream.stop(.limitExceeded("more than \(stream.session.limits.maxEntries) members in an ar archive"))
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
