/// A Chinese travel-document number recognised by ``PassportValidator/classify(_:)``.
struct TravelDocument: Sendable, Hashable {
    /// The kind of document implied by the number's shape.
    enum Kind: Sendable, Hashable {
        /// Ordinary passport: `E` + 8 digits, `E` + letter (not I/O) + 7 digits,
        /// `G` + 8 digits, or the old `14`/`15` + 7 digits.
        case ordinaryPassport
        /// Diplomatic, service or official passport: `D`/`S`/`P` + 8 digits, or
        /// `DE`/`SE`/`PE` + 7 digits.
        case officialPassport
        /// Mainland travel permit for Hong Kong and Macau residents (回乡证):
        /// `H` or `M` + 8 digits, optionally followed by a 2-digit issue count.
        case homeReturnPermit
        /// Exit-entry permit for travelling to Hong Kong and Macau (港澳通行证):
        /// `C` + 8 digits, or `C` + letter (not I/O) + 7 digits.
        case hkMacauTravelPermit
    }

    /// The kind of document.
    let kind: Kind
}

/// Recognises Chinese passport and permit numbers, and checks passport MRZ lines,
/// without Foundation.
///
/// Number shapes carry no checksum, so classification is a strong hint rather than
/// proof; an MRZ line, by contrast, has check digits and is near-certain.
enum PassportValidator {
    /// Classifies a candidate document number by its shape.
    ///
    /// Letters must be uppercase: documents print them that way, and accepting lowercase
    /// would match ordinary words followed by numbers.
    ///
    /// - Parameter token: The candidate token as ASCII bytes, with no separators.
    /// - Returns: The document kind, or `nil` when no known shape fits.
    static func classify(_ token: [UInt8]) -> TravelDocument? {
        guard let first = token.first else { return nil }
        let count = token.count
        // Shorthands: "letter + 8 digits" and "two-character prefix + 7 digits".
        let letterThenEight = count == 9 && allDigits(token, from: 1)
        let twoThenSeven = count == 9 && allDigits(token, from: 2)

        let kind: TravelDocument.Kind?
        switch first {
        case UInt8(ascii: "E"):
            kind = letterThenEight || (twoThenSeven && isSerialLetter(token[1]))
                ? .ordinaryPassport : nil
        case UInt8(ascii: "G"):
            kind = letterThenEight ? .ordinaryPassport : nil
        case UInt8(ascii: "1"):
            // Pre-2012 passports: 14 or 15 followed by 7 digits.
            let oldSeries = token.count > 1
                && (token[1] == UInt8(ascii: "4") || token[1] == UInt8(ascii: "5"))
            kind = oldSeries && twoThenSeven ? .ordinaryPassport : nil
        case UInt8(ascii: "D"), UInt8(ascii: "S"), UInt8(ascii: "P"):
            kind = letterThenEight || (twoThenSeven && token[1] == UInt8(ascii: "E"))
                ? .officialPassport : nil
        case UInt8(ascii: "H"), UInt8(ascii: "M"):
            let withIssueCount = count == 11 && allDigits(token, from: 1)
            kind = letterThenEight || withIssueCount ? .homeReturnPermit : nil
        case UInt8(ascii: "C"):
            kind = letterThenEight || (twoThenSeven && isSerialLetter(token[1]))
                ? .hkMacauTravelPermit : nil
        default:
            kind = nil
        }
        return kind.map(TravelDocument.init(kind:))
    }

    /// Whether `line` is a valid second line of a TD3 (passport) machine-readable zone.
    ///
    /// Checks the 44-character layout and the ICAO 9303 check digits (weights 7-3-1,
    /// `<` = 0, `0`–`9` = 0–9, `A`–`Z` = 10–35) for the document number, birth date,
    /// expiry date, optional personal number, and the composite check digit. The
    /// personal-number check digit may be `<` when that field is entirely filler.
    ///
    /// - Parameter line: The line as ASCII bytes; MRZ text is uppercase only.
    static func mrzLineIsValid(_ line: [UInt8]) -> Bool {
        guard line.count == 44, line.allSatisfy({ mrzValue($0) != nil }) else { return false }
        // Structural sanity beyond the checksums, so filler-only lines do not pass.
        guard line[0] != filler,
            line[10..<13].allSatisfy({ isUppercaseLetter($0) || $0 == filler }),
            line[13..<19].allSatisfy({ isDigit($0) || $0 == filler }),  // unknown birth date parts are '<'
            line[21..<27].allSatisfy(isDigit),
            [UInt8(ascii: "M"), UInt8(ascii: "F"), filler].contains(line[20])
        else { return false }

        let personalNumberIsEmpty = line[28..<42].allSatisfy { $0 == filler }
        guard checkDigitMatches(line, fields: [0..<9], at: 9),
            checkDigitMatches(line, fields: [13..<19], at: 19),
            checkDigitMatches(line, fields: [21..<27], at: 27),
            (personalNumberIsEmpty && line[42] == filler)
                || checkDigitMatches(line, fields: [28..<42], at: 42),
            checkDigitMatches(line, fields: [0..<10, 13..<20, 21..<43], at: 43)
        else { return false }
        return true
    }

    // MARK: - Private

    private static let filler = UInt8(ascii: "<")

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isUppercaseLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// Letters used in serial positions; I and O are skipped to avoid confusion with 1 and 0.
    private static func isSerialLetter(_ byte: UInt8) -> Bool {
        isUppercaseLetter(byte) && byte != UInt8(ascii: "I") && byte != UInt8(ascii: "O")
    }

    private static func allDigits(_ token: [UInt8], from start: Int) -> Bool {
        start < token.count && token[start...].allSatisfy(isDigit)
    }

    /// The ICAO 9303 numeric value of an MRZ character, or `nil` outside the MRZ alphabet.
    private static func mrzValue(_ byte: UInt8) -> Int? {
        if isDigit(byte) { return Int(byte - UInt8(ascii: "0")) }
        if isUppercaseLetter(byte) { return Int(byte - UInt8(ascii: "A")) + 10 }
        return byte == filler ? 0 : nil
    }

    /// Whether the digit at `position` equals the 7-3-1 weighted sum mod 10 over `fields`,
    /// read as one continuous string (the weights do not restart between fields).
    private static func checkDigitMatches(
        _ line: [UInt8], fields: [Range<Int>], at position: Int
    ) -> Bool {
        guard isDigit(line[position]) else { return false }
        let weights = [7, 3, 1]
        var sum = 0
        var weightIndex = 0
        for field in fields {
            for index in field {
                // Safe: the caller has checked every byte is in the MRZ alphabet.
                sum += (mrzValue(line[index]) ?? 0) * weights[weightIndex % 3]
                weightIndex += 1
            }
        }
        return Int(line[position] - UInt8(ascii: "0")) == sum % 10
    }
}
