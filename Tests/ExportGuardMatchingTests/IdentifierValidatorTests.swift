import Testing
@testable import ExportGuardMatching

// Resident-ID and credit-code vectors were generated with an independent Python
// implementation of the published algorithms; MRZ vectors likewise (plus the ICAO 9303
// specimen line). Every "invalid" vector that exercises a non-checksum rule carries a
// correct check character, so it fails for the intended reason only.

private func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

/// `text` with its last character replaced by `replacement`.
private func withLastCharacter(_ text: String, _ replacement: Character) -> String {
    String(text.dropLast()) + String(replacement)
}

// MARK: - Resident ID

@Suite("ResidentIDValidator")
struct ResidentIDValidatorTests {
    struct ValidCase: Sendable, CustomTestStringConvertible {
        let number: String
        let region: Int
        let year: Int
        let month: Int
        let day: Int
        var isPermit = false
        var testDescription: String { number }
    }

    static let validCases: [ValidCase] = [
        ValidCase(number: "110105199003071239", region: 110105, year: 1990, month: 3, day: 7),
        ValidCase(number: "11010519491231002X", region: 110105, year: 1949, month: 12, day: 31),
        ValidCase(number: "440305200002290010", region: 440305, year: 2000, month: 2, day: 29),
        ValidCase(number: "440305202402290043", region: 440305, year: 2024, month: 2, day: 29),
        ValidCase(number: "11010519000101001X", region: 110105, year: 1900, month: 1, day: 1),
        ValidCase(number: "110105210012310013", region: 110105, year: 2100, month: 12, day: 31),
        ValidCase(number: "540102197001010012", region: 540102, year: 1970, month: 1, day: 1),
        ValidCase(number: "650102197001010018", region: 650102, year: 1970, month: 1, day: 1),
        ValidCase(number: "710000198001010053", region: 710000, year: 1980, month: 1, day: 1),
        ValidCase(
            number: "810000198506120016", region: 810000, year: 1985, month: 6, day: 12,
            isPermit: true),
        ValidCase(
            number: "820000199912310022", region: 820000, year: 1999, month: 12, day: 31,
            isPermit: true),
        ValidCase(
            number: "830000200101010031", region: 830000, year: 2001, month: 1, day: 1,
            isPermit: true),
    ]

    @Test(arguments: validCases)
    func acceptsValidEighteenDigitNumbers(_ valid: ValidCase) throws {
        let id = try #require(ResidentIDValidator.validate(ascii(valid.number)))
        #expect(id.regionCode == valid.region)
        #expect(id.birthYear == valid.year)
        #expect(id.birthMonth == valid.month)
        #expect(id.birthDay == valid.day)
        #expect(id.isResidencePermit == valid.isPermit)
        #expect(!id.isLegacy)
    }

    @Test(arguments: validCases)
    func rejectsEveryOtherCheckCharacter(_ valid: ValidCase) {
        for candidate in "0123456789X" where candidate != valid.number.last {
            let mutated = withLastCharacter(valid.number, candidate)
            #expect(ResidentIDValidator.validate(ascii(mutated)) == nil, "\(mutated)")
        }
    }

    /// One body per remainder class, so every entry of "10X98765432" is exercised.
    @Test(arguments: [
        "310104198808080008", "310104198808080016", "310104198808080024",
        "310104198808080032", "310104198808080040", "310104198808080059",
        "310104198808080067", "310104198808080075", "310104198808080083",
        "310104198808080091",
    ])
    func acceptsEachCheckDigitValue(_ number: String) {
        #expect(ResidentIDValidator.validate(ascii(number)) != nil)
    }

    @Test func acceptsLowercaseCheckX() throws {
        let upper = try #require(ResidentIDValidator.validate(ascii("11010519000101001X")))
        let lower = try #require(ResidentIDValidator.validate(ascii("11010519000101001x")))
        #expect(upper == lower)
    }

