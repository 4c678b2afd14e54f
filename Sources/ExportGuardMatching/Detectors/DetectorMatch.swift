/// A validated structured value found in a stream.
public struct DetectorMatch: Sendable, Hashable {
    public var detector: DetectorKind
    /// Absolute byte offsets of the value in the stream.
    public var start: Int
    public var end: Int
    /// The value in canonical form (separators removed, upper-cased), for counting distinct
    /// values. Callers redact it before showing it to anyone.
    public var value: [UInt8]
    /// The detector's own confidence before any context is considered.
    public var confidence: DetectorConfidence
    /// Facts the validator established, e.g. `military-institution`, `minor-birth-date`, `test-value`.
    public var tags: Set<String>
    /// Birth date carried by a resident ID, when there is one.
    public var birthDate: BirthDate?

    public init(
        detector: DetectorKind, start: Int, end: Int, value: [UInt8], confidence: DetectorConfidence,
        tags: Set<String> = [], birthDate: BirthDate? = nil
    ) {
        self.detector = detector
        self.start = start
        self.end = end
        self.value = value
        self.confidence = confidence
        self.tags = tags
        self.birthDate = birthDate
    }
}

/// A calendar date of birth read from an identifier.
public struct BirthDate: Sendable, Hashable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Full years of age on a given date.
    public func age(onYear year: Int, month: Int, day: Int) -> Int {
        var age = year - self.year
        if (month, day) < (self.month, self.day) { age -= 1 }
        return age
    }
}

/// A detector's own confidence, kept free of the policy layer's types.
public enum DetectorConfidence: Int, Sendable, Hashable, Comparable {
    case low = 0
    case medium = 1
    case high = 2

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
