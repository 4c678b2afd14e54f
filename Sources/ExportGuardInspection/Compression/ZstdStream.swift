import CZstd

/// Zstandard, decoded by libzstd (loaded at run time, see `CZstd.h`): one frame is one
/// member; a frame's content checksum is verified when it has one. Skippable frames are
/// skipped by the library.
final class ZstdStream: Decompressor {
    /// Largest window a frame may ask for: 2^27 bytes (128 MiB), zstd's own default.
    static let windowLogMax: Int32 = 27

    private let stream: UnsafeMutableRawPointer
    private let output: UnsafeMutableRawBufferPointer
    private(set) var consumed = 0
    private(set) var produced = 0

    /// Nil when libzstd is not on this machine.
    init?(outputSize: Int = 64 * 1024) {
        guard let stream = eg_zstd_create(Self.windowLogMax) else { return nil }
        self.stream = stream
        output = .allocate(byteCount: outputSize, alignment: 16)
    }

    deinit {
        eg_zstd_free(stream)
        output.deallocate()
    }

    func reset() {
        eg_zstd_reset(stream)
        consumed = 0
        produced = 0
    }

    func decompress(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) -> Bool) -> DecompressionOutcome {
        guard input.count > 0 else { return .needsInput }
        var source = eg_zstd_in(src: input.baseAddress, size: input.count, pos: 0)
        while true {
            var target = eg_zstd_out(dst: output.baseAddress, size: output.count, pos: 0)
            let before = source.pos
            let hint = eg_zstd_decompress(stream, &target, &source)
            consumed += source.pos - before
            produced += target.pos
            if eg_zstd_is_error(hint) != 0 {
                let name = String(cString: eg_zstd_error_name(hint))
                let lowered = name.lowercased()
                return lowered.contains("window") || lowered.contains("memory")
                    ? .limitExceeded("zstd: \(name)") : .corrupt("zstd: \(name)")
            }
            if target.pos > 0, !emit(UnsafeRawBufferPointer(rebasing: output[0..<target.pos])) {
                return .needsInput
            }
            if hint == 0 { return .streamEnd(unusedInput: input.count - source.pos) }
            if source.pos == source.size && target.pos < target.size { return .needsInput }
        }
    }
}