    @Test(arguments: [
        ("440305202102300019", "30 February"),
        ("440305202302290011", "29 February in a common year"),
        ("110105190002290017", "29 February 1900 (century, not leap)"),
        ("110105199000010019", "month 00"),
        ("110105199013010018", "month 13"),
        ("110105199001000015", "day 00"),
        ("110105199001320019", "day 32"),
        ("110105199004310019", "31 April"),
        ("110105189912310015", "birth year before 1900"),
        ("110105210101010012", "birth year after 2100"),
        ("990101199003071237", "province 99"),
        ("160101199003071232", "province 16"),
        ("470102197001010014", "province 47"),
        ("720000198001010055", "province 72"),
        ("811234198506120011", "81 sub-region, not the 810000 permit code"),
        ("11010519900307123", "17 characters"),
        ("1101051990030712390", "19 characters"),
        ("11010519900307A239", "letter in the body"),
        ("110105199003071X39", "X outside the check position"),
        ("110105199003071230", "wrong check digit"),
        ("110105199003 71239", "embedded space"),
        ("", "empty"),
    ])
    func rejectsInvalidNumbers(_ number: String, _ reason: String) {
        #expect(ResidentIDValidator.validate(ascii(number)) == nil, "\(reason)")
    }

    @Test func parsesLegacyFifteenDigitForm() throws {
        let id = try #require(ResidentIDValidator.validate(ascii("110105490101123")))
        #expect(id.isLegacy)
        #expect(!id.isResidencePermit)
        #expect(id.regionCode == 110105)
        #expect(id.birthYear == 1949)
        #expect(id.birthMonth == 1)
        #expect(id.birthDay == 1)
        #expect(id.age(onYear: 2024, month: 1, day: 1) == 75)
    }

    @Test func legacyLeapDayUsesNineteenHundreds() throws {
        let id = try #require(ResidentIDValidator.validate(ascii("440305040229001")))
        #expect(id.birthYear == 1904)
        #expect(id.birthMonth == 2)
        #expect(id.birthDay == 29)
    }

    @Test(arguments: [
        ("440305000229001", "29 February 1900"),
        ("110105491301123", "month 13"),
        ("990105490101123", "province 99"),
        ("810000850612001", "permit code in legacy form"),
        ("11010549010112X", "check character in legacy form"),
        ("1101054901011", "13 digits"),
    ])
    func rejectsInvalidLegacyNumbers(_ number: String, _ reason: String) {
        #expect(ResidentIDValidator.validate(ascii(number)) == nil, "\(reason)")
    }

    @Test func recognisesPublishedTestNumber() {
        #expect(ResidentIDValidator.isPublishedTestNumber(ascii("11010519491231002X")))
        #expect(ResidentIDValidator.isPublishedTestNumber(ascii("11010519491231002x")))
        #expect(!ResidentIDValidator.isPublishedTestNumber(ascii("110105199003071239")))
        #expect(!ResidentIDValidator.isPublishedTestNumber(ascii("11010519491231002")))
        #expect(!ResidentIDValidator.isPublishedTestNumber(ascii("11010519491231002Y")))
        #expect(!ResidentIDValidator.isPublishedTestNumber(ascii("11010519491231003X")))
    }

    @Test func minorBoundaryIsFourteenthBirthday() throws {
        // Born 15 June 2010.
        let id = try #require(ResidentIDValidator.validate(ascii("510107201006151231")))
        #expect(id.age(onYear: 2024, month: 6, day: 14) == 13)
        #expect(id.isMinor(onYear: 2024, month: 6, day: 14))
        #expect(id.age(onYear: 2024, month: 6, day: 15) == 14)
        #expect(!id.isMinor(onYear: 2024, month: 6, day: 15))
        #expect(id.age(onYear: 2024, month: 1, day: 1) == 13)
        #expect(id.age(onYear: 2024, month: 12, day: 31) == 14)
    }

