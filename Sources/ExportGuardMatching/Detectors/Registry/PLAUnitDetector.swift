/// PLA unit cover designators: five digits before 部队 (`61398部队`, found from that anchor),
/// or after the word "Unit" (`PLA Unit 61398`).
struct PLAUnitDetector: TokenDetector {
    let kind = DetectorKind.plaUnit
    let trigger = DetectorTrigger.identifierToken(lengths: 5...5)
    let tags = DetectorTags()
    let redaction = Redaction.maskedWithSuffix("部队")

    func match(_ token: [UInt8], range: Range<Int>, window: StreamWindow) -> DetectorMatch? {
        guard token.count == 5, token[0] &- 0x31 < 9, Self.precededByUnitWord(range.lowerBound, window: window) else { return nil }
        return DetectorMatch(detector: kind, start: range.lowerBound, end: range.upperBound, value: token, confidence: .medium)
    }

    /// `Unit 61398`, `PLA Unit 61398`: the word before the number, case-insensitive.
    static func precededByUnitWord(_ start: Int, window: StreamWindow) -> Bool {
        guard let space = window.byte(at: start - 1), space == UInt8(ascii: " "),
              let word = window.bytes((start - 5)..<(start - 1)) else { return false }
        guard word.map(\.asciiLowercased) == Array("unit".utf8) else { return false }
        if let before = window.byte(at: start - 6) { return !before.isASCIIWordByte }
        return true
    }
}
