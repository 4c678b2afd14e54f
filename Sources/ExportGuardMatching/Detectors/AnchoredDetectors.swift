/// Detectors that start from a fixed anchor text found by the literal automaton and then
/// read a few bytes around it: `61398部队` (anchor 部队), `机密★10年` (anchor 机密★),
/// `国发〔2023〕5号` and `军字第1234567号` (anchor 号).
struct AnchoredDetectors {
    enum Anchor: Sendable, Hashable {
        case unitSuffix
        case marking(level: String)
        case bracketMarking(level: String)
        case numberSuffix
    }

    /// How many bytes after a marking may hold its period or condition.
    static let markingLookahead = 36

    static let levels: [(text: String, tag: String)] = [
        ("绝密", "top-secret"), ("絕密", "top-secret"), ("絶密", "top-secret"),
        ("机密", "secret"), ("機密", "secret"),
        ("秘密", "confidential"), ("祕密", "confidential"),
    ]
    /// The star between level and period as templates and fonts write it: ★ ☆ ＊ * and
    /// the other stars and triangles of ``ContextualNormalisation/otherStars`` (✱–✸, ⭐,
    /// 🌟, ▲ △ …); a symbol-font star arrives as one of these.
    static let stars = ["★", "☆", "＊", "*"] + ContextualNormalisation.otherStars.map { String(Character($0)) }

    /// The anchor literals for the enabled detectors.
    static func anchors(for enabled: Set<DetectorKind>) -> [(LiteralPattern, Anchor)] {
        var result: [(LiteralPattern, Anchor)] = []
        if enabled.contains(.plaUnit) {
            result.append((LiteralPattern("部队"), .unitSuffix))
            result.append((LiteralPattern("部隊"), .unitSuffix))
        }
        if enabled.contains(.classificationMarking) {
            for level in levels {
                for star in stars {
                    result.append((LiteralPattern(level.text + star), .marking(level: level.tag)))
                }
                for (open, close) in [("（", "）"), ("(", ")"), ("【", "】")] {
                    result.append((LiteralPattern(open + level.text + close), .bracketMarking(level: level.tag)))
                }
            }
        }
        if enabled.contains(.documentNumber) || enabled.contains(.militaryCertificate) {
            result.append((LiteralPattern("号"), .numberSuffix))
        }
        return result
    }

    let enabled: Set<DetectorKind>

    /// Handles an anchor hit. Returns false when the match must wait for more bytes after it.
    func resolve(_ anchor: Anchor, _ hit: LiteralMatch, window: StreamWindow, streamEnded: Bool, into matches: inout [DetectorMatch]) -> Bool {
        switch anchor {
        case .unitSuffix:
            unitDesignator(before: hit, window: window, into: &matches)
        case .marking(let level):
            guard streamEnded || window.end >= hit.end + Self.markingLookahead else { return false }
            marking(hit, level: level, window: window, into: &matches)
        case .bracketMarking(let level):
            matches.append(DetectorMatch(
                detector: .classificationMarking, start: hit.start, end: hit.end,
                value: window.bytes(hit.start..<hit.end) ?? [], confidence: .medium, tags: [level, "paragraph-mark"]))
        case .numberSuffix:
            numbered(hit, window: window, into: &matches)
        }
        return true
    }

    // MARK: 61398部队

    /// The digits a designator may be written in besides ASCII (full-width digits are ASCII
    /// by then): Chinese numerals read digit by digit (`六一三九八部队`).
    static let chineseDigits: [Unicode.Scalar: UInt8] = [
        "〇": 0x30, "零": 0x30, "一": 0x31, "二": 0x32, "三": 0x33, "四": 0x34,
        "五": 0x35, "六": 0x36, "七": 0x37, "八": 0x38, "九": 0x39,
    ]

