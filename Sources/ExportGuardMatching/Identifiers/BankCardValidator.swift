/// A digit string that looks like a payment card number, as classified by
/// ``BankCardValidator/classify(_:)``.
struct BankCard: Sendable, Hashable {
    /// The card scheme implied by the issuer prefix (IIN) and length.
    enum Network: Sendable, Hashable {
        /// China UnionPay: prefix `62`, or `60` (excluding Discover's `6011`) on some
        /// domestic cards; 16–19 digits.
        case unionPay
        /// Visa: prefix `4`; 16 or 19 digits (13-digit Visa cards are no longer issued, and
        /// EAN-13 barcodes of the 40–49 range have that shape).
        case visa
        /// Mastercard: prefix `51`–`55` or `2221`–`2720`; 16 digits.
        case mastercard
        /// American Express: prefix `34` or `37`; 15 digits.
        case amex
        /// JCB: prefix `3528`–`3589`; 16–19 digits.
        case jcb
    }

    /// The scheme implied by the prefix.
    let network: Network
    /// Whether the Luhn (mod 10) check passes. A failure with a fitting prefix is still
    /// reported because some legacy domestic cards fail Luhn; callers should lower
    /// confidence rather than drop the match.
    let luhnValid: Bool
    /// The number of digits.
    let length: Int
}

/// Recognises payment card numbers (Luhn check plus issuer prefix) without Foundation.
enum BankCardValidator {
    /// Whether `digits` passes the Luhn (mod 10) check.
    ///
    /// - Parameter digits: ASCII digits only, no separators.
    /// - Returns: `false` for an empty input or any non-digit byte.
    static func luhnIsValid(_ digits: [UInt8]) -> Bool {
        guard !digits.isEmpty else { return false }
        var sum = 0
        // Walk from the right: every second digit (starting with the one left of the
        // check digit) is doubled, and a two-digit product contributes its digit sum.
        for (offset, byte) in digits.reversed().enumerated() {
            guard let digit = digitValue(byte) else { return false }
            if offset % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    /// Classifies a candidate card number by prefix, length and Luhn check.
    ///
    /// - Parameter token: ASCII digits only; callers strip spaces or hyphens first.
    /// - Returns: `nil` when the token is not card-like: not 13–19 digits, all one repeated
    ///   digit, no known scheme's prefix (IIN), or a length that scheme never issues. A
    ///   number that merely passes Luhn is no card: IMEIs carry a Luhn check digit, and a
    ///   tenth of any order or serial numbers pass it by chance. Otherwise a ``BankCard``
    ///   whose `luhnValid` tells the caller how much to trust it.
    static func classify(_ token: [UInt8]) -> BankCard? {
        let length = token.count
        guard (13...19).contains(length), token.allSatisfy({ digitValue($0) != nil }) else {
            return nil
        }
        // Placeholder values such as 0000 0000 0000 0000 are not real cards.
        guard token.contains(where: { $0 != token[0] }) else { return nil }

        guard let network = knownNetwork(token), lengthFits(network, length) else { return nil }
        return BankCard(network: network, luhnValid: luhnIsValid(token), length: length)
    }

    // MARK: - Private

    private static let zero = UInt8(ascii: "0")

    private static func digitValue(_ byte: UInt8) -> Int? {
        (zero...(zero + 9)).contains(byte) ? Int(byte - zero) : nil
    }

    /// The decimal value of the first `count` digits (the caller has checked they are digits).
    private static func prefix(_ token: [UInt8], _ count: Int) -> Int {
        token.prefix(count).reduce(0) { $0 * 10 + Int($1 - zero) }
    }

    private static func knownNetwork(_ token: [UInt8]) -> BankCard.Network? {
        let two = prefix(token, 2)
        let four = prefix(token, 4)
        switch two {
        case 62: return .unionPay
        case 60 where four != 6011: return .unionPay  // 6011 belongs to Discover.
        case 40...49: return .visa
        case 51...55: return .mastercard
        case 34, 37: return .amex
        default: break
        }
        switch four {
        case 2221...2720: return .mastercard
        case 3528...3589: return .jcb
        default: return nil
        }
    }

    private static func lengthFits(_ network: BankCard.Network, _ length: Int) -> Bool {
        switch network {
        case .unionPay, .jcb: return (16...19).contains(length)
        case .visa: return length == 16 || length == 19
        case .mastercard: return length == 16
        case .amex: return length == 15
        }
    }
}
