/// Counts distinct 64-bit keys in bounded memory: exactly up to `exactLimit`, then with
/// a HyperLogLog sketch (2¹⁴ registers, standard error 1.04/√2¹⁴ ≈ 0.81%).
struct DistinctCounter {
    let exactLimit: Int
    private var exact: Set<UInt64> = []
    private var registers: [UInt8]?

    static let precision = 14
    /// The sketch's relative standard error, reported with estimated counts.
    static let relativeError = 1.04 / Double(1 << (precision / 2))

    init(exactLimit: Int) {
        self.exactLimit = exactLimit
    }

    var isEstimate: Bool { registers != nil }

    mutating func insert(_ key: UInt64) {
        if registers == nil {
            exact.insert(key)
            if exact.count > exactLimit {
                var sketch = [UInt8](repeating: 0, count: 1 << Self.precision)
                for known in exact { Self.add(known, to: &sketch) }
                registers = sketch
                exact = []
            }
            return
        }
        Self.add(key, to: &registers!)
    }

    var count: Int {
        guard let registers else { return exact.count }
        let m = Double(registers.count)
        var sum = 0.0
        var zeros = 0
        for register in registers {
            sum += 1 / Double(UInt64(1) << register)
            if register == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / m)
        var estimate = alpha * m * m / sum
        if estimate <= 2.5 * m, zeros > 0 {
            // Small-range correction: linear counting.
            estimate = m * log(m / Double(zeros))
        }
        return Int(estimate.rounded())
    }

    private static func add(_ key: UInt64, to registers: inout [UInt8]) {
        // FNV keys are not uniform enough in their high bits; mix first (SplitMix64 finaliser).
        var z = key &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        let index = Int(z >> UInt64(64 - precision))
        let rest = z << UInt64(precision)
        let rank = UInt8(min(rest.leadingZeroBitCount, 64 - precision) + 1)
        if rank > registers[index] { registers[index] = rank }
    }
}

private func log(_ x: Double) -> Double {
    // Natural logarithm without Foundation: frexp-style reduction and a series.
    precondition(x > 0)
    var exponent = 0
    var mantissa = x
    while mantissa > 2 { mantissa /= 2; exponent += 1 }
    while mantissa < 1 { mantissa *= 2; exponent -= 1 }
    let y = (mantissa - 1) / (mantissa + 1)
    var term = y, sum = 0.0, k = 1.0
    for _ in 0..<40 {
        sum += term / k
        term *= y * y
        k += 2
    }
    return 2 * sum + Double(exponent) * 0.693_147_180_559_945_3
}
