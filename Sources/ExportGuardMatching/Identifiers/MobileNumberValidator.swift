/// Recognises mainland-China mobile numbers without Foundation.
///
/// Mobile numbers carry no checksum, so a match is only a candidate: the scanner should
/// look for context (手机号, 联系方式, …) before reporting it with confidence.
enum MobileNumberValidator {
    /// Whether `digits` is an 11-digit mainland mobile number with an allocated prefix.
    ///
    /// Accepted prefixes: 13x, 145–149, 150–153, 155–159, 162, 165–167, 170–178, 18x,
    /// 190–193 and 195–199. Unallocated ranges (for example 154, 179, 194) are rejected
    /// because they cut false positives from other 11-digit numbers.
    ///
    /// - Parameter digits: Exactly 11 ASCII digits; use ``normalise(_:)`` first to strip a
    ///   country code or separators.
    static func validate(_ digits: [UInt8]) -> Bool {
        guard digits.count == 11, digits.allSatisfy(isDigit), digits[0] == UInt8(ascii: "1")
        else { return false }
        let segment = Int(digits[1] - zero) * 10 + Int(digits[2] - zero)
        switch segment {
        case 30...39, 45...49, 50...53, 55...59, 62, 65...67, 70...78, 80...89, 90...93, 95...99:
            return true
        default:
            return false
        }
    }

    /// Reduces a written phone number to its 11 national digits.
    ///
    /// Accepts an optional country code (`+86`, `0086`, or a bare `86` when 13 digits
    /// remain) and single spaces or hyphens between digit groups, so
    /// `+8613812345678`, `0086 138 1234 5678`, `138-1234-5678` and `13812345678` all
    /// give `13812345678`. Leading, trailing or doubled separators, other characters,
    /// and any other country code give `nil`.
    ///
    /// This only normalises the shape; call ``validate(_:)`` on the result to check the
    /// prefix.
    static func normalise(_ token: [UInt8]) -> [UInt8]? {
        var index = 0
        let hasPlus = token.first == UInt8(ascii: "+")
        if hasPlus { index = 1 }

        var digits: [UInt8] = []
        digits.reserveCapacity(15)
        // Starting "after a separator" rejects a separator at the very start (or just
        // after the plus sign).
        var afterSeparator = true
        while index < token.count {
            let byte = token[index]
            if isDigit(byte) {
                digits.append(byte)
                // The longest accepted form is 0086 + 11 digits.
                guard digits.count <= 15 else { return nil }
                afterSeparator = false
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") {
                guard !afterSeparator else { return nil }
                afterSeparator = true
            } else {
                return nil
            }
            index += 1
        }
        // Also rejects an empty token and a trailing separator.
        guard !afterSeparator else { return nil }

        if hasPlus {
            // "+" must introduce the Chinese country code and nothing else.
            guard digits.count == 13, digits.starts(with: countryCode) else { return nil }
            return Array(digits.dropFirst(2))
        }
        switch digits.count {
        case 11:
            return digits
        case 13 where digits.starts(with: countryCode):
            return Array(digits.dropFirst(2))
        case 15 where digits.starts(with: internationalPrefix):
            return Array(digits.dropFirst(4))
        default:
            return nil
        }
    }

    // MARK: - Private

    private static let zero = UInt8(ascii: "0")
    private static let countryCode: [UInt8] = Array("86".utf8)
    private static let internationalPrefix: [UInt8] = Array("0086".utf8)

    private static func isDigit(_ byte: UInt8) -> Bool {
        (zero...(zero + 9)).contains(byte)
    }
}
