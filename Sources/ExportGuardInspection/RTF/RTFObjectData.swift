/// The data of an embedded object (`\objdata`), hex digits (or `\bin` bytes) decoded as they
/// come and held, up to a bound: an OLE 1.0 object header (version, format, class, topic
/// and item names, native size), then the native data — for a Word or Excel object an OLE2
/// compound file, for a Package the Packager's record of the dropped file, whose file is
/// taken out. The result is a child stream, sniffed and read like any member.
struct RTFObjectData {
    /// Bytes of one object held at most.
    static let maximumBytes = 64 << 20

    private let child: StreamDispatcher
    private var high: UInt8?
    private var bytes: [UInt8] = []
    private var tooLarge = false

    init(child: StreamDispatcher) {
        self.child = child
    }

    mutating func hexDigit(_ value: UInt8) {
        guard let pending = high else {
            high = value
            return
        }
        high = nil
        byte(pending << 4 | value)
    }

    /// A byte of the object (from `\bin`, or two hex digits).
    mutating func byte(_ value: UInt8) {
        guard !tooLarge else { return }
        guard bytes.count < Self.maximumBytes else {
            tooLarge = true
            bytes = []
            return
        }
        bytes.append(value)
    }

    func finish() {
        if tooLarge {
            child.uninspected(.limitExceeded("an embedded object of more than \(Self.maximumBytes >> 20) MiB"))
            child.finish()
            return
        }
        var data = bytes
        if let start = Self.nativeDataStart(bytes) {
            data = Array(bytes[start...])
            if let package = OLE1Package.file(in: data) { data = package.data }
        }
        data.withUnsafeBytes { child.feed($0) }
        child.finish()
    }

    /// Where the native data starts after an OLE 1.0 `ObjectHeader` ([MS-OLEDS] 2.2.4):
    /// OLEVersion, FormatID (2 = embedded), three length-prefixed ANSI strings, then the
    /// native data size. Nil when the bytes do not start with one.
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
