/// 7-Zip's BCJ2 filter, decoded: x86 code whose call and jump targets were moved out into
/// streams of their own to compress better. Four inputs — the main stream, the call
/// targets, the jump targets and a range-coded stream of one bit per call or jump opcode
/// (was it converted?) — give one output. liblzma has no BCJ2, so it is written here, after
/// the format as 7-Zip's public-domain decoder defines it.
///
/// The main stream is pushed through as it unpacks; the other three are small (four bytes
/// per converted call) and are held whole.
struct SevenZipBCJ2 {
    private var probabilities = [UInt16](repeating: 1024, count: 258)
    private var range: UInt32 = 0xFFFF_FFFF
    private var code: UInt32 = 0
    private var previous: UInt8 = 0
    private var produced = 0
    private let calls: [UInt8]
    private let jumps: [UInt8]
    private let coder: [UInt8]
    private var callOffset = 0
    private var jumpOffset = 0
    private var coderOffset = 0
    /// The output size: what follows is not decoded.
    private let size: Int

    init(calls: [UInt8], jumps: [UInt8], rangeCoder: [UInt8], size: Int) throws(SevenZipError) {
        self.calls = calls
        self.jumps = jumps
        self.coder = rangeCoder
        self.size = size
        guard rangeCoder.count >= 5 else { throw .corrupt("a BCJ2 range coder of \(rangeCoder.count) bytes") }
        for index in 0..<5 { code = code << 8 | UInt32(rangeCoder[index]) }
        coderOffset = 5
    }

    /// Decodes the next piece of the main stream into `output` (emptied first).
    mutating func decode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(SevenZipError) {
        output.removeAll(keepingCapacity: true)
        for byte in input {
            guard produced < size else { return }
            output.append(byte)
            produced += 1
            let isJump = byte & 0xFE == 0xE8 || (previous == 0x0F && byte & 0xF0 == 0x80)
            guard isJump, produced < size else {
                previous = byte
                continue
            }
            let slot = byte == 0xE8 ? Int(previous) : byte == 0xE9 ? 256 : 257
            guard try bit(slot) else {
                previous = byte
                continue
            }
            let source = try target(byte == 0xE8)
            let destination = source &- UInt32(truncatingIfNeeded: produced + 4)
            for shift in stride(from: 0, to: 32, by: 8) where produced < size {
                output.append(UInt8(truncatingIfNeeded: destination >> UInt32(shift)))
                produced += 1
            }
            previous = UInt8(truncatingIfNeeded: destination >> 24)
        }
    }

    /// One range-coded bit with the adaptive probability in `slot`.
    private mutating func bit(_ slot: Int) throws(SevenZipError) -> Bool {
        let probability = UInt32(probabilities[slot])
        let bound = (range >> 11) &* probability
        let one: Bool
        if code < bound {
            range = bound
            probabilities[slot] = UInt16(probability + ((2048 - probability) >> 5))
            one = false
        } else {
            range &-= bound
            code &-= bound
            probabilities[slot] = UInt16(probability - (probability >> 5))
            one = true
        }
        if range < 1 << 24 {
            guard coderOffset < coder.count else { throw .corrupt("the BCJ2 range coder ends early") }
            range <<= 8
            code = code << 8 | UInt32(coder[coderOffset])
            coderOffset += 1
        }
        return one
    }

    /// The next absolute target, big-endian, from the call or the jump stream.
    private mutating func target(_ call: Bool) throws(SevenZipError) -> UInt32 {
        let stream = call ? calls : jumps
        let offset = call ? callOffset : jumpOffset
        guard offset + 4 <= stream.count else { throw .corrupt("the BCJ2 \(call ? "call" : "jump") stream ends early") }
        if call { callOffset += 4 } else { jumpOffset += 4 }
        return (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(stream[offset + $1]) }
    }
}
