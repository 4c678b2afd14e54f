import CZlib

/// A zlib inflate stream on the heap (zlib keeps a pointer back to its `z_stream`, so the
/// struct must not move), with a fixed output buffer.
final class InflateStream: Decompressor {
    enum Format {
        /// gzip or zlib header, detected (windowBits 15 + 32).
        case gzipOrZlib
        /// Raw deflate, as inside zip (windowBits −15).
        case raw
    }

    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    private let format: Format
    private(set) var consumed = 0
    private(set) var produced = 0

    init(_ format: Format, outputSize: Int = 64 * 1024) {
        self.format = format
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(byteCount: outputSize, alignment: 16)
        _ = eg_inflateInit2(stream, format == .raw ? -15 : 15 + 32)
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    /// Starts a new member (multi-member gzip) or entry.
    func reset() {
        inflateReset(stream)
        consumed = 0
        produced = 0
    }

    func decompress(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) -> Bool) -> DecompressionOutcome {
        guard input.count > 0 else { return .needsInput }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        while true {
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count)
            let before = Int(stream.pointee.avail_in)
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            consumed += before - Int(stream.pointee.avail_in)
            let count = output.count - Int(stream.pointee.avail_out)
            produced += count
            if count > 0, !emit(UnsafeRawBufferPointer(rebasing: output[0..<count])) {
                return .needsInput
            }
            switch status {
            case Z_STREAM_END:
                return .streamEnd(unusedInput: Int(stream.pointee.avail_in))
            case Z_OK:
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 { return .needsInput }
            case Z_BUF_ERROR:
                // No progress possible without more input.
                return .needsInput
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                return .corrupt(message)
            }
        }
    }
}

extension InflateStream {
    /// Inflates all of `data` held in memory, up to `limit` bytes of output: what came out,
    /// how the stream ended, and whether it would have passed the limit.
    static func inflate(_ data: [UInt8], format: Format, limit: Int) -> (bytes: [UInt8], outcome: DecompressionOutcome, overLimit: Bool) {
        let stream = InflateStream(format)
        var output: [UInt8] = []
        var overLimit = false
        let outcome = data.withUnsafeBytes { input in
            stream.decompress(input) { chunk in
                guard output.count + chunk.count <= limit else {
                    overLimit = true
                    return false
                }
                output.append(contentsOf: chunk)
                return true
            }
        }
        return (output, outcome, overLimit)
    }
}

/// CRC-32 as zip and gzip use it, from zlib.
struct CRC32 {
    private(set) var value: UInt = 0

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        value = CZlib.crc32(value, base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count))
    }
}
