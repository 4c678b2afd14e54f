/// Strict UTF-8 checks for sniffing and for streaming validation.
enum UTF8Validator {
    /// The bytes without the NULs and DOS end-of-file marks that end them: a C string
    /// written whole, padding, a DOS text file's last byte — none a sign of binary.
    static func trimmingTextEnd(_ head: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var end = head.count
        while end > 0, head[end - 1] == 0 || head[end - 1] == 0x1A { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: head[0..<end])
    }

    /// Whether a stream's first bytes look like UTF-8 text: no NUL or other C0 controls
    /// besides tab, LF, FF, CR and ESC, and valid UTF-8 but for a stray invalid byte or two
    /// (one per 64 bytes) — those are replaced while decoding, and never stop the scan.
    static func looksLikeText(_ head: UnsafeRawBufferPointer) -> Bool {
        census(head) != nil
    }

    /// What a window that looks like UTF-8 text holds: its valid multi-byte sequences and
    /// its invalid bytes. Nil when it does not look like UTF-8 text.
    static func census(_ head: UnsafeRawBufferPointer) -> (multibyte: Int, invalid: Int)? {
        var index = 0
        var invalid = 0
        var multibyte = 0
        let count = head.count
        let tolerated = max(1, count / 64)
        while index < count {
            let byte = head[index]
            if byte < 0x80 {
                if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0C && byte != 0x0D && byte != 0x1B { return nil }
                index += 1
                continue
            }
            let length = sequenceLength(lead: byte)
            if length > 1, index + length > count {
                // Cut by the sniff window: check what is there.
                var cutValid = true
                for k in (index + 1)..<count where head[k] & 0xC0 != 0x80 { cutValid = false }
                if cutValid { break }
            }
            if length > 1, index + length <= count, isValidSequence(head, at: index, length: length) {
                multibyte += 1
                index += length
                continue
            }
            invalid += 1
            if invalid > tolerated { return nil }
            index += 1
        }
        return (multibyte, invalid)
    }

    /// Length of the UTF-8 sequence a lead byte starts, or 0 for a byte that cannot lead.
    @inlinable
    static func sequenceLength(lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }

    /// True when `bytes` are whole, valid UTF-8 (RFC 3629).
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index < bytes.count {
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            let length = sequenceLength(lead: bytes[index])
            guard length > 0, index + length <= bytes.count, isValidSequence(bytes, at: index, length: length) else { return false }
            index += length
        }
        return true
    }

    /// Checks continuation bytes and the overlong/surrogate/range rules of RFC 3629.
    static func isValidSequence(_ bytes: UnsafeRawBufferPointer, at index: Int, length: Int) -> Bool {
        let lead = bytes[index]
        for k in 1..<length where bytes[index + k] & 0xC0 != 0x80 { return false }
        let second = bytes[index + 1]
        switch lead {
        case 0xE0: return second >= 0xA0
        case 0xED: return second < 0xA0
        case 0xF0: return second >= 0x90
        case 0xF4: return second < 0x90
        default: return true
        }
    }
}