    /// `61398部队`, and as people also write it: `61398 部队`, `第61398号部队`, `六一三九八部队`,
    /// `部隊`.
    private func unitDesignator(before hit: LiteralMatch, window: StreamWindow, into matches: inout [DetectorMatch]) {
        var cursor = hit.start
        // A space or two between the number and 部队.
        for _ in 0..<2 {
            guard let filler = scalarBefore(cursor, window: window), [" ", "\t", "\u{A0}", "\u{3000}"].contains(filler.scalar) else { break }
            cursor -= filler.length
        }
        let numbered = scalarBefore(cursor, window: window)?.scalar == "号"
        if numbered { cursor -= 3 }
        var digits = digitsBefore(cursor, window: window, max: 6)
        var start = cursor - digits.count
        if digits.isEmpty {
            // Chinese numerals, one per digit.
            var position = cursor
            while digits.count < 6, let numeral = scalarBefore(position, window: window), let digit = Self.chineseDigits[numeral.scalar] {
                digits.insert(digit, at: 0)
                position -= numeral.length
            }
            start = position
        } else if let before = window.byte(at: start - 1), before.isASCIIWordByte {
            return
        }
        guard digits.count == 5, digits.first != UInt8(ascii: "0") else { return }
        let ordinal = scalarBefore(start, window: window)?.scalar == "第"
        if ordinal { start -= 3 }
        // `第…号` goes together: a number before 号 alone is something else (`12345号部队文件`).
        guard !numbered || ordinal else { return }
        matches.append(DetectorMatch(
            detector: .plaUnit, start: start, end: hit.end, value: digits, confidence: .high))
    }

    // MARK: 机密★10年

    private func marking(_ hit: LiteralMatch, level: String, window: StreamWindow, into matches: inout [DetectorMatch]) {
        var tags: Set<String> = [level]
        var end = hit.end
        let after = window.bytes(hit.end..<min(hit.end + Self.markingLookahead, window.end)) ?? []
        let text = String(decoding: after, as: UTF8.self)
        if let period = Self.period(in: text) {
            end += period.utf8Count
            tags.insert(period.isCondition ? "condition" : "period")
            if period.isExamCondition { tags.insert("exam-condition") }
        } else {
            // A bare star means the default period for the level.
            tags.insert("default-period")
        }
        matches.append(DetectorMatch(
            detector: .classificationMarking, start: hit.start, end: end,
            value: window.bytes(hit.start..<end) ?? [], confidence: .high, tags: tags))
    }

    struct Period {
        var utf8Count: Int
        var isCondition: Bool
        var isExamCondition: Bool
    }

    /// `10年`, `6个月`, `长期`, `会议开始前` at the start of `text`.
    static func period(in text: String) -> Period? {
        let scalars = Array(text.unicodeScalars.prefix(16))
        /// Spaces, line breaks and variation selectors (after an emoji star) may sit between
        /// the star, the number and the unit.
        func isFiller(_ scalar: Unicode.Scalar) -> Bool {
            [" ", "\u{3000}", "\u{A0}", "\t", "\n", "\r"].contains(scalar) || (0xFE00...0xFE0F).contains(scalar.value)
        }
        var index = 0
        while index < scalars.count, isFiller(scalars[index]) { index += 1 }
        let leading = index
        var digits = 0
        while index < scalars.count, ("0"..."9").contains(scalars[index]) {
            index += 1
            digits += 1
        }
        func utf8Count(_ upTo: Int) -> Int { scalars[0..<upTo].reduce(0) { $0 + String($1).utf8.count } }
        if digits > 0 && digits <= 3 {
            var fillers = 0
            while fillers < 2, index < scalars.count, isFiller(scalars[index]) {
                index += 1
                fillers += 1
            }
            for unit in ["年", "个月", "個月", "月", "天", "日"] {
                let unitScalars = Array(unit.unicodeScalars)
                if index + unitScalars.count <= scalars.count, Array(scalars[index..<(index + unitScalars.count)]) == unitScalars {
                    return Period(utf8Count: utf8Count(index + unitScalars.count), isCondition: false, isExamCondition: false)
                }
            }
            return nil
        }
        index = leading
        if index + 2 <= scalars.count, ["长期", "長期"].contains(String(String.UnicodeScalarView(scalars[index..<(index + 2)]))) {
            return Period(utf8Count: utf8Count(index + 2), isCondition: false, isExamCondition: false)
        }
        // A condition: up to ten CJK characters ending in 前 (启用前, 会议开始前).
        var end = index
        while end < scalars.count, end - index < 10, (0x4E00...0x9FFF).contains(scalars[end].value) {
            if scalars[end] == "前" {
                let condition = String(String.UnicodeScalarView(scalars[index...end]))
                let exam = condition.hasSuffix("启用前") || condition.hasSuffix("啟用前") || condition.contains("考试")
                return Period(utf8Count: utf8Count(end + 1), isCondition: true, isExamCondition: exam)
            }
            end += 1
        }
        return nil
    }

