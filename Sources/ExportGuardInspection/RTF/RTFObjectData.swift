/// The hex data of an embedded object (`\objdata`), decoded as it comes: an OLE 1.0
/// object header (version, format, class name, topic and item names, native size), then
/// the native data — for a Word or Excel object an OLE2 compound file, for a Package the
/// file itself — fed to a child stream, sniffed and read like any member. Data that has no
/// such header is fed whole.
struct RTFObjectData {
    private let child: StreamDispatcher
    private var high: UInt8?
    /// Header bytes until the native data starts.
    private var header: [UInt8] = []
    private var headerDone = false
    private var buffer: [UInt8] = []

    init(child: StreamDispatcher) {
        self.child = child
    }

    mutating func hexDigit(_ value: UInt8, in stream: StreamDispatcher) {
        guard let pending = high else {
            high = value
            return
        }
        high = nil
        let byte = pending << 4 | value
        if headerDone {
            buffer.append(byte)
            if buffer.count >= 16 * 1024 { flush() }
            return
        }
        header.append(byte)
        if let start = Self.nativeDataStart(header) {
            headerDone = true
            buffer = Array(header[start...])
            header = []
        } else if header.count > 4096 {
            // No OLE 1.0 header in reach: the bytes are the object.
            headerDone = true
            buffer = header
            header = []
        }
    }

    private mutating func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { child.feed($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func finish(in stream: StreamDispatcher) {
        if !headerDone {
            buffer = header
            header = []
        }
        flush()
        child.finish()
    }

    /// Where the native data starts after an OLE 1.0 `ObjectHeader` ([MS-OLEDS] 2.2.4):
    /// OLEVersion, FormatID (2 = embedded), three length-prefixed ANSI strings, then the
    /// native data size. Nil while the header is incomplete or when it is not one.
    static func nativeDataStart(_ bytes: [UInt8]) -> Int? {
        let reader = ByteReader(bytes: bytes)
        guard let format = try? reader.u32(4), format == 2 else { return nil }
        var offset = 8
        for _ in 0..<3 {
            guard let length = try? reader.u32(offset), length < 1024 else { return nil }
            offset += 4 + length
        }
        guard reader.contains(offset, length: 4) else { return nil }
        return offset + 4
    }
}