    @Test func leapDayBirthdayTurnsOverOnFirstOfMarch() throws {
        // Born 29 February 2008.
        let id = try #require(ResidentIDValidator.validate(ascii("440305200802291118")))
        #expect(id.age(onYear: 2022, month: 2, day: 28) == 13)
        #expect(id.isMinor(onYear: 2022, month: 2, day: 28))
        #expect(id.age(onYear: 2022, month: 3, day: 1) == 14)
        #expect(!id.isMinor(onYear: 2022, month: 3, day: 1))
        #expect(id.age(onYear: 2024, month: 2, day: 29) == 16)
    }

    @Test func plausibilityNeedsPastBirthAndBoundedAge() throws {
        let id = try #require(ResidentIDValidator.validate(ascii("510107201006151231")))
        #expect(!id.isPlausible(onYear: 2010, month: 6, day: 14))
        #expect(id.isPlausible(onYear: 2010, month: 6, day: 15))
        #expect(id.isPlausible(onYear: 2160, month: 6, day: 15))
        #expect(!id.isPlausible(onYear: 2161, month: 6, day: 15))
        #expect(id.age(onYear: 2009, month: 1, day: 1) == -2)
    }
}

// MARK: - Unified Social Credit Code

@Suite("SocialCreditCodeValidator")
struct SocialCreditCodeValidatorTests {
    struct ValidCase: Sendable, CustomTestStringConvertible {
        let code: String
        let authority: Character
        let type: Character
        let region: Int
        let military: Bool
        let organ: Bool
        var testDescription: String { code }
    }

    static let validCases: [ValidCase] = [
        ValidCase(
            code: "91110000600037341L", authority: "9", type: "1", region: 110000,
            military: false, organ: false),
        ValidCase(
            code: "91350100M000100Y43", authority: "9", type: "1", region: 350100,
            military: false, organ: false),
        ValidCase(
            code: "A1110000MB1234567A", authority: "A", type: "1", region: 110000,
            military: true, organ: false),
        ValidCase(
            code: "A9320100MC00112238", authority: "A", type: "9", region: 320100,
            military: true, organ: false),
        ValidCase(
            code: "11100000000013127D", authority: "1", type: "1", region: 100000,
            military: false, organ: true),
        ValidCase(
            code: "12100000400000123X", authority: "1", type: "2", region: 100000,
            military: false, organ: false),
        ValidCase(
            code: "51440300MJ1234567X", authority: "5", type: "1", region: 440300,
            military: false, organ: false),
    ]

    @Test(arguments: validCases)
    func acceptsValidCodes(_ valid: ValidCase) throws {
        let code = try #require(SocialCreditCodeValidator.validate(ascii(valid.code)))
        #expect(code.registrationAuthority == valid.authority.asciiValue)
        #expect(code.organisationType == valid.type.asciiValue)
        #expect(code.regionCode == valid.region)
        #expect(code.isMilitaryInstitution == valid.military)
        #expect(code.isPartyOrGovernmentOrgan == valid.organ)
    }

    @Test(arguments: validCases)
    func rejectsEveryOtherCheckCharacter(_ valid: ValidCase) {
        for candidate in "0123456789ABCDEFGHJKLMNPQRTUWXY" where candidate != valid.code.last {
            let mutated = withLastCharacter(valid.code, candidate)
            #expect(SocialCreditCodeValidator.validate(ascii(mutated)) == nil, "\(mutated)")
        }
    }

    @Test(arguments: [
        ("91110000600037341l", "lowercase check character"),
        ("91350100m000100Y43", "lowercase letter in the body"),
        ("91350100I000100Y43", "excluded letter I"),
        ("91350100O000100Y43", "excluded letter O"),
        ("91350100Z000100Y43", "excluded letter Z"),
        ("91350100S000100Y43", "excluded letter S"),
        ("91350100V000100Y43", "excluded letter V"),
        ("9111A000600037341G", "letter in the region code (check character correct)"),
        ("91110000600037341", "17 characters"),
        ("91110000600037341LL", "19 characters"),
        ("91110000600037341-", "punctuation"),
        ("", "empty"),
    ])
    func rejectsInvalidCodes(_ code: String, _ reason: String) {
        #expect(SocialCreditCodeValidator.validate(ascii(code)) == nil, "\(reason)")
    }

