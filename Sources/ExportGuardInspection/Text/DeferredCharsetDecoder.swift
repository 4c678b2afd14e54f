/// Text that sniffed as UTF-8, whose charset is settled where its first byte outside
/// ASCII is: ASCII reads the same in every charset met here, so a file of English rows
/// with a column of GBK names past the sniff window would otherwise be read as UTF-8 and
/// its names replaced.
///
/// ASCII passes straight through. From the first other byte, up to a window's worth is
/// held and judged as the sniff judges a stream's start (valid UTF-8 stays UTF-8; else
/// ICU's detector, or the GB18030/Big5 structure, with a doubt when not certain); then
/// the held bytes and the rest go to that decoder. The decision depends on the bytes only,
/// never on how reads cut them.
struct DeferredCharsetDecoder {
    private let window: Int
    private var held: [UInt8] = []
    private var holding = false
    private var decided: (any StreamDecoder)?
    private var doubt: String?
    /// ASCII passed through before the first other byte.
    private var asciiPrefix = 0
    /// Where bytes that are not text began, when they did.
    private var binaryFrom: Int?

    init(window: Int) {
        self.window = max(window, 16)
    }

    private mutating func decide(in stream: StreamDispatcher) {
        let chosen: any StreamDecoder = held.withUnsafeBytes { bytes in
            var head = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, window)])
            // NULs and a DOS end-of-file mark that end the text are no sign of binary.
            if head.count < window { head = UTF8Validator.trimmingTextEnd(head) }
            let census = UTF8Validator.census(head)
            if let census, census.invalid == 0 { return PastedUTF16Decoder() }
            guard let charset = CharsetDetector.detect(head, mostlyUTF8: (census?.multibyte ?? 0) > 0) else {
                // Not text in any charset from here on (control bytes): still read as UTF-8,
                // and reported, as the same bytes at a stream's start would be.
                if census == nil, !ContentKind.pastedUTF16(head, textBefore: false) { binaryFrom = asciiPrefix }
                return PastedUTF16Decoder()
            }
            doubt = charset.doubt.map { [asciiPrefix] in "from byte \(asciiPrefix) on, \($0)" }
            return CharsetTextDecoder(charset: charset.name, skipBOM: false)
        }
        var active = chosen
        let bytes = held
        held = []
        holding = false
        bytes.withUnsafeBytes { active.decode($0, in: stream) }
        decided = active
    }
}

extension DeferredCharsetDecoder: StreamDecoder {
    mutating func decode(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        if var active = decided {
            decided = nil
            active.decode(bytes, in: stream)
            decided = active
            return
        }
        var rest = bytes
        if !holding {
            var index = 0
            while index + 8 <= rest.count, rest.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
            }
            while index < rest.count, rest[index] < 0x80 { index += 1 }
            // An empty text part still opens, so an empty input reads as (empty) text.
            if index > 0 || rest.isEmpty { stream.emitText(UnsafeRawBufferPointer(rebasing: rest[0..<index])) }
            asciiPrefix += index
            if index == rest.count { return }
            holding = true
            rest = UnsafeRawBufferPointer(rebasing: rest[index...])
        }
        held.append(contentsOf: rest)
        if held.count >= window { decide(in: stream) }
    }

    mutating func finish(in stream: StreamDispatcher) {
        if holding { decide(in: stream) }
        if var active = decided {
            decided = nil
            active.finish(in: stream)
        } else {
            stream.emitText(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        // Reported once the text has ended: its part's positions stay whole.
        if let doubt { stream.uninspected(.unknownCharset(doubt)) }
        if let binaryFrom { stream.uninspected(.binaryContent("bytes that are not text from byte \(binaryFrom) on")) }
    }
}
