/// A Unified Social Credit Code (统一社会信用代码) that passed
/// ``SocialCreditCodeValidator/validate(_:)``.
///
/// The code identifies a legal entity, so on its own it is not personal information; the
/// issuer prefix matters because military and Party/government bodies raise export risk.
struct SocialCreditCode: Sendable, Hashable {
    /// The first character: the registration authority, such as `9` (market regulation),
    /// `1` (organ establishment) or `A` (military), as an ASCII byte.
    let registrationAuthority: UInt8
    /// The second character: the organisation type within that authority, as an ASCII byte.
    let organisationType: UInt8
    /// The six-digit administrative-division code in positions 3–8, for example `110000`.
    let regionCode: Int

    /// `true` for prefix `A1` or `A9`: codes issued to military institutions.
    var isMilitaryInstitution: Bool {
        registrationAuthority == UInt8(ascii: "A")
            && (organisationType == UInt8(ascii: "1") || organisationType == UInt8(ascii: "9"))
    }

    /// `true` for prefix `11`: Party and government organs registered by the
    /// organ-establishment authority.
    var isPartyOrGovernmentOrgan: Bool {
        registrationAuthority == UInt8(ascii: "1") && organisationType == UInt8(ascii: "1")
    }
}

/// Validates Unified Social Credit Codes (GB 32100-2015) without Foundation.
enum SocialCreditCodeValidator {
    /// Parses and validates an 18-character Unified Social Credit Code.
    ///
    /// Every character must come from `0123456789ABCDEFGHJKLMNPQRTUWXY` (uppercase only;
    /// `I`, `O`, `Z`, `S` and `V` are excluded by the standard to avoid misreading),
    /// positions 3–8 must be digits, and the last character must equal the MOD 31 check
    /// character over the first 17.
    ///
    /// - Parameter token: The candidate token as ASCII bytes.
    /// - Returns: The parsed code, or `nil` when any check fails.
    static func validate(_ token: [UInt8]) -> SocialCreditCode? {
        guard token.count == 18 else { return nil }
        var sum = 0
        for index in 0..<17 {
            guard let value = value(of: token[index]) else { return nil }
            sum += value * weights[index]
        }
        guard token[17] == alphabet[(31 - sum % 31) % 31] else { return nil }

        var region = 0
        for index in 2..<8 {
            // The region code is purely numeric; letters here mean a different format.
            guard let value = value(of: token[index]), value < 10 else { return nil }
            region = region * 10 + value
        }
        return SocialCreditCode(
            registrationAuthority: token[0], organisationType: token[1], regionCode: region)
    }

    // MARK: - Private

    /// The code's alphabet; a character's index is its numeric value (0–30).
    private static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    private static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    private static func value(of byte: UInt8) -> Int? {
        // A linear search over 31 bytes is fine: this runs only on rare candidate tokens.
        alphabet.firstIndex(of: byte)
    }
}