    @Test func issuerFlagsNeedBothPrefixCharacters() {
        let a2 = SocialCreditCode(
            registrationAuthority: UInt8(ascii: "A"), organisationType: UInt8(ascii: "2"),
            regionCode: 110000)
        #expect(!a2.isMilitaryInstitution)
        let b1 = SocialCreditCode(
            registrationAuthority: UInt8(ascii: "B"), organisationType: UInt8(ascii: "1"),
            regionCode: 110000)
        #expect(!b1.isMilitaryInstitution)
        #expect(!b1.isPartyOrGovernmentOrgan)
        let n1 = SocialCreditCode(
            registrationAuthority: UInt8(ascii: "9"), organisationType: UInt8(ascii: "1"),
            regionCode: 110000)
        #expect(!n1.isPartyOrGovernmentOrgan)
    }
}

// MARK: - Bank cards

@Suite("BankCardValidator")
struct BankCardValidatorTests {
    @Test(arguments: [
        ("6222021234567894", true),
        ("4111111111111111", true),
        ("3528123456789012", true),
        ("18", true),
        ("0", true),
        ("6222021234567895", false),
        ("4111111111111112", false),
        ("19", false),
        ("", false),
        ("6222 021234567894", false),
        ("622202123456789X", false),
    ])
    func luhn(_ digits: String, _ expected: Bool) {
        #expect(BankCardValidator.luhnIsValid(ascii(digits)) == expected)
    }

    @Test(arguments: [
        ("6222021234567894", BankCard.Network.unionPay, 16),
        ("60138212345678908", .unionPay, 17),
        ("6228480012345678903", .unionPay, 19),
        ("6013821234567890123", .unionPay, 19),
        ("4123456789012349", .visa, 16),
        ("4123456789012345677", .visa, 19),
        ("5105101234567898", .mastercard, 16),
        ("5555444433332226", .mastercard, 16),
        ("2221001122334458", .mastercard, 16),
        ("2720998877665547", .mastercard, 16),
        ("341234567890127", .amex, 15),
        ("370000123456784", .amex, 15),
        ("3528123456789012", .jcb, 16),
        ("3589123456789012346", .jcb, 19),
    ])
    func classifiesLuhnValidCards(_ number: String, _ network: BankCard.Network, _ length: Int)
        throws
    {
        let card = try #require(BankCardValidator.classify(ascii(number)))
        #expect(card == BankCard(network: network, luhnValid: true, length: length))
    }

    @Test(arguments: [
        ("6222021234567895", BankCard.Network.unionPay),
        ("6228480012345678900", .unionPay),
        ("4123456789012340", .visa),
        ("5105101234567890", .mastercard),
        ("341234567890120", .amex),
        ("3528123456789010", .jcb),
    ])
    func keepsFittingPrefixWhenLuhnFails(_ number: String, _ network: BankCard.Network) throws {
        let card = try #require(BankCardValidator.classify(ascii(number)))
        #expect(card.network == network)
        #expect(!card.luhnValid)
        #expect(card.length == number.utf8.count)
    }

