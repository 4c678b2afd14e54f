/// UTF-8 text that may go on in UTF-16: an export from a Windows tool (Excel's "Unicode
/// text", PowerShell's default) pasted or appended into a UTF-8 file keeps its byte-order
/// mark, FF FE or FE FF, which is never valid UTF-8. From such a mark on, the rest of the
/// stream is read as UTF-16 in that byte order; without one the text is plain UTF-8.
struct PastedUTF16Decoder {
    private var utf8: UTF8TextDecoder
    private var utf16: CharsetTextDecoder?
    /// The first byte of a mark cut by the end of a read.
    private var held: UInt8?

    init() {
        utf8 = UTF8TextDecoder()
        utf8.stopsAtUTF16 = true
    }

    private mutating func decodeUTF8(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        let before = utf8.replacements
        utf8.decode(input) { stream.emitText($0) }
        stream.session.stats.replacedSequences += utf8.replacements - before
        guard let block = utf8.utf16Block else { return }
        utf8.finish { stream.emitText($0) }
        var decoder = CharsetTextDecoder(charset: block.bigEndian ? "UTF-16BE" : "UTF-16LE", skipBOM: true)
        decoder.decode(UnsafeRawBufferPointer(rebasing: input[block.start...]), in: stream)
        utf16 = decoder
    }
}

extension PastedUTF16Decoder: StreamDecoder {
    mutating func decode(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        if var active = utf16 {
            active.decode(bytes, in: stream)
            utf16 = active
            return
        }
        if let first = held {
            // Rare (a read ended on FF or FE): join it to this read.
            held = nil
            let joined = [first] + Array(bytes)
            joined.withUnsafeBytes { decode($0, in: stream) }
            return
        }
        var input = bytes
        // Hold a last FF or FE unless it completes a mark with the byte before it.
        if let last = input.last, last >= 0xFE, input.count < 2 || input[input.count - 2] != last ^ 0x01 {
            held = last
            input = UnsafeRawBufferPointer(rebasing: input.dropLast())
        }
        decodeUTF8(input, in: stream)
        // A mark earlier in this read switched to UTF-16: the held byte belongs to it.
        if var active = utf16, let last = held {
            held = nil
            [last].withUnsafeBytes { active.decode($0, in: stream) }
            utf16 = active
        }
        // An empty text part still opens, so an empty input reads as (empty) text.
        if bytes.isEmpty { stream.emitText(bytes) }
    }

    mutating func finish(in stream: StreamDispatcher) {
        if let first = held {
            held = nil
            [first].withUnsafeBytes { decodeUTF8($0, in: stream) }
        }
        if var active = utf16 {
            active.finish(in: stream)
            utf16 = nil
            return
        }
        let before = utf8.replacements
        utf8.finish { stream.emitText($0) }
        stream.session.stats.replacedSequences += utf8.replacements - before
        stream.emitText(UnsafeRawBufferPointer(start: nil, count: 0))
    }
}