    // MARK: 国发〔2023〕5号, 军字第1234567号

    private func numbered(_ hit: LiteralMatch, window: StreamWindow, into matches: inout [DetectorMatch]) {
        let serial = digitsBefore(hit.start, window: window, max: 9)
        guard !serial.isEmpty else { return }
        var cursor = hit.start - serial.count
        let previous = scalarBefore(cursor, window: window)

        if enabled.contains(.militaryCertificate), (6...8).contains(serial.count), previous?.scalar == "第",
           let zi = scalarBefore(cursor - 3, window: window), zi.scalar == "字",
           let kind = scalarBefore(cursor - 6, window: window), "军士文学参".unicodeScalars.contains(kind.scalar) {
            let start = cursor - 9
            matches.append(DetectorMatch(
                detector: .militaryCertificate, start: start, end: hit.end,
                value: window.bytes(start..<hit.end) ?? [], confidence: .high))
            return
        }

        guard enabled.contains(.documentNumber), serial.count <= 5, let close = previous,
              "〕]）】)".unicodeScalars.contains(close.scalar) else { return }
        cursor -= close.length
        let year = digitsBefore(cursor, window: window, max: 5)
        guard year.count == 4, let yearValue = Int(String(decoding: year, as: UTF8.self)), (1949...2099).contains(yearValue) else { return }
        cursor -= 4
        guard let open = scalarBefore(cursor, window: window), "〔[（【(".unicodeScalars.contains(open.scalar) else { return }
        cursor -= open.length
        // The issuing organ's abbreviation: up to six CJK characters.
        var organCount = 0
        while organCount < 6, let ch = scalarBefore(cursor, window: window), (0x4E00...0x9FFF).contains(ch.scalar.value) {
            cursor -= ch.length
            organCount += 1
        }
        guard organCount > 0 else { return }
        matches.append(DetectorMatch(
            detector: .documentNumber, start: cursor, end: hit.end,
            value: window.bytes(cursor..<hit.end) ?? [], confidence: .medium))
    }

    // MARK: Reading backwards

    private func digitsBefore(_ offset: Int, window: StreamWindow, max: Int) -> [UInt8] {
        var digits: [UInt8] = []
        var position = offset - 1
        while digits.count < max, let byte = window.byte(at: position), byte &- 0x30 < 10 {
            digits.append(byte)
            position -= 1
        }
        return digits.reversed()
    }

    /// The UTF-8 scalar that ends just before `offset`, with its byte length.
    private func scalarBefore(_ offset: Int, window: StreamWindow) -> (scalar: Unicode.Scalar, length: Int)? {
        var position = offset - 1
        var length = 1
        while length <= 4, let byte = window.byte(at: position), byte & 0xC0 == 0x80 {
            position -= 1
            length += 1
        }
        guard length <= 4, let bytes = window.bytes(position..<offset) else { return nil }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return nil }
        return (scalar, length)
    }
}
