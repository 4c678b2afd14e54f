import Glibc

/// A streaming conversion to UTF-8 with glibc's iconv: a sequence cut by a chunk boundary
/// is carried to the next call; invalid bytes become U+FFFD and are counted.
final class IconvConverter: CharsetConverter {
    private let handle: iconv_t
    private var carry: [UInt8] = []
    private var output = [UInt8](repeating: 0, count: 16 * 1024)
    /// Invalid or incomplete sequences replaced so far.
    private(set) var replaced = 0

    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Stateful charsets (UTF-7, ISO-2022-*) are fed to iconv a byte at a time: where
    /// glibc reports an error in them depends on how much of a shifted run it had already
    /// taken, so bulk reads would decode the same bytes differently as reads end elsewhere.
    private let byteAtATime: Bool

    init?(from charset: String) {
        let opened = iconv_open("UTF-8", charset)
        guard opened != iconv_t(bitPattern: -1) else { return nil }
        handle = opened!
        let name = charset.uppercased()
        byteAtATime = name.contains("UTF-7") || name.contains("UTF7") || name.contains("2022")
    }

    deinit {
        iconv_close(handle)
    }

    /// Converts `input` after any carried bytes, passing UTF-8 to `emit`.
    func convert(_ input: UnsafeRawBufferPointer, final: Bool, emit: (UnsafeRawBufferPointer) -> Void) {
        if byteAtATime && input.count > 1 {
            for index in 0..<input.count {
                convert(UnsafeRawBufferPointer(rebasing: input[index..<(index + 1)]), final: final && index == input.count - 1, emit: emit)
            }
            return
        }
        var pending = carry
        carry = []
        pending.append(contentsOf: input)
        guard !pending.isEmpty else { return }
        let handle = self.handle
        pending.withUnsafeMutableBytes { source in
            var inPointer = source.baseAddress?.assumingMemoryBound(to: CChar.self)
            var inLeft = source.count
            while inLeft > 0 {
                var produced = 0
                var incomplete = false
                var invalid = false
                output.withUnsafeMutableBytes { target in
                    var outPointer = target.baseAddress?.assumingMemoryBound(to: CChar.self)
                    var outLeft = target.count
                    let result = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
                    produced = target.count - outLeft
                    if result == -1 {
                        switch errno {
                        case E2BIG: break
                        case EINVAL: incomplete = true
                        default: invalid = true
                        }
                    }
                }
                if produced > 0 { output.withUnsafeBytes { emitValid(UnsafeRawBufferPointer(rebasing: $0[0..<produced]), emit) } }
                if invalid {
                    // Back to the initial shift state first: a stateful charset (UTF-7,
                    // ISO-2022) would otherwise go on from state that depends on where
                    // earlier reads ended, and decode what follows differently.
                    iconv(handle, nil, nil, nil, nil)
                    inPointer = inPointer.map { $0 + 1 }
                    inLeft -= 1
                    replaced += 1
                    Self.replacement.withUnsafeBytes(emit)
                }
                if incomplete {
                    if final {
                        replaced += 1
                        Self.replacement.withUnsafeBytes(emit)
                    } else if let inPointer {
                        carry = Array(UnsafeRawBufferPointer(start: inPointer, count: inLeft))
                    }
                    break
                }
            }
        }
        if final { iconv(handle, nil, nil, nil, nil) }
    }

    /// Passes on what iconv wrote, repaired when it is not valid UTF-8: glibc lets some
    /// invalid input through (from UTF-8, code points past U+10FFFF). iconv writes whole
    /// characters, so each output is checked on its own.
    private func emitValid(_ bytes: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) -> Void) {
        if UTF8Validator.isValid(bytes) {
            emit(bytes)
            return
        }
        replaced += 1
        var repaired = String(decoding: bytes, as: UTF8.self)
        repaired.withUTF8 { emit(UnsafeRawBufferPointer($0)) }
    }
}
