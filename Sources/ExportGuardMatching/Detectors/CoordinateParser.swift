/// Reads coordinate pairs around a digit run, for the ``DigitScanner``.
///
/// Recognised, with a comma (ASCII `,`, full-width `，`, `、`, `;`, `；` or `/`), spaces or
/// both between the two values:
///
/// - decimal degrees: `29.563210, 106.551234` (lat, lon) or KML's `106.551234,29.563210`
///   (lon, lat);
/// - with hemisphere letters before or after: `N39.9042 E116.4074`, `39.9042°N, 116.4074°E`;
/// - after words: `北纬39.90421，东经116.40739`, `纬度：39.9，经度：116.4`,
///   `lat 39.904211 lon 116.407395` (`lat`, `latitude`, `lon`, `lng`, `long`, `longitude`);
/// - degrees, minutes and seconds: `31°13′49″N 121°28′12″E` (also `'` and `"`).
///
/// A value has at most three integer digits and is not part of a longer dotted number
/// (`1.2.3`) or glued to a word (`39.9042km`). A pair counts when one value is a plausible
/// latitude and the other a longitude (the markers say which, when present). Without any
/// marker (hemisphere letter, word, degree sign or DMS notation) both values need at least
/// four decimals, so prices (`单价 12.50, 100.25 元`) are not coordinates; with one, two.
///
/// Tags: `decimals-N` (the smaller precision of the two; DMS counts as 4 with whole seconds,
/// more with decimal seconds, 2 without seconds), `precise` from five decimals (about a
/// metre), `china` inside China's bounding box, `dms` for degree-minute-second notation.
struct CoordinateParser {
    /// Longest run of digits and dots that can hold one value.
    static let longestNumber = 24

    enum Axis { case latitude, longitude }

    struct Value {
        /// First byte of the number (its minus sign included).
        var start: Int
        /// One past the number and any hemisphere letter after it.
        var end: Int
        /// One past the number itself (before a hemisphere letter).
        var numberEnd: Int
        var magnitude: Double
        var negative: Bool
        /// Decimal places, or their equivalent for DMS.
        var precision: Int
        var isDMS: Bool
        var axis: Axis?
        /// A hemisphere letter, a word or a degree sign marks it as a coordinate.
        var hasMarker: Bool

        var value: Double { negative ? -magnitude : magnitude }
    }

    struct Marker {
        var axis: Axis?
        var negative: Bool
    }

    let view: TextView

    // MARK: One value

    /// The value whose digits start at `run` (a digit not preceded by a digit), or nil. A
    /// marker before it counts only when it starts at or after `notBefore` (so the
    /// hemisphere letter after one value is not taken for a marker of the next).
    func value(at run: Int, notBefore: Int) throws(NeedMoreInput) -> Value? {
        let before = view.byteIfPresent(run - 1)
        if before == UInt8(ascii: ".") { return nil }
        var start = run
        var negative = false
        if before == UInt8(ascii: "-") {
            let sign = view.byteIfPresent(run - 2)
            if sign == nil || !(sign!.isASCIILetterOrDigit || sign == UInt8(ascii: ".")) {
                negative = true
                start = run - 1
            }
        }
        var index = run
        var integer = 0.0
        var integerDigits = 0
        while let byte = try view.byte(index), byte.isASCIIDigit {
            integerDigits += 1
            if integerDigits > 3 { return nil }
            integer = integer * 10 + Double(byte &- 0x30)
            index += 1
        }
        guard let next = try view.byte(index) else { return nil }
        var magnitude: Double
        var precision: Int
        var isDMS = false
        var degreeSign = false
        if next == UInt8(ascii: ".") {
            guard let first = try view.byte(index + 1), first.isASCIIDigit else { return nil }
            index += 1
            var fraction = 0.0
            var scale = 1.0
            var digits = 0
            while let byte = try view.byte(index), byte.isASCIIDigit {
                digits += 1
                if digits > 15 { return nil }
                scale /= 10
                fraction += Double(byte &- 0x30) * scale
                index += 1
            }
            // A second dot followed by a digit: a version or an address, not a coordinate.
            if try view.byte(index) == UInt8(ascii: "."), let after = try view.byte(index + 1), after.isASCIIDigit {
                return nil
            }
            magnitude = integer + fraction
            precision = digits
            if try view.packedAhead(index, length: 2) == Packed.degree {
                index += 2
                degreeSign = true
            }
        } else if try view.packedAhead(index, length: 2) == Packed.degree {
            index += 2
            guard let dms = try minutesAndSeconds(at: index) else { return nil }
            magnitude = integer + dms.minutes / 60 + dms.seconds / 3600
            precision = dms.precision
            index = dms.end
            isDMS = true
        } else {
            return nil
        }
        let numberEnd = index
        let prefix = marker(before: start, notBefore: notBefore)
        if prefix == nil, let before, before.isASCIILetter { return nil }

        // A hemisphere letter after the value: `39.9042N`, `39.9042 N`, `31°13′49″N`.
        var suffix: Marker?
        var end = index
        if let letter = try view.byte(index), let hemisphere = Self.hemisphere(letter), try !isWordByte(index + 1) {
            suffix = hemisphere
            end = index + 1
        } else if prefix == nil, try view.byte(index) == UInt8(ascii: " "), let letter = try view.byte(index + 1),
                  let hemisphere = Self.hemisphere(letter), try !isWordByte(index + 2) {
            suffix = hemisphere
            end = index + 2
        } else if let letter = try view.byte(index), letter.isASCIILetter {
            // Glued to a word: a measurement or an identifier, not a coordinate.
            return nil
        }

        let marker = prefix ?? suffix
        return Value(
            start: start, end: end, numberEnd: numberEnd, magnitude: magnitude,
            negative: negative || (marker?.negative ?? false), precision: precision, isDMS: isDMS,
            axis: marker?.axis, hasMarker: marker != nil || degreeSign)
    }

