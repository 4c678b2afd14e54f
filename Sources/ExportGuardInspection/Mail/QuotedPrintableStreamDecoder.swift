/// Decodes quoted-printable (RFC 2045 §6.7) as it streams: `=XX` escapes and soft line
/// breaks (`=` at the end of a line, white space allowed before the line break) may be cut
/// anywhere by chunk boundaries. A malformed escape (`=` not followed by two hex digits or
/// a line break) is kept as it stands, as the RFC advises, and counted in
/// ``malformedEscapes`` so it can be reported.
struct QuotedPrintableStreamDecoder {
    private enum State {
        case text
        /// After `=`.
        case equals
        /// After `=` and one hex digit (the digit as written).
        case hex(UInt8)
        /// After `=` and white space: a soft line break if the line ends here.
        case softSpace
        /// After `=` (and white space) and a CR.
        case softCR
    }

    private var state = State.text
    /// White space after `=`, kept in case no line break follows.
    private var spaces: [UInt8] = []
    /// Escapes that were not valid quoted-printable, kept as text.
    private(set) var malformedEscapes = 0

    /// Longest white space run after `=` still taken for a soft line break.
    static let maxSoftSpace = 256

    init() {}

    mutating func decode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        for byte in input { step(byte, into: &output) }
    }

    /// The input ended: a trailing `=` is a soft break; `=X` is malformed.
    mutating func finish(into output: inout [UInt8]) {
        if case .hex(let digit) = state {
            malformedEscapes += 1
            output.append(UInt8(ascii: "="))
            output.append(digit)
        }
        state = .text
        spaces.removeAll()
    }

    private mutating func step(_ byte: UInt8, into output: inout [UInt8]) {
        switch state {
        case .text:
            if byte == UInt8(ascii: "=") {
                state = .equals
            } else {
                output.append(byte)
            }
        case .equals:
            if Self.hexValue(byte) != nil {
                state = .hex(byte)
            } else if byte == 0x0A {
                state = .text
            } else if byte == 0x0D {
                state = .softCR
            } else if byte == 0x20 || byte == 0x09 {
                spaces = [byte]
                state = .softSpace
            } else {
                malformed(kept: [], then: byte, into: &output)
            }
        case .hex(let first):
            if let low = Self.hexValue(byte), let high = Self.hexValue(first) {
                output.append(high << 4 | low)
                state = .text
            } else {
                malformed(kept: [first], then: byte, into: &output)
            }
        case .softSpace:
            if byte == 0x20 || byte == 0x09, spaces.count < Self.maxSoftSpace {
                spaces.append(byte)
            } else if byte == 0x0A {
                spaces.removeAll()
                state = .text
            } else if byte == 0x0D {
                state = .softCR
            } else {
                let kept = spaces
                spaces.removeAll()
                malformed(kept: kept, then: byte, into: &output)
            }
        case .softCR:
            // A soft break ends with CR LF; a bare CR ends it too.
            spaces.removeAll()
            state = .text
            if byte != 0x0A { step(byte, into: &output) }
        }
    }

    /// `=` and what followed it are text; the byte that showed the escape was malformed is
    /// read again as text.
    private mutating func malformed(kept: [UInt8], then byte: UInt8, into output: inout [UInt8]) {
        malformedEscapes += 1
        output.append(UInt8(ascii: "="))
        output.append(contentsOf: kept)
        state = .text
        step(byte, into: &output)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// Decodes a whole short input: the Q encoding of RFC 2047, where `_` is a space.
    static func decodeQ(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        let array = Array(bytes)
        var index = 0
        while index < array.count {
            let byte = array[index]
            if byte == UInt8(ascii: "_") {
                output.append(0x20)
            } else if byte == UInt8(ascii: "="), index + 2 < array.count,
                      let high = hexValue(array[index + 1]), let low = hexValue(array[index + 2]) {
                output.append(high << 4 | low)
                index += 3
                continue
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }
}
