/// Passes UTF-8 text through, checked as it streams: a leading BOM is dropped, a
/// sequence cut by a chunk boundary is carried to the next chunk, and invalid bytes are
/// replaced by U+FFFD and counted — they never stop the scan.
struct UTF8TextDecoder {
    private var carry: [UInt8] = []
    private var atStart = true
    private var repaired: [UInt8] = []
    /// Invalid bytes replaced so far.
    private(set) var replacements = 0

    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Whether a UTF-16 byte-order mark (FF FE or FE FF, never valid UTF-8) ends the UTF-8:
    /// a block of UTF-16 pasted into a UTF-8 file (an export from Windows) starts with one.
    var stopsAtUTF16: Bool = false
    /// Where the UTF-16 block began in the last input, and its byte order, once one did.
    private(set) var utf16Block: (start: Int, bigEndian: Bool)?

    /// Decodes the next chunk and passes the text on.
    mutating func decode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) -> Void) {
        var input = input
        var skipped = 0
        utf16Block = nil
        if !carry.isEmpty {
            // Complete the cut sequence with the continuation bytes it needs, then go on.
            let need = max(UTF8Validator.sequenceLength(lead: carry[0]) - carry.count, 0)
            var take = 0
            while take < need, take < input.count, input[take] & 0xC0 == 0x80 { take += 1 }
            carry.append(contentsOf: input[0..<take])
            if take < need, take == input.count { return }
            let joined = carry
            carry.removeAll()
            joined.withUnsafeBytes { decodeWhole($0, final: true, emit: emit) }
            input = UnsafeRawBufferPointer(rebasing: input[take...])
            skipped = take
        }
        decodeWhole(input, final: false, emit: emit)
        if let block = utf16Block { utf16Block = (block.start + skipped, block.bigEndian) }
    }

    /// The stream ended: a sequence still cut is invalid.
    mutating func finish(emit: (UnsafeRawBufferPointer) -> Void) {
        if !carry.isEmpty {
            replacements += 1
            carry.removeAll()
            Self.replacement.withUnsafeBytes(emit)
        }
    }

    private mutating func decodeWhole(_ input: UnsafeRawBufferPointer, final: Bool, emit: (UnsafeRawBufferPointer) -> Void) {
        var bytes = input
        if atStart, bytes.count > 0 {
            if !final, bytes.count < 3, bytes.elementsEqual([0xEF, 0xBB, 0xBF].prefix(bytes.count)) {
                carry.append(contentsOf: bytes)
                return
            }
            atStart = false
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
                bytes = UnsafeRawBufferPointer(rebasing: bytes[3...])
            }
        }
        let count = bytes.count
        var index = 0
        var validUpTo = 0
        var usedRepair = false
        repaired.removeAll(keepingCapacity: true)
        while index < count {
            // ASCII fast path, eight bytes at a time.
            while index + 8 <= count, bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
            }
            // Chinese fast path: three-byte sequences led by E1–EC or EE–EF, where only the
            // continuation bytes need checking (no overlong or surrogate rule applies).
            while index + 4 <= count {
                let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self)
                let lead = word & 0xFF
                guard word & 0x00C0_C0F0 == 0x0080_80E0, lead != 0xE0, lead != 0xED else { break }
                index += 3
            }
            if index >= count { break }
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            let length = UTF8Validator.sequenceLength(lead: byte)
            if length > 1, index + length > count, !final {
                // Cut by the chunk end; valid so far? then carry it.
                var prefixValid = true
                for k in (index + 1)..<count where bytes[k] & 0xC0 != 0x80 { prefixValid = false }
                if prefixValid {
                    flush(bytes, validUpTo..<index, usedRepair: &usedRepair, emit: emit)
                    carry.append(contentsOf: bytes[index...])
                    validUpTo = count
                    index = count
                    break
                }
            }
            if length > 1, index + length <= count, UTF8Validator.isValidSequence(bytes, at: index, length: length) {
                index += length
                continue
            }
            if stopsAtUTF16, byte >= 0xFE, index + 1 < count, bytes[index + 1] == byte ^ 0x01 {
                flush(bytes, validUpTo..<index, usedRepair: &usedRepair, emit: emit)
                // Counted from the input as given: a UTF-8 BOM dropped at its start included.
                utf16Block = (index + (input.count - bytes.count), byte == 0xFE)
                return
            }
            // Invalid byte: keep what came before, replace this one.
            if !usedRepair {
                usedRepair = true
            }
            repaired.append(contentsOf: bytes[validUpTo..<index])
            repaired.append(contentsOf: Self.replacement)
            replacements += 1
            index += 1
            validUpTo = index
        }
        flush(bytes, validUpTo..<max(validUpTo, min(index, count)), usedRepair: &usedRepair, emit: emit)
    }

    private mutating func flush(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, usedRepair: inout Bool, emit: (UnsafeRawBufferPointer) -> Void) {
        if usedRepair {
            repaired.append(contentsOf: bytes[range])
            repaired.withUnsafeBytes(emit)
            repaired.removeAll(keepingCapacity: true)
            usedRepair = false
        } else if !range.isEmpty {
            emit(UnsafeRawBufferPointer(rebasing: bytes[range]))
        }
    }
}

extension UTF8TextDecoder: StreamDecoder {
    mutating func decode(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        let before = replacements
        decode(bytes) { stream.emitText($0) }
        stream.session.stats.replacedSequences += replacements - before
        // An empty text part still opens, so an empty input reads as (empty) text.
        if bytes.isEmpty { stream.emitText(bytes) }
    }

    mutating func finish(in stream: StreamDispatcher) {
        let before = replacements
        finish { stream.emitText($0) }
        stream.session.stats.replacedSequences += replacements - before
        stream.emitText(UnsafeRawBufferPointer(start: nil, count: 0))
    }
}