    /// `13′49″`, `13' 49.5"`, `13′` after the degree sign.
    private func minutesAndSeconds(at position: Int) throws(NeedMoreInput) -> (minutes: Double, seconds: Double, precision: Int, end: Int)? {
        var index = try skipOneSpace(position)
        guard let minutes = try twoDigits(at: index), minutes.value < 60 else { return nil }
        index = minutes.end
        guard let minuteMark = try minuteMark(at: index) else { return nil }
        index += minuteMark
        let afterMinutes = index
        index = try skipOneSpace(index)
        guard let seconds = try twoDigits(at: index), seconds.value < 60 else {
            return (minutes.value, 0, 2, afterMinutes)
        }
        index = seconds.end
        var secondsValue = seconds.value
        var fractionDigits = 0
        if try view.byte(index) == UInt8(ascii: "."), let first = try view.byte(index + 1), first.isASCIIDigit {
            index += 1
            var scale = 1.0
            while let byte = try view.byte(index), byte.isASCIIDigit, fractionDigits < 6 {
                scale /= 10
                secondsValue += Double(byte &- 0x30) * scale
                fractionDigits += 1
                index += 1
            }
        }
        guard let secondMark = try secondMark(at: index) else {
            return (minutes.value, 0, 2, afterMinutes)
        }
        return (minutes.value, secondsValue, 4 + fractionDigits, index + secondMark)
    }

    private func twoDigits(at index: Int) throws(NeedMoreInput) -> (value: Double, end: Int)? {
        guard let first = try view.byte(index), first.isASCIIDigit else { return nil }
        var value = Double(first &- 0x30)
        var end = index + 1
        if let second = try view.byte(end), second.isASCIIDigit {
            value = value * 10 + Double(second &- 0x30)
            end += 1
        }
        if let third = try view.byte(end), third.isASCIIDigit { return nil }
        return (value, end)
    }

    private func skipOneSpace(_ index: Int) throws(NeedMoreInput) -> Int {
        try view.byte(index) == UInt8(ascii: " ") ? index + 1 : index
    }

    /// `′`, `'` or `’` at `index`: its length.
    private func minuteMark(at index: Int) throws(NeedMoreInput) -> Int? {
        guard let byte = try view.byte(index) else { return nil }
        if byte == UInt8(ascii: "'") { return 1 }
        guard byte == 0xE2 else { return nil }
        let mark = try view.packedAhead(index, length: 3)
        return mark == Packed.prime || mark == Packed.rightSingleQuote ? 3 : nil
    }

    /// `″`, `"`, `''` or `”` at `index`: its length.
    private func secondMark(at index: Int) throws(NeedMoreInput) -> Int? {
        guard let byte = try view.byte(index) else { return nil }
        if byte == UInt8(ascii: "\"") { return 1 }
        if byte == UInt8(ascii: "'") { return try view.byte(index + 1) == UInt8(ascii: "'") ? 2 : nil }
        guard byte == 0xE2 else { return nil }
        let mark = try view.packedAhead(index, length: 3)
        return mark == Packed.doublePrime || mark == Packed.rightDoubleQuote ? 3 : nil
    }

