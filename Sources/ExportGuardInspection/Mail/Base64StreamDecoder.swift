/// Decodes base64 (RFC 2045) as it streams: a quantum cut by a chunk boundary waits for
/// the next chunk; line breaks and white space are skipped. Anything else outside the
/// alphabet, padding where none can be, or a lone last character is malformed: decoding
/// stops and ``error`` says why. Base64 blocks written one after another (padding, then
/// more data) are read on, as mail clients do.
struct Base64StreamDecoder {
    private var bits: UInt32 = 0
    private var count = 0
    private var afterPadding = false
    /// Why the input is malformed, once it is; nothing more is decoded then.
    private(set) var error: String?

    private static let invalid: UInt8 = 0xFF
    private static let space: UInt8 = 0xFE
    private static let pad: UInt8 = 0xFD

    private static let table: [UInt8] = {
        var table = [UInt8](repeating: invalid, count: 256)
        for (value, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(byte)] = UInt8(value)
        }
        for byte in [0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C] { table[byte] = space }
        table[Int(UInt8(ascii: "="))] = pad
        return table
    }()

    init() {}

    /// Decodes `input`, appending bytes to `output`; false once the input is malformed.
    @discardableResult
    mutating func decode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) -> Bool {
        guard error == nil else { return false }
        var rest = input[...]
        while !rest.isEmpty {
            if count == 0 {
                rest = decodeQuanta(UnsafeRawBufferPointer(rebasing: rest), into: &output)
                if rest.isEmpty { break }
            }
            let byte = rest[rest.startIndex]
            rest = rest.dropFirst()
            let value = Self.table[Int(byte)]
            if value < 64 {
                afterPadding = false
                bits = bits << 6 | UInt32(value)
                count += 1
                if count == 4 {
                    Self.append(bits, characters: 4, to: &output)
                    bits = 0
                    count = 0
                }
            } else if value == Self.space {
                continue
            } else if value == Self.pad {
                if afterPadding { continue }
                guard count >= 2 else {
                    error = "base64: misplaced padding"
                    return false
                }
                flushPartial(into: &output)
                afterPadding = true
            } else {
                error = "base64: invalid character " + Self.describe(byte)
                return false
            }
        }
        return true
    }

    /// The bulk of a body: whole lines of complete quanta, four characters to three bytes,
    /// written straight into `output`; line breaks between quanta are skipped. Stops at the
    /// first byte it does not handle (anything but the alphabet and CR LF, or a quantum cut
    /// by the end of the input) and returns the input from there, for the byte-wise loop.
    private mutating func decodeQuanta(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) -> Slice<UnsafeRawBufferPointer> {
        guard count == 0, input.count >= 4, let base = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return input[...] }
        let n = input.count
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: n / 4 * 3))
        var i = 0
        var written = 0
        Self.table.withUnsafeBufferPointer { table in
            output.withUnsafeMutableBufferPointer { out in
                let target = out.baseAddress! + start
                while i + 4 <= n {
                    let a = table[Int(base[i])], b = table[Int(base[i + 1])]
                    let c = table[Int(base[i + 2])], d = table[Int(base[i + 3])]
                    if a | b | c | d < 64 {
                        let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                        target[written] = UInt8(truncatingIfNeeded: v >> 16)
                        target[written + 1] = UInt8(truncatingIfNeeded: v >> 8)
                        target[written + 2] = UInt8(truncatingIfNeeded: v)
                        written += 3
                        i += 4
                    } else if base[i] == 0x0D || base[i] == 0x0A {
                        i += 1
                    } else {
                        break
                    }
                }
            }
        }
        output.removeLast(output.count - start - written)
        if written > 0 { afterPadding = false }
        return input[i...]
    }

    /// The input ended: two or three characters left decode to what they hold (padding is
    /// often left out); a single one cannot, and is malformed.
    @discardableResult
    mutating func finish(into output: inout [UInt8]) -> Bool {
        guard error == nil else { return false }
        if count == 1 {
            error = "base64: truncated (a single character left over)"
            return false
        }
        flushPartial(into: &output)
        return true
    }

    private mutating func flushPartial(into output: inout [UInt8]) {
        Self.append(bits, characters: count, to: &output)
        bits = 0
        count = 0
    }

    /// The bytes `characters` sextets (the low bits of `bits`) hold: three for a whole
    /// quantum, two for three characters, one for two; nothing for fewer.
    private static func append(_ bits: UInt32, characters: Int, to output: inout [UInt8]) {
        guard characters >= 2 else { return }
        let aligned = bits << (6 * UInt32(4 - characters))
        output.append(UInt8(truncatingIfNeeded: aligned >> 16))
        if characters >= 3 { output.append(UInt8(truncatingIfNeeded: aligned >> 8)) }
        if characters == 4 { output.append(UInt8(truncatingIfNeeded: aligned)) }
    }

    static func describe(_ byte: UInt8) -> String {
        if (0x21...0x7E).contains(byte) { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }

    /// Decodes a whole short input (an RFC 2047 encoded word), leniently.
    static func decodeLeniently(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        var bits: UInt32 = 0
        var count = 0
        for byte in bytes {
            let value = table[Int(byte)]
            guard value < 64 else { continue }
            bits = bits << 6 | UInt32(value)
            count += 1
            if count == 4 {
                append(bits, characters: 4, to: &output)
                bits = 0
                count = 0
            }
        }
        append(bits, characters: count, to: &output)
        return output
    }
}
