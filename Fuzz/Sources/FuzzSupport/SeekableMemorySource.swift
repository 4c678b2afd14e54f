import ExportGuardInspection

/// Bytes in memory read as a file: in order, or at any offset.
struct SeekableMemorySource: RandomAccessByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var randomAccessSize: Int? { bytes.count }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InspectionError) -> Int {
        let count = try read(at: offset, into: buffer)
        offset += count
        return count
    }

    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(InspectionError) -> Int {
        guard offset >= 0, offset < bytes.count else { return 0 }
        let count = min(buffer.count, bytes.count - offset)
        bytes.withUnsafeBytes { all in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[offset..<(offset + count)]))
        }
        return count
    }
}