    private func isWordByte(_ index: Int) throws(NeedMoreInput) -> Bool {
        guard let byte = try view.byte(index) else { return false }
        return byte.isASCIILetterOrDigit
    }

    // MARK: Markers

    /// A hemisphere letter or coordinate word just before `start` (spaces and a colon or
    /// equals sign may come between).
    func marker(before start: Int, notBefore: Int) -> Marker? {
        if start - 1 >= notBefore, let letter = view.byteIfPresent(start - 1), let hemisphere = Self.hemisphere(letter),
           !isWordByteBehind(start - 2) {
            return hemisphere
        }
        var position = skipSpacesBehind(start, max: 2)
        if let byte = view.byteIfPresent(position - 1), byte == UInt8(ascii: ":") || byte == UInt8(ascii: "=") {
            position -= 1
        } else if view.packedBefore(position, length: 3) == Packed.fullWidthColon {
            position -= 3
        }
        position = skipSpacesBehind(position, max: 2)
        guard let last = view.byteIfPresent(position - 1) else { return nil }
        if last >= 0x80 {
            // 北纬, 东经, 纬度, ... : two CJK characters, six bytes.
            guard position - 6 >= notBefore, let word = view.packedBefore(position, length: 6) else { return nil }
            return Self.chineseMarker(word)
        }
        if position < start, position - 1 >= notBefore, let hemisphere = Self.hemisphere(last), !isWordByteBehind(position - 2) {
            return hemisphere
        }
        guard last.isASCIILetter else { return nil }
        // lat, lon, lng, long, latitude, longitude: lower-cased and packed, longest first.
        for length in [9, 8, 4, 3] {
            let wordStart = position - length
            guard wordStart >= notBefore, !isWordByteBehind(wordStart - 1),
                  let word = view.packedBefore(position, length: min(length, 8)) else { continue }
            let lowered = word | Self.lowerCaseMask(word)
            if length == 9 {
                if lowered == Packed.ongitude, view.byteIfPresent(wordStart)?.asciiLowercased == UInt8(ascii: "l") { return Self.longitude }
            } else if let marker = Self.englishMarker(lowered, length: length) {
                return marker
            }
        }
        return nil
    }

    private func isWordByteBehind(_ index: Int) -> Bool {
        view.byteIfPresent(index)?.isASCIILetterOrDigit ?? false
    }

