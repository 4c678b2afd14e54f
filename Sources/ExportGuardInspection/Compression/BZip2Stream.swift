import CBZip2

/// bzip2, decoded by libbz2: one stream (`BZh…`) is one member; each block's CRC and the
/// stream's combined CRC are verified.
final class BZip2Stream: Decompressor {
    private let stream: UnsafeMutablePointer<bz_stream>
    private let output: UnsafeMutableRawBufferPointer
    private var initialised = false
    private(set) var consumed = 0
    private(set) var produced = 0

    init(outputSize: Int = 64 * 1024) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: bz_stream())
        output = .allocate(byteCount: outputSize, alignment: 16)
        initialised = BZ2_bzDecompressInit(stream, 0, 0) == BZ_OK
    }

    deinit {
        if initialised { BZ2_bzDecompressEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    func reset() {
        if initialised { BZ2_bzDecompressEnd(stream) }
        stream.pointee = bz_stream()
        initialised = BZ2_bzDecompressInit(stream, 0, 0) == BZ_OK
        consumed = 0
        produced = 0
    }

    func decompress(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) -> Bool) -> DecompressionOutcome {
        guard initialised else { return .limitExceeded("bzip2: cannot start the decoder") }
        guard input.count > 0 else { return .needsInput }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: CChar.self))
        stream.pointee.avail_in = UInt32(input.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        while true {
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: CChar.self)
            stream.pointee.avail_out = UInt32(output.count)
            let before = Int(stream.pointee.avail_in)
            let status = BZ2_bzDecompress(stream)
            consumed += before - Int(stream.pointee.avail_in)
            let count = output.count - Int(stream.pointee.avail_out)
            produced += count
            if count > 0, !emit(UnsafeRawBufferPointer(rebasing: output[0..<count])) {
                return .needsInput
            }
            switch status {
            case BZ_STREAM_END:
                return .streamEnd(unusedInput: Int(stream.pointee.avail_in))
            case BZ_OK:
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 { return .needsInput }
            case BZ_MEM_ERROR:
                return .limitExceeded("bzip2: out of memory")
            case BZ_DATA_ERROR_MAGIC:
                return .corrupt("not a bzip2 stream")
            default:
                return .corrupt("corrupt data (a block or stream CRC does not match)")
            }
        }
    }
}
