/// A resident identity number that passed ``ResidentIDValidator/validate(_:)``.
///
/// Covers the mainland resident identity card (居民身份证, GB 11643-1999), its
/// 15-digit first-generation predecessor, and the residence permits for Hong Kong,
/// Macau and Taiwan residents, which reuse the 18-digit layout.
struct ResidentID: Sendable, Hashable {
    /// The six-digit administrative-division code, for example `110105`.
    let regionCode: Int
    /// The four-digit birth year (for the legacy form, `1900 + YY`).
    let birthYear: Int
    /// The birth month, `1...12`.
    let birthMonth: Int
    /// The birth day of the month, already checked against the calendar.
    let birthDay: Int
    /// `true` for the Hong Kong, Macau and Taiwan residence permits (region `810000`,
    /// `820000` or `830000`), which identify non-mainland residents.
    let isResidencePermit: Bool
    /// `true` for the 15-digit first-generation form. It has no check digit, so far more
    /// random digit runs pass; callers should require nearby context before trusting it.
    let isLegacy: Bool

    /// The holder's age in completed years on the given Gregorian date.
    ///
    /// Someone born on 29 February gains a year on 1 March in common years, because the
    /// comparison is on (month, day) pairs. The result is negative when the date
    /// precedes the birth date; use ``isPlausible(onYear:month:day:)`` to screen that out.
    func age(onYear year: Int, month: Int, day: Int) -> Int {
        let years = year - birthYear
        return (month, day) < (birthMonth, birthDay) ? years - 1 : years
    }

    /// Whether the holder is under 14 on the given date.
    ///
    /// PIPL Article 28 treats any personal information of a child under 14 as sensitive,
    /// which raises the risk of the export.
    func isMinor(onYear year: Int, month: Int, day: Int) -> Bool {
        age(onYear: year, month: month, day: day) < 14
    }

    /// Whether the birth date makes sense relative to a reference date ("today").
    ///
    /// ``ResidentIDValidator/validate(_:)`` takes no clock, so it only bounds the birth
    /// year to 1900...2100. This helper adds the checks that need a reference date: the
    /// holder must already be born and no older than 150.
    func isPlausible(onYear year: Int, month: Int, day: Int) -> Bool {
        (0...150).contains(age(onYear: year, month: month, day: day))
    }
}

/// Validates Chinese resident identity numbers (GB 11643-1999) without Foundation.
///
/// Input is the candidate token as ASCII bytes. Validation is strict on purpose: the
/// scanner calls it only on digit runs of the right length, and every check here
/// (province, calendar date, check digit) removes false positives from ordinary numbers.
enum ResidentIDValidator {
    /// The earliest birth year accepted; earlier dates do not occur on issued cards.
    static let earliestBirthYear = 1900
    /// The latest birth year accepted. Without a reference date, this is only a sanity
    /// bound; see ``ResidentID/isPlausible(onYear:month:day:)``.
    static let latestBirthYear = 2100

    /// Parses and validates an 18-digit or 15-digit (legacy) resident identity number.
    ///
    /// The 18-digit form is region (6) + birth date `YYYYMMDD` + sequence (3) + an
    /// ISO 7064 MOD 11-2 check character (`0`–`9`, `X` or `x`). The 15-digit form is
    /// region (6) + `YYMMDD` (read as 19YY) + sequence (3), with no check character.
    ///
    /// - Parameter token: The candidate token as ASCII bytes, with no separators.
    /// - Returns: The parsed number, or `nil` when any check fails.
    static func validate(_ token: [UInt8]) -> ResidentID? {
        switch token.count {
        case 18: return validateCurrent(token)
        case 15: return validateLegacy(token)
        default: return nil
        }
    }

    /// Whether an 18-character token has the structure of the current form — seventeen
    /// digits, a known region, a calendar birth date — whatever its check character.
    static func hasCurrentStructure(_ token: [UInt8]) -> Bool {
        guard token.count == 18, token.allSatisfy({ digitValue($0) != nil || $0 == upperX || $0 == lowerX }) else { return false }
        return makeID(
            token, year: number(token, 6..<10), monthAt: 10, sequenceEnd: 17,
            allowingPermits: true, isLegacy: false) != nil
    }

