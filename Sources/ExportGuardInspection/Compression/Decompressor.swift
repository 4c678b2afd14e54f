/// One compressed stream being unpacked: a gzip or bzip2 member, an xz stream, a zstd
/// frame, a zip entry. Implementations wrap the maintained libraries (zlib, liblzma,
/// libbz2, libzstd); each verifies what its format checks (CRCs, lengths, checksums).
protocol Decompressor: AnyObject {
    /// Compressed bytes consumed since the last reset.
    var consumed: Int { get }
    /// Bytes produced since the last reset.
    var produced: Int { get }
    /// Starts a new member or entry.
    func reset()
    /// Unpacks `input`, passing each piece of output to `emit`. Stops early when `emit`
    /// returns false (a limit was reached) and reports `.needsInput` then.
    func decompress(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) -> Bool) -> DecompressionOutcome
}

/// What one call of ``Decompressor/decompress(_:emit:)`` came to.
enum DecompressionOutcome: Equatable {
    /// All input consumed; more may follow.
    case needsInput
    /// The compressed stream ended; `unusedInput` bytes of the last input follow it.
    case streamEnd(unusedInput: Int)
    /// The data is corrupt (a bad block, CRC, length or checksum): the library's message.
    case corrupt(String)
    /// Well-formed, but beyond what is allowed here (memory for a huge dictionary).
    case limitExceeded(String)
}
