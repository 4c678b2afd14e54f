/// Splits PDF syntax into tokens (ISO 32000-1 §7.2–7.3): numbers, strings, names, the
/// delimiters of arrays and dictionaries, and bare keywords (`obj`, `R`, content-stream
/// operators). Shared by the file structure and content streams.
///
/// Reads from bytes it does not own, valid for its lifetime; every index is checked, and
/// running off the end of the bytes throws ``PDFError/needMoreBytes``.
struct PDFLexer {
    enum Token {
        case integer(Int)
        case real(Double)
        case string([UInt8])
        case name(String)
        case arrayStart, arrayEnd, dictionaryStart, dictionaryEnd
        /// A regular-character run that is not a number: `obj`, `R`, `Tj`, `true`.
        case keyword(Keyword)
        case end
    }

    /// A keyword, packed for cheap comparison: up to 8 bytes as they are (`Tj`, `endobj`),
    /// longer ones (`begincodespacerange`) as a 64-bit FNV-1a hash with the top bit set, so
    /// no long run can pass for a short keyword (`BI`) whatever it hashes to.
    struct Keyword: Hashable {
        let packed: UInt64

        init(_ text: StaticString) {
            packed = text.withUTF8Buffer { Self.pack(UnsafeRawBufferPointer($0)) }
        }

        init(bytes: UnsafeRawBufferPointer) {
            packed = Self.pack(bytes)
        }

        private static func pack(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
            if bytes.count <= 8 {
                var value: UInt64 = 0
                for byte in bytes { value = value << 8 | UInt64(byte) }
                return value
            }
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return (hash ^ UInt64(bytes.count) << 48) | 1 << 63
        }
    }

    let bytes: UnsafeRawBufferPointer
    var position: Int

    init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    // MARK: Character classes (§7.2.2)

    @inline(__always) static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C || byte == 0x00
    }

    @inline(__always) static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "/"), UInt8(ascii: "%"):
            true
        default:
            false
        }
    }

    @inline(__always) static func isRegular(_ byte: UInt8) -> Bool {
        !isWhitespace(byte) && !isDelimiter(byte)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    // MARK: Tokens

    /// Skips white space and comments.
    mutating func skipWhitespace() {
        while position < bytes.count {
            let byte = bytes[position]
            if Self.isWhitespace(byte) {
                position += 1
            } else if byte == UInt8(ascii: "%") {
                while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
            } else {
                return
            }
        }
    }

    mutating func next() throws(PDFError) -> Token {
        skipWhitespace()
        guard position < bytes.count else { return .end }
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "/"):
            position += 1
            return .name(readName())
        case UInt8(ascii: "("):
            position += 1
            return .string(try readLiteralString())
        case UInt8(ascii: "<"):
            if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "<") {
                position += 2
                return .dictionaryStart
            }
            position += 1
            return .string(try readHexString())
        case UInt8(ascii: ">"):
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: ">") { position += 1 }
            return .dictionaryEnd
        case UInt8(ascii: "["):
            position += 1
            return .arrayStart
        case UInt8(ascii: "]"):
            position += 1
            return .arrayEnd
        case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ")"):
            // PostScript calculator braces, or a stray parenthesis: a keyword of its own.
            position += 1
            return .keyword(Keyword(bytes: UnsafeRawBufferPointer(rebasing: bytes[(position - 1)..<position])))
        default:
            let start = position
            while position < bytes.count, Self.isRegular(bytes[position]) { position += 1 }
            let run = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
            if let number = Self.number(run) { return number }
            return .keyword(Keyword(bytes: run))
        }
    }

    /// A number token, or nil when the run is not one. Lenient as readers are with what
    /// writers produce (`--5`, `4.5.6` read as far as they make sense).
    static func number(_ run: UnsafeRawBufferPointer) -> Token? {
        guard let first = run.first else { return nil }
        guard first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: ".")
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return nil }
        var index = 0
        var negative = false
        while index < run.count, run[index] == UInt8(ascii: "+") || run[index] == UInt8(ascii: "-") {
            if run[index] == UInt8(ascii: "-") { negative.toggle() }
            index += 1
        }
        var integer = 0
        var digits = 0
        var fraction = 0.0, scale = 1.0
        var sawPoint = false
        while index < run.count {
            let byte = run[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if sawPoint {
                    scale /= 10
                    fraction += Double(byte - UInt8(ascii: "0")) * scale
                } else if integer < 1 << 53 {
                    // Larger values are nonsense in a PDF; kept well inside Int, sums of two cannot trap.
                    integer = integer * 10 + Int(byte - UInt8(ascii: "0"))
                }
                digits += 1
            } else if byte == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        // Trailing junk after digits (`12abc`) is not a number.
        if index < run.count, !sawPoint { return nil }
        if sawPoint {
            let value = Double(integer) + fraction
            return .real(negative ? -value : value)
        }
        return .integer(negative ? -integer : integer)
    }

    private mutating func readName() -> String {
        var name: [UInt8] = []
        while position < bytes.count, Self.isRegular(bytes[position]) {
            var byte = bytes[position]
            if byte == UInt8(ascii: "#"), position + 2 < bytes.count,
               let high = Self.hexValue(bytes[position + 1]), let low = Self.hexValue(bytes[position + 2]) {
                byte = high << 4 | low
                position += 2
            }
            name.append(byte)
            position += 1
        }
        return String(decoding: name, as: UTF8.self)
    }

    /// `( … )` with balanced parentheses and escapes (§7.3.4.2); an end of line is `\n`.
    private mutating func readLiteralString() throws(PDFError) -> [UInt8] {
        var result: [UInt8] = []
        var depth = 1
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "("):
                depth += 1
                result.append(byte)
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return result }
                result.append(byte)
            case 0x0D:
                if position < bytes.count, bytes[position] == 0x0A { position += 1 }
                result.append(0x0A)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw .needMoreBytes }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "r"): result.append(0x0D)
                case UInt8(ascii: "t"): result.append(0x09)
                case UInt8(ascii: "b"): result.append(0x08)
                case UInt8(ascii: "f"): result.append(0x0C)
                case 0x0D:
                    if position < bytes.count, bytes[position] == 0x0A { position += 1 }
                case 0x0A:
                    break
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var value = Int(escaped - UInt8(ascii: "0"))
                    var count = 1
                    while count < 3, position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[position]) {
                        value = value * 8 + Int(bytes[position] - UInt8(ascii: "0"))
                        position += 1
                        count += 1
                    }
                    result.append(UInt8(truncatingIfNeeded: value))
                default:
                    result.append(escaped)
                }
            default:
                result.append(byte)
            }
        }
        throw .needMoreBytes
    }

    /// `< … >` hex digits, anything else ignored, an odd last digit followed by 0 (§7.3.4.3).
    private mutating func readHexString() throws(PDFError) -> [UInt8] {
        var result: [UInt8] = []
        var high: UInt8?
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: ">") {
                if let high { result.append(high << 4) }
                return result
            }
            // Readers skip what is not a hex digit (white space, and stray bytes too).
            guard let value = Self.hexValue(byte) else { continue }
            if let pending = high {
                result.append(pending << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        throw .needMoreBytes
    }
}

extension PDFLexer.Keyword {
    static let obj = Self("obj")
    static let endobj = Self("endobj")
    static let stream = Self("stream")
    static let reference = Self("R")
    static let trueValue = Self("true")
    static let falseValue = Self("false")
    static let null = Self("null")
    static let xref = Self("xref")
    static let trailer = Self("trailer")
    static let startxref = Self("startxref")
}
