/// A source that can also be read at any offset (a regular file), so containers whose
/// directory is at the end (zip) can be read through it.
public protocol RandomAccessByteSource: ByteSource {
    /// The size in bytes when the source is seekable now (a regular file), else nil.
    var randomAccessSize: Int? { get }
    /// Reads up to `buffer.count` bytes at `offset`; returns 0 at the end.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(InspectionError) -> Int
}

extension RandomAccessByteSource {
    /// Up to `count` bytes at `offset`, fewer when the source ends first: for headers and
    /// directories, which are small and read whole.
    func bytes(at offset: Int, count: Int) throws(InspectionError) -> [UInt8] {
        guard count > 0, offset >= 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                Result { () throws(InspectionError) -> Int in
                    try read(at: offset + filled, into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                }
            }
            let n = try result.get()
            if n == 0 { break }
            filled += n
        }
        return Array(bytes[0..<filled])
    }
}