    /// Where the second value's digits start after the first value ends at `end`: past
    /// spaces, one comma and a marker for the second value.
    func nextValueStart(after end: Int) throws(NeedMoreInput) -> Int? {
        var index = end
        index = try skipSpaces(index, max: 3)
        var matchedComma = false
        if let byte = try view.byte(index) {
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "/") {
                index += 1
                matchedComma = true
            } else if byte == 0xEF || byte == 0xE3 {
                let comma = try view.packedAhead(index, length: 3)
                if comma == Packed.fullWidthComma || comma == Packed.ideographicComma || comma == Packed.fullWidthSemicolon {
                    index += 3
                    matchedComma = true
                }
            }
        }
        if matchedComma { index = try skipSpaces(index, max: 3) }
        index = try skipMarker(at: index)
        if try view.byte(index) == UInt8(ascii: "-") { index += 1 }
        guard index > end, let digit = try view.byte(index), digit.isASCIIDigit else { return nil }
        return index
    }

    /// Past up to `max` spaces, tabs or U+3000.
    private func skipSpaces(_ start: Int, max: Int) throws(NeedMoreInput) -> Int {
        var index = start
        var count = 0
        while count < max, let byte = try view.byte(index) {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                index += 1
            } else if byte == 0xE3, try view.packedAhead(index, length: 3) == Packed.ideographicSpace {
                index += 3
            } else {
                break
            }
            count += 1
        }
        return index
    }

    /// Back over up to `max` spaces or U+3000 before `end`.
    private func skipSpacesBehind(_ end: Int, max: Int) -> Int {
        var position = end
        var count = 0
        while count < max {
            if view.byteIfPresent(position - 1) == UInt8(ascii: " ") {
                position -= 1
            } else if view.packedBefore(position, length: 3) == Packed.ideographicSpace {
                position -= 3
            } else {
                break
            }
            count += 1
        }
        return position
    }

    /// Past a hemisphere letter or coordinate word (and a colon or equals sign and spaces) at `index`.
    private func skipMarker(at start: Int) throws(NeedMoreInput) -> Int {
        var index = start
        guard let first = try view.byte(index) else { return start }
        if Self.hemisphere(first) != nil {
            index += 1
        } else if first >= 0x80 {
            guard let word = try view.packedAhead(index, length: 6), Self.chineseMarker(word) != nil else { return start }
            index += 6
        } else if first.isASCIILetter {
            // The letters up to the next non-letter: a coordinate word?
            var length = 0
            while length <= 9, let byte = try view.byte(index + length), byte.isASCIILetter { length += 1 }
            guard [3, 4, 8, 9].contains(length), try !isWordByte(index + length),
                  let word = try view.packedAhead(length == 9 ? index + 1 : index, length: min(length, 8)) else { return start }
            let lowered = word | Self.lowerCaseMask(word)
            let known = length == 9
                ? lowered == Packed.ongitude && first | 0x20 == UInt8(ascii: "l")
                : Self.englishMarker(lowered, length: length) != nil
            guard known else { return start }
            index += length
        } else {
            return start
        }
        index = try skipSpaces(index, max: 2)
        if let byte = try view.byte(index), byte == UInt8(ascii: ":") || byte == UInt8(ascii: "=") {
            index += 1
        } else if try view.byte(index) == 0xEF, try view.packedAhead(index, length: 3) == Packed.fullWidthColon {
            index += 3
        }
        return try skipSpaces(index, max: 2)
    }

    // MARK: The pair

    static func pair(_ first: Value, _ second: Value, view: TextView) -> DetectorMatch? {
        guard first.isDMS == second.isDMS else { return nil }
        let context = first.hasMarker || second.hasMarker || first.isDMS
        let decimals = min(first.precision, second.precision)
        guard decimals >= (context ? 2 : 4) else { return nil }
        let a = first.value, b = second.value
        let latitude: Double, longitude: Double
        if first.axis == .latitude || second.axis == .longitude {
            guard first.axis != .longitude, second.axis != .latitude else { return nil }
            (latitude, longitude) = (a, b)
        } else if first.axis == .longitude || second.axis == .latitude {
            (latitude, longitude) = (b, a)
        } else if abs(a) <= 90, abs(b) <= 180, abs(b) > 90 || (73...135).contains(b) && (3...54).contains(a) {
            (latitude, longitude) = (a, b)
        } else if abs(b) <= 90, abs(a) <= 180, abs(a) > 90 || (73...135).contains(a) && (3...54).contains(b) {
            (latitude, longitude) = (b, a)
        } else {
            return nil
        }
        guard abs(latitude) <= 90, abs(longitude) <= 180 else { return nil }
        let china = (18...54).contains(latitude) && (73...135).contains(longitude)
        var value: [UInt8] = []
        for offset in first.start..<min(first.numberEnd, first.start + longestNumber) { value.append(view[offset]) }
        value.append(UInt8(ascii: ","))
        for offset in second.start..<min(second.numberEnd, second.start + longestNumber) { value.append(view[offset]) }
        return DetectorMatch(
            detector: .coordinates, start: first.start, end: second.end, value: value,
            confidence: decimals >= 5 ? .medium : .low, tags: tags(decimals: decimals, dms: first.isDMS, china: china))
    }

    /// Every combination of tags, built once: `decimals-N` (N up to 9), `precise` from five
    /// decimals, `dms`, `china`.
    private static let tagSets: [Set<String>] = (0..<40).map { index in
        let decimals = index / 4
        var tags: Set<String> = ["decimals-\(decimals)"]
        if decimals >= 5 { tags.insert("precise") }
        if index & 2 != 0 { tags.insert("dms") }
        if index & 1 != 0 { tags.insert("china") }
        return tags
    }

    static func tags(decimals: Int, dms: Bool, china: Bool) -> Set<String> {
        tagSets[min(decimals, 9) * 4 + (dms ? 2 : 0) + (china ? 1 : 0)]
    }

    // MARK: Tables

    static func hemisphere(_ letter: UInt8) -> Marker? {
        switch letter {
        case UInt8(ascii: "N"): Marker(axis: .latitude, negative: false)
        case UInt8(ascii: "S"): Marker(axis: .latitude, negative: true)
        case UInt8(ascii: "E"): Marker(axis: .longitude, negative: false)
        case UInt8(ascii: "W"): Marker(axis: .longitude, negative: true)
        default: nil
        }
    }

    static func chineseMarker(_ word: UInt64) -> Marker? {
        switch word {
        case Packed.beiwei, Packed.beiweiTraditional, Packed.weidu, Packed.weiduTraditional:
            Marker(axis: .latitude, negative: false)
        case Packed.nanwei, Packed.nanweiTraditional:
            Marker(axis: .latitude, negative: true)
        case Packed.dongjing, Packed.dongjingTraditional, Packed.jingdu, Packed.jingduTraditional:
            Marker(axis: .longitude, negative: false)
        case Packed.xijing, Packed.xijingTraditional:
            Marker(axis: .longitude, negative: true)
        default:
            nil
        }
    }

    static let latitude = Marker(axis: .latitude, negative: false)
    static let longitude = Marker(axis: .longitude, negative: false)

    /// `lat`, `lon`, `lng`, `long` or `latitude`, lower-cased and packed.
    static func englishMarker(_ word: UInt64, length: Int) -> Marker? {
        switch (length, word) {
        case (3, Packed.lat), (8, Packed.latitude): latitude
        case (3, Packed.lon), (3, Packed.lng), (4, Packed.long): longitude
        default: nil
        }
    }

    /// 0x20 in each byte of `word` that is an ASCII capital letter (OR it in to lower-case).
    @inline(__always)
    static func lowerCaseMask(_ word: UInt64) -> UInt64 {
        var mask: UInt64 = 0
        for k in 0..<8 {
            let byte = UInt8(truncatingIfNeeded: word >> (8 * UInt64(k)))
            if byte &- 0x41 < 26 { mask |= 0x20 << (8 * UInt64(k)) }
        }
        return mask
    }
}

