/// Bytes in memory read as a file: in order, or at any offset (a 7z held whole; tests and
/// fuzz targets that need a zip read through its central directory).
public struct SeekableMemorySource: RandomAccessByteSource {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var randomAccessSize: Int? { bytes.count }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InspectionError) -> Int {
        let count = try read(at: position, into: buffer)
        position += count
        return count
    }

    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(InspectionError) -> Int {
        guard offset >= 0, offset < bytes.count else { return 0 }
        let count = min(buffer.count, bytes.count - offset)
        bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + count)])) }
        return count
    }
}
