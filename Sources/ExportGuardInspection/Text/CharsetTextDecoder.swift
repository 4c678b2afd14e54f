import Glibc

/// Converts text in another encoding (UTF-16/32, GB18030, Big5) to UTF-8 as it streams,
/// with glibc's iconv. A sequence cut by a chunk boundary is carried to the next chunk;
/// invalid bytes become U+FFFD and are counted — they never stop the scan.
struct CharsetTextDecoder {
    let charset: String
    private var converter: iconv_t?
    private var carry: [UInt8] = []
    private var output = [UInt8](repeating: 0, count: 64 * 1024)
    private var skipBOM: Bool

    init(charset: String, skipBOM: Bool) {
        self.charset = charset
        self.skipBOM = skipBOM
        let handle = iconv_open("UTF-8", charset)
        self.converter = handle == iconv_t(bitPattern: -1) ? nil : handle
    }

    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Converts `input` (after any carried bytes); returns invalid sequences replaced.
    private mutating func convert(_ input: UnsafeRawBufferPointer, final: Bool, in stream: StreamDispatcher) {
        guard let converter else { return }
        var pending = carry
        carry = []
        pending.append(contentsOf: input)
        var replaced = 0
        pending.withUnsafeMutableBytes { source in
            var inPointer = source.baseAddress?.assumingMemoryBound(to: CChar.self)
            var inLeft = source.count
            while inLeft > 0 {
                let produced: Int
                var stop = false
                var invalid = false
                (produced, stop, invalid) = output.withUnsafeMutableBytes { target -> (Int, Bool, Bool) in
                    var outPointer = target.baseAddress?.assumingMemoryBound(to: CChar.self)
                    var outLeft = target.count
                    let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                    let produced = target.count - outLeft
                    if result == -1 {
                        switch errno {
                        case E2BIG: return (produced, false, false)
                        case EINVAL: return (produced, true, false)
                        default: return (produced, false, true)
                        }
                    }
                    return (produced, false, false)
                }
                emit(produced, in: stream)
                if invalid {
                    // Skip one byte, mark it, and go on.
                    inPointer = inPointer.map { $0 + 1 }
                    inLeft -= 1
                    replaced += 1
                    Self.replacement.withUnsafeBytes { stream.emitText($0) }
                }
                if stop {
                    // An incomplete sequence at the end: wait for more, or replace it at the end.
                    if final {
                        replaced += 1
                        Self.replacement.withUnsafeBytes { stream.emitText($0) }
                    } else if let inPointer {
                        carry = Array(UnsafeRawBufferPointer(start: inPointer, count: inLeft))
                    }
                    break
                }
            }
        }
        stream.session.stats.replacedSequences += replaced
    }

    private mutating func emit(_ count: Int, in stream: StreamDispatcher) {
        guard count > 0 else { return }
        var start = 0
        if skipBOM {
            skipBOM = false
            if count >= 3, output[0] == 0xEF, output[1] == 0xBB, output[2] == 0xBF { start = 3 }
        }
        output.withUnsafeBytes { stream.emitText(UnsafeRawBufferPointer(rebasing: $0[start..<count])) }
    }
}

extension CharsetTextDecoder: StreamDecoder {
    mutating func decode(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        guard converter != nil else {
            stream.stop(.unsupported("no converter for \(charset)"))
            return
        }
        stream.emitText(UnsafeRawBufferPointer(start: nil, count: 0))
        convert(bytes, final: false, in: stream)
    }

    mutating func finish(in stream: StreamDispatcher) {
        if converter != nil {
            convert(UnsafeRawBufferPointer(start: nil, count: 0), final: true, in: stream)
            iconv_close(converter)
            converter = nil
        }
    }
}
