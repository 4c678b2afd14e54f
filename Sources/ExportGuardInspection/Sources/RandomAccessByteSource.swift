/// A source that can also be read at any offset (a regular file), so containers whose
/// directory is at the end (zip) can be read through it.
public protocol RandomAccessByteSource: ByteSource {
    /// The size in bytes when the source is seekable now (a regular file), else nil.
    var randomAccessSize: Int? { get }
    /// Reads up to `buffer.count` bytes at `offset`; returns 0 at the end.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(InspectionError) -> Int
}
