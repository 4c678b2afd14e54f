/// A 7z archive met inside a stream (a zip entry, a mail attachment, standard input): 7z
/// keeps its header at its end, so the archive is held in memory, up to a bound, and read
/// from there. A 7z file on disk is read in place instead (``SevenZipReader``).
struct SevenZipInStream: WholeFormat {
    static let maximumBytes = 32 << 20
    static let partName = "a 7z archive inside a stream (held whole to be read: its header is at its end)"

    func read(_ bytes: [UInt8], in stream: StreamDispatcher) {
        let source = HeldBytesSource(bytes)
        // Bytes in memory cannot fail to read.
        guard let reader = try? SevenZipReader(source: source, size: bytes.count, limits: stream.session.limits) else {
            stream.uninspected(.corrupt("7z: no signature"))
            return
        }
        try? reader.read(into: stream)
    }
}

/// Bytes in memory, read at any offset.
struct HeldBytesSource: RandomAccessByteSource {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var randomAccessSize: Int? { bytes.count }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InspectionError) -> Int {
        let count = try read(at: position, into: buffer)
        position += count
        return count
    }

    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(InspectionError) -> Int {
        let count = min(buffer.count, max(bytes.count - offset, 0))
        guard count > 0, offset >= 0 else { return 0 }
        bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + count)])) }
        return count
    }
}
