/// Finds BinHex 4.0 files in a text part (after "(This file must be converted with BinHex
/// 4.0)", between colons), as classic Mac mail programs attached them, and decodes each —
/// six-bit characters, run-length encoding, the header with the file's name and fork
/// lengths — into a stream of its own holding the data fork. A block that cannot be decoded
/// is reported.
struct BinHexBlocks {
    /// Encoded characters of one file held at most.
    static let maximumBytes = 64 << 20
    static let alphabet = Array(##"!"#$%&'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr"##.utf8)
    static let values: [UInt8: UInt8] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, UInt8($0)) })
    static let banner = Array("(This file must be converted with BinHex".utf8)

    private enum State {
        case searching
        /// The banner was seen; the data starts at a colon.
        case armed
        case collecting
    }

    private var state = State.searching
    private var line: [UInt8] = []
    private var encoded: [UInt8] = []
    private var blocks = 0

    mutating func feed(_ bytes: UnsafeRawBufferPointer, part: StreamDispatcher) {
        for byte in bytes {
            switch state {
            case .searching:
                if byte == 0x0A {
                    if line.starts(with: Self.banner) { state = .armed }
                    line.removeAll(keepingCapacity: true)
                } else if line.count < 128 {
                    line.append(byte)
                }
            case .armed:
                if byte == UInt8(ascii: ":") {
                    state = .collecting
                    encoded.removeAll(keepingCapacity: true)
                }
            case .collecting:
                if byte == UInt8(ascii: ":") {
                    decode(part: part)
                    state = .searching
                } else if Self.values[byte] != nil {
                    if encoded.count < Self.maximumBytes { encoded.append(byte) }
                } else if byte != 0x0A, byte != 0x0D, byte != 0x20, byte != 0x09 {
                    fail("a character outside BinHex's alphabet", part: part)
                    state = .searching
                }
            }
        }
    }

    mutating func finish(part: StreamDispatcher) {
        if case .collecting = state { fail("the file ends without its closing colon", part: part) }
        state = .searching
    }

    private mutating func fail(_ detail: String, part: StreamDispatcher) {
        blocks += 1
        part.closeText()
        part.uninspected(.corrupt("BinHex: \(detail)"), at: part.location.appending(part: "binhex \(blocks)"))
    }

    private mutating func decode(part: StreamDispatcher) {
        // Six bits a character, then 0x90 runs: 0x90 n repeats the last byte n - 1 more times.
        var packed: [UInt8] = []
        packed.reserveCapacity(encoded.count * 3 / 4)
        var bits: UInt32 = 0, count = 0
        for character in encoded {
            bits = bits << 6 | UInt32(Self.values[character] ?? 0)
            count += 6
            if count >= 8 {
                count -= 8
                packed.append(UInt8(bits >> UInt32(count) & 0xFF))
            }
        }
        var data: [UInt8] = []
        data.reserveCapacity(packed.count)
        var index = 0
        while index < packed.count {
            let byte = packed[index]
            if byte == 0x90, index + 1 < packed.count {
                let run = Int(packed[index + 1])
                if run == 0 {
                    data.append(0x90)
                } else if let last = data.last, data.count + run <= Self.maximumBytes {
                    data.append(contentsOf: repeatElement(last, count: run - 1))
                }
                index += 2
                continue
            }
            data.append(byte)
            index += 1
        }
        // Header: name length and name, version, type, creator, flags, fork lengths, CRC.
        let reader = ByteReader(bytes: data, bigEndian: true)
        guard let nameLength = try? reader.u8(0), let dataLength = try? reader.u32(1 + nameLength + 11),
              reader.contains(1 + nameLength + 21, length: dataLength) else {
            fail("the header or the data fork is cut short", part: part)
            return
        }
        blocks += 1
        let name = WindowsCodePage.decode(data[1..<(1 + nameLength)], codePage: 10000)
        let start = 1 + nameLength + 21
        part.closeText()
        let child = part.child(named: name.isEmpty ? "binhex \(blocks)" : name)
        data[start..<(start + dataLength)].withUnsafeBytes { child.feed($0) }
        child.finish()
    }
}