/// UTF-8 sequences read as little-endian integers (first byte lowest), for comparing a
/// few bytes at once. `DetectorTests` checks every constant against its text.
enum Packed {
    static let degree: UInt64 = 0xB0C2                      // °
    static let prime: UInt64 = 0xB2_80E2                    // ′
    static let doublePrime: UInt64 = 0xB3_80E2              // ″
    static let rightSingleQuote: UInt64 = 0x99_80E2         // ’
    static let rightDoubleQuote: UInt64 = 0x9D_80E2         // ”
    static let fullWidthComma: UInt64 = 0x8C_BCEF           // ，
    static let fullWidthSemicolon: UInt64 = 0x9B_BCEF       // ；
    static let fullWidthColon: UInt64 = 0x9A_BCEF           // ：
    static let fullWidthHyphen: UInt64 = 0x8D_BCEF          // －
    static let ideographicComma: UInt64 = 0x81_80E3         // 、
    static let ideographicSpace: UInt64 = 0x80_80E3         // U+3000
    static let beiwei: UInt64 = 0xACBA_E797_8CE5            // 北纬
    static let beiweiTraditional: UInt64 = 0xAFB7_E797_8CE5 // 北緯
    static let nanwei: UInt64 = 0xACBA_E797_8DE5            // 南纬
    static let nanweiTraditional: UInt64 = 0xAFB7_E797_8DE5 // 南緯
    static let dongjing: UInt64 = 0x8FBB_E79C_B8E4          // 东经
    static let dongjingTraditional: UInt64 = 0x93B6_E7B1_9DE6 // 東經
    static let xijing: UInt64 = 0x8FBB_E7BF_A5E8            // 西经
    static let xijingTraditional: UInt64 = 0x93B6_E7BF_A5E8 // 西經
    static let weidu: UInt64 = 0xA6BA_E5AC_BAE7             // 纬度
    static let weiduTraditional: UInt64 = 0xA6BA_E5AF_B7E7  // 緯度
    static let jingdu: UInt64 = 0xA6BA_E58F_BBE7            // 经度
    static let jingduTraditional: UInt64 = 0xA6BA_E593_B6E7 // 經度
    static let lat: UInt64 = 0x74_616C                      // lat
    static let lon: UInt64 = 0x6E_6F6C                      // lon
    static let lng: UInt64 = 0x67_6E6C                      // lng
    static let long: UInt64 = 0x676E_6F6C                   // long
    static let latitude: UInt64 = 0x6564_7574_6974_616C     // latitude
    static let ongitude: UInt64 = 0x6564_7574_6967_6E6F     // (l)ongitude

    /// The packed form of a short string (at most 8 UTF-8 bytes).
    static func pack(_ text: String) -> UInt64 {
        var value: UInt64 = 0
        for (k, byte) in text.utf8.enumerated() { value |= UInt64(byte) << (8 * UInt64(k)) }
        return value
    }
}
