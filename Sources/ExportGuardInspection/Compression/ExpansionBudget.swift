/// How far one compressed member (a gzip member, a zip entry) may expand: once it has
/// unpacked ``InspectionLimits/ratioFloor`` bytes, unpacked / packed must stay under
/// ``InspectionLimits/maxExpansionRatio``. One type for every decompressor, so a bomb is
/// judged the same whichever container carries it.
struct ExpansionBudget {
    let ratio: Int
    let floor: Int
    private(set) var packed = 0
    private(set) var unpacked = 0

    init(_ limits: InspectionLimits) {
        ratio = limits.maxExpansionRatio
        floor = limits.ratioFloor
    }

    /// Counts compressed bytes read.
    mutating func read(_ count: Int) {
        packed += count
    }

    /// Counts unpacked bytes; the reason to stop when the member now expands too far.
    mutating func unpack(_ count: Int, what: String) -> UninspectedReason? {
        unpacked += count
        return Self.check(unpacked: unpacked, packed: packed, ratio: ratio, floor: floor, what: what)
    }

    /// The same judgement for a decompressor that counts for itself (zlib's stream does).
    static func check(unpacked: Int, packed: Int, limits: InspectionLimits, what: String) -> UninspectedReason? {
        check(unpacked: unpacked, packed: packed, ratio: limits.maxExpansionRatio, floor: limits.ratioFloor, what: what)
    }

    private static func check(unpacked: Int, packed: Int, ratio: Int, floor: Int, what: String) -> UninspectedReason? {
        guard unpacked > floor, unpacked > ratio * max(packed, 1) else { return nil }
        return .limitExceeded("\(what) expands more than \(ratio)×")
    }
}