    @Test(arguments: [
        ("412345678901233", "Visa prefix with 15 digits"),
        ("51051012345678", "Mastercard prefix with 14 digits"),
        ("3412345678901270", "Amex prefix with 16 digits"),
        ("622202123456789", "UnionPay prefix with 15 digits"),
        ("912345678901234560", "prefix outside banking range"),
        ("1234567890123452", "prefix outside banking range"),
        ("3527123456789014", "unknown prefix failing Luhn"),
        // Luhn-valid numbers without a scheme's IIN and length are no cards.
        ("3527123456789013", "just below JCB's range"),
        ("3601234567890126", "Diners Club prefix"),
        ("6011123456789019", "Discover, not UnionPay"),
        ("2220123456789015", "just below Mastercard's 2-series"),
        ("2721123456789019", "just above Mastercard's 2-series"),
        ("654321098765430", "no scheme"),
        ("4111222233331", "13-digit Visa, no longer issued (EAN-13 barcodes of 40–49 look like it)"),
        ("352099100000005", "an IMEI (15 digits, Luhn check digit) with a 35 TAC"),
        ("861234567890127", "an IMEI with an 86 TAC"),
        ("6901234567892", "an EAN-13 barcode"),
        ("16901234567890", "a GTIN-14"),
        ("6666666666666666", "all one digit"),
        ("4444444444444444", "all one digit with a Visa prefix"),
        ("5555555555555555", "all one digit with a Mastercard prefix"),
        ("0000000000000000", "all zeros"),
        ("622202123456", "12 digits"),
        ("62220212345678901234", "20 digits"),
        ("6222 0212 3456 7894", "separators"),
        ("622202123456789X", "non-digit"),
        ("", "empty"),
    ])
    func rejectsNonCardTokens(_ number: String, _ reason: String) {
        #expect(BankCardValidator.classify(ascii(number)) == nil, "\(reason)")
    }
}

// MARK: - Mobile numbers

@Suite("MobileNumberValidator")
struct MobileNumberValidatorTests {
    @Test(arguments: [
        "13012345678", "13812345678", "13912345678", "14512345678", "14912345678",
        "15012345678", "15312345678", "15512345678", "15912345678", "16212345678",
        "16512345678", "16712345678", "17012345678", "17812345678", "18012345678",
        "18912345678", "19012345678", "19312345678", "19512345678", "19912345678",
    ])
    func acceptsAllocatedPrefixes(_ number: String) {
        #expect(MobileNumberValidator.validate(ascii(number)))
    }

    @Test(arguments: [
        "14412345678", "15412345678", "16012345678", "16112345678", "16312345678",
        "16812345678", "17912345678", "19412345678", "12012345678", "11012345678",
        "23812345678", "03812345678", "1381234567", "138123456789", "1381234567a",
        "138 1234 5678", "",
    ])
    func rejectsOtherTokens(_ number: String) {
        #expect(!MobileNumberValidator.validate(ascii(number)))
    }

    @Test(arguments: [
        "13812345678", "+8613812345678", "+86 138 1234 5678", "+86-138-1234-5678",
        "0086 138 1234 5678", "008613812345678", "8613812345678", "138-1234-5678",
        "138 1234 5678", "+86 138-1234-5678",
    ])
    func normalisesWrittenForms(_ written: String) throws {
        let digits = try #require(MobileNumberValidator.normalise(ascii(written)))
        #expect(digits == ascii("13812345678"))
        #expect(MobileNumberValidator.validate(digits))
    }

    @Test(arguments: [
        "+8713812345678", "+13812345678", "+0086 13812345678", "138--1234-5678",
        "-13812345678", "13812345678-", "+ 8613812345678", "+86", "", "138 1234 567",
        "138.1234.5678", "(+86)13812345678", "86+13812345678", "0087 138 1234 5678",
        "00860013812345678",
    ])
    func rejectsMalformedForms(_ written: String) {
        #expect(MobileNumberValidator.normalise(ascii(written)) == nil)
    }

    @Test func normaliseOnlyChecksShape() throws {
        // Shape is fine, prefix 154 is not allocated: normalise keeps it, validate rejects.
        let digits = try #require(MobileNumberValidator.normalise(ascii("+86 154 1234 5678")))
        #expect(digits == ascii("15412345678"))
        #expect(!MobileNumberValidator.validate(digits))
    }
}

// MARK: - Passports and permits

