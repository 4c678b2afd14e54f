/// Finds decimal coordinate pairs — `29.563210, 106.551234` (lat, lon) or KML's
/// `106.551234,29.563210,0` (lon, lat[, alt]) — as the stream goes. A pair counts when
/// one value is a plausible latitude and the other a longitude; tags say whether it lies
/// in China's bounding box and how precise it is (five decimals ≈ one metre).
struct CoordinateScanner {
    private struct Number {
        var start = 0
        var end = 0
        var negative = false
        var integerDigits = 0
        var fractionDigits = 0
        var value = 0.0
        var scale = 1.0
        var text: [UInt8] = []
    }

    private var current: Number?
    private var afterDot = false
    private var previous: Number?
    /// Separator bytes since `previous` ended.
    private var gap = 0

    init() {}

    mutating func scan(_ window: StreamWindow, into matches: inout [DetectorMatch]) {
        let chunk = window.chunk
        for i in 0..<chunk.count {
            step(chunk[i], at: window.chunkStart + i, into: &matches)
        }
    }

    mutating func finish(at offset: Int, into matches: inout [DetectorMatch]) {
        endNumber(at: offset, into: &matches)
        previous = nil
    }

    private mutating func step(_ byte: UInt8, at offset: Int, into matches: inout [DetectorMatch]) {
        let digit = byte &- 0x30
        if digit < 10 {
            if current == nil {
                current = Number(start: offset)
                afterDot = false
                if let minus = lastMinus, minus == offset - 1 {
                    current?.negative = true
                    current?.start = minus
                }
            }
            if afterDot {
                current!.fractionDigits += 1
                current!.scale /= 10
                current!.value += Double(digit) * current!.scale
            } else {
                current!.integerDigits += 1
                current!.value = current!.value * 10 + Double(digit)
            }
            if current!.text.count < 16 { current!.text.append(byte) }
            return
        }
        if byte == UInt8(ascii: "."), current != nil, !afterDot {
            afterDot = true
            current!.text.append(byte)
            return
        }
        endNumber(at: offset, into: &matches)
        lastMinus = byte == UInt8(ascii: "-") ? offset : nil
        if previous != nil {
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "-") {
                gap += 1
                if gap > 3 { previous = nil }
            } else {
                previous = nil
            }
        }
    }

    private var lastMinus: Int?

    private mutating func endNumber(at offset: Int, into matches: inout [DetectorMatch]) {
        guard var number = current else { return }
        current = nil
        number.end = offset
        if number.negative { number.value = -number.value }
        // A coordinate has a fraction, and at most three integer digits.
        guard number.fractionDigits >= 1, number.integerDigits <= 3 else {
            previous = nil
            return
        }
        if let first = previous, let pair = Self.pair(first, number) {
            matches.append(pair)
            previous = nil
            return
        }
        previous = number
        gap = 0
    }

    private static func pair(_ first: Number, _ second: Number) -> DetectorMatch? {
        let a = first.value, b = second.value
        let latitude: Double, longitude: Double
        if abs(a) <= 90, abs(b) <= 180, abs(b) > 90 || (73...135).contains(b) && (3...54).contains(a) {
            (latitude, longitude) = (a, b)
        } else if abs(b) <= 90, abs(a) <= 180, abs(a) > 90 || (73...135).contains(a) && (3...54).contains(b) {
            (latitude, longitude) = (b, a)
        } else {
            return nil
        }
        let decimals = min(first.fractionDigits, second.fractionDigits)
        guard decimals >= 2 else { return nil }
        var tags: Set<String> = ["decimals-\(min(decimals, 9))"]
        if decimals >= 5 { tags.insert("precise") }
        if (18...54).contains(latitude) && (73...135).contains(longitude) { tags.insert("china") }
        return DetectorMatch(
            detector: .coordinates, start: first.start, end: second.end,
            value: first.text + [UInt8(ascii: ",")] + second.text, confidence: decimals >= 5 ? .medium : .low, tags: tags)
    }
}