    /// Whether the token is the widely published sample number `11010519491231002X`.
    ///
    /// It passes every check yet appears in documentation and test data everywhere, so
    /// a match should not count as a real person's identifier. The `X` is case-insensitive.
    static func isPublishedTestNumber(_ token: [UInt8]) -> Bool {
        guard token.count == publishedTestNumber.count else { return false }
        for (byte, expected) in zip(token, publishedTestNumber) where byte != expected {
            // Only the trailing check character may differ, and only by case.
            guard expected == upperX, byte == lowerX else { return false }
        }
        return true
    }

    // MARK: - Private

    private static let publishedTestNumber: [UInt8] = Array("11010519491231002X".utf8)
    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let checkCharacters: [UInt8] = Array("10X98765432".utf8)
    private static let upperX = UInt8(ascii: "X")
    private static let lowerX = UInt8(ascii: "x")
    private static let zero = UInt8(ascii: "0")
    private static let permitRegions: Set<Int> = [810000, 820000, 830000]

    private static func validateCurrent(_ token: [UInt8]) -> ResidentID? {
        var sum = 0
        for index in 0..<17 {
            guard let digit = digitValue(token[index]) else { return nil }
            sum += digit * weights[index]
        }
        // Accept a lowercase x: people and spreadsheets write both.
        let check = token[17] == lowerX ? upperX : token[17]
        guard check == checkCharacters[sum % 11] else { return nil }
        return makeID(
            token, year: number(token, 6..<10), monthAt: 10, sequenceEnd: 17,
            allowingPermits: true, isLegacy: false)
    }

    private static func validateLegacy(_ token: [UInt8]) -> ResidentID? {
        guard token.allSatisfy({ digitValue($0) != nil }) else { return nil }
        // First-generation cards were issued only to people born in the 1900s.
        return makeID(
            token, year: number(token, 6..<8).map { 1900 + $0 }, monthAt: 8,
            sequenceEnd: 15, allowingPermits: false, isLegacy: true)
    }

    /// Shared region and date checks once the form-specific digits are known to be valid.
    private static func makeID(
        _ token: [UInt8], year: Int?, monthAt monthStart: Int, sequenceEnd: Int,
        allowingPermits: Bool, isLegacy: Bool
    ) -> ResidentID? {
        guard
            let region = number(token, 0..<6),
            isKnownRegion(region, allowingPermits: allowingPermits),
            let year, (earliestBirthYear...latestBirthYear).contains(year),
            let month = number(token, monthStart..<(monthStart + 2)),
            let day = number(token, (monthStart + 2)..<(monthStart + 4)),
            number(token, (monthStart + 4)..<sequenceEnd) != nil,
            isCalendarDate(year: year, month: month, day: day)
        else { return nil }
        return ResidentID(
            regionCode: region, birthYear: year, birthMonth: month, birthDay: day,
            isResidencePermit: permitRegions.contains(region), isLegacy: isLegacy)
    }

    /// Province-level check on the first two digits of the region code.
    ///
    /// 81/82/83 are valid only as the whole-territory residence-permit codes
    /// 810000/820000/830000 (since 2018, so never in the 15-digit form); sub-codes under
    /// them are not issued.
    private static func isKnownRegion(_ region: Int, allowingPermits: Bool) -> Bool {
        switch region / 10000 {
        case 11...15, 21...23, 31...37, 41...46, 50...54, 61...65, 71:
            return true
        case 81, 82, 83:
            return allowingPermits && region % 10000 == 0
        default:
            return false
        }
    }

    private static func isCalendarDate(year: Int, month: Int, day: Int) -> Bool {
        let days: Int
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: days = 31
        case 4, 6, 9, 11: days = 30
        case 2: days = isLeapYear(year) ? 29 : 28
        default: return false
        }
        return (1...days).contains(day)
    }

    private static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        (zero...(zero + 9)).contains(byte) ? Int(byte - zero) : nil
    }

    /// The decimal value of `token[range]`, or `nil` if any byte is not a digit.
    private static func number(_ token: [UInt8], _ range: Range<Int>) -> Int? {
        var value = 0
        for index in range {
            guard let digit = digitValue(token[index]) else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