@Suite("PassportValidator")
struct PassportValidatorTests {
    @Test(arguments: [
        ("E12345678", TravelDocument.Kind.ordinaryPassport),
        ("EA1234567", .ordinaryPassport),
        ("EE1234567", .ordinaryPassport),
        ("G12345678", .ordinaryPassport),
        ("141234567", .ordinaryPassport),
        ("151234567", .ordinaryPassport),
        ("D12345678", .officialPassport),
        ("S12345678", .officialPassport),
        ("P12345678", .officialPassport),
        ("DE1234567", .officialPassport),
        ("SE1234567", .officialPassport),
        ("PE1234567", .officialPassport),
        ("H12345678", .homeReturnPermit),
        ("M12345678", .homeReturnPermit),
        ("H1234567801", .homeReturnPermit),
        ("C12345678", .hkMacauTravelPermit),
        ("CA1234567", .hkMacauTravelPermit),
    ])
    func classifiesDocumentNumbers(_ number: String, _ kind: TravelDocument.Kind) {
        #expect(PassportValidator.classify(ascii(number)) == TravelDocument(kind: kind))
    }

    @Test(arguments: [
        "e12345678", "ea1234567", "Ea1234567", "c12345678", "h12345678",
        "EI1234567", "EO1234567", "CI1234567", "CO1234567",
        "E1234567", "E123456789", "G1234567", "161234567", "14123456", "1412345678",
        "DA1234567", "GA1234567", "H123456789", "H123456780123", "HA1234567",
        "A12345678", "E1234567A", "", "E",
    ])
    func rejectsOtherShapes(_ number: String) {
        #expect(PassportValidator.classify(ascii(number)) == nil)
    }

    static let validMRZ = [
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",  // ICAO 9303 specimen
        "E123456782CHN9003071M3003068<<<<<<<<<<<<<<<6",  // empty personal number, '<' check
        "E123456782CHN9003071M3003068<<<<<<<<<<<<<<06",  // same, '0' check
        "EA12345676CHN8512246F2911308LGKEMPNKPCBBA<82",
    ]

    @Test(arguments: validMRZ)
    func acceptsValidMRZLines(_ line: String) {
        #expect(PassportValidator.mrzLineIsValid(ascii(line)))
    }

    /// Changing any single check digit must break the line.
    @Test(arguments: validMRZ)
    func rejectsAlteredCheckDigits(_ line: String) {
        let bytes = ascii(line)
        for position in [9, 19, 27, 42, 43] where bytes[position] != UInt8(ascii: "<") {
            for digit in UInt8(ascii: "0")...UInt8(ascii: "9") where digit != bytes[position] {
                var mutated = bytes
                mutated[position] = digit
                #expect(
                    !PassportValidator.mrzLineIsValid(mutated),
                    "position \(position) -> \(Character(Unicode.Scalar(digit)))")
            }
        }
    }

    @Test(arguments: [
        ("L898902C36UTO7408122F1204159ZE184226B<<<<<1", "43 characters"),
        ("L898902C36UTO7408122F1204159ZE184226B<<<<<100", "45 characters"),
        ("l898902c36uto7408122f1204159ze184226b<<<<<10", "lowercase"),
        // Composite digit recomputed for the '<', so only the personal-number rule fails.
        ("L898902C36UTO7408122F1204159ZE184226B<<<<<<9", "'<' check with non-empty personal number"),
        ("L898902C36UTO7408122F1204159ZE184226B<<<<< 0", "space"),
        ("L898902C3AUTO7408122F1204159ZE184226B<<<<<10", "letter as check digit"),
        ("L898902C36UTO7408122F1204159ZE184226B<<<<<1<", "'<' as composite check"),
        ("<<<<<<<<<0<<<<<<<<<0<<<<<<<0<<<<<<<<<<<<<<<0", "filler only"),
        ("<<<<<<<<<0CHN9003071M3003068<<<<<<<<<<<<<<<0", "empty document number, checksums fine"),
        ("E123456782CHN9003071X3003068<<<<<<<<<<<<<<<6", "sex X is not an MRZ value"),
        ("", "empty"),
    ])
    func rejectsMalformedMRZLines(_ line: String, _ reason: String) {
        #expect(!PassportValidator.mrzLineIsValid(ascii(line)), "\(reason)")
    }
}
