/// Where an input's bytes come from, read in order in chunks.
public protocol ByteSource {
    /// Reads up to `buffer.count` bytes; returns 0 at the end of the input.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InspectionError) -> Int
}
