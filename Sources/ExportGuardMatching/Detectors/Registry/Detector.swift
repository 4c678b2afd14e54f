/// One kind of structured value the matching core recognises, described in one place:
/// what the scan must find before it can look (its trigger), the tags its matches can
/// carry, how a match is shown, and what personal information it is. Policies name
/// detectors by ``id`` and are checked against ``tags``; reports redact with ``redaction``;
/// the persons count reads ``personalInformation``.
///
/// Detectors whose trigger is an identifier token also validate the token here (see
/// ``TokenDetector``). Adding a detector is one file conforming to this protocol and one
/// line in ``DetectorRegistry/all``.
public protocol Detector: Sendable {
    var kind: DetectorKind { get }
    var trigger: DetectorTrigger { get }
    var tags: DetectorTags { get }
    var redaction: Redaction { get }
    /// Nil when matches say nothing about a person.
    var personalInformation: PersonalInformationKind? { get }
}

extension Detector {
    /// The id policies use, e.g. `resident-id`.
    public var id: String { kind.rawValue }
    public var personalInformation: PersonalInformationKind? { nil }
}

/// What a detector needs the scan to find first.
public enum DetectorTrigger: Sendable, Hashable {
    /// A run of digits, or letters and digits, of one of these lengths (separators allowed
    /// inside groups): the digit scanner hands such tokens to ``TokenDetector/match(_:range:window:)``.
    case identifierToken(lengths: ClosedRange<Int>)
    /// A literal found by the keyword automaton, read around by the anchored detectors.
    case anchor([String])
    /// A pair of numbers that reads as latitude and longitude.
    case numberPair
}

/// The tags a detector's matches can carry: fixed names, and families of a prefix followed
/// by digits (`decimals-6`).
public struct DetectorTags: Sendable, Hashable {
    public var names: Set<String>
    public var numberedPrefixes: Set<String>

    public init(_ names: Set<String> = [], numbered numberedPrefixes: Set<String> = []) {
        self.names = names
        self.numberedPrefixes = numberedPrefixes
    }

    public func contains(_ tag: String) -> Bool {
        if names.contains(tag) { return true }
        return numberedPrefixes.contains { prefix in
            let number = tag.utf8.dropFirst(prefix.utf8.count)
            return tag.hasPrefix(prefix) && !number.isEmpty && number.allSatisfy { $0 &- UInt8(ascii: "0") < 10 }
        }
    }

    /// The tags as people write them, sorted, numbered families as `prefixN`.
    public var listing: [String] { names.sorted() + numberedPrefixes.sorted().map { "\($0)N" } }
}

/// How a matched value is shown in reports. Identifiers are never printed whole.
public enum Redaction: Sendable, Hashable {
    /// Shown as matched (markings, document numbers, coordinates).
    case none
    /// Masked but for its first and last characters (`1101**********123X`).
    case masked
    /// Masked, then a fixed suffix the value omits (`6***8部队`).
    case maskedWithSuffix(String)
}

/// What a detector's matches say about a person, for the CAC persons count.
public struct PersonalInformationKind: Sendable, Hashable {
    /// The key the count is reported under (`resident-id`).
    public var counter: String
    /// Sensitive personal information (identity documents, financial accounts).
    public var sensitive: Bool
    /// Matches carrying any of these tags are no person (test values, failed checksums).
    public var excludedTags: Set<String>
    /// Matches below this confidence (after context) are no person.
    public var minimumConfidence: DetectorConfidence
    /// Matches carry birth dates, from which minors are counted.
    public var carriesBirthDate: Bool

    public init(counter: String, sensitive: Bool, excludedTags: Set<String> = [], minimumConfidence: DetectorConfidence = .low, carriesBirthDate: Bool = false) {
        self.counter = counter
        self.sensitive = sensitive
        self.excludedTags = excludedTags
        self.minimumConfidence = minimumConfidence
        self.carriesBirthDate = carriesBirthDate
    }
}

/// A detector that validates identifier tokens the digit scanner found.
protocol TokenDetector: Detector {
    /// The match for a token (letters upper- or lower-case, no separators), or nil.
    func match(_ token: [UInt8], range: Range<Int>, window: StreamWindow) -> DetectorMatch?
    /// The match for digits written in groups (`138 1234 5678`, `6222 0212 …`), or nil.
    /// `lastPart` is the length of the last group.
    func matchGroup(_ digits: [UInt8], range: Range<Int>, lastPart: Int) -> DetectorMatch?
    /// Whether a token this detector did not validate still has its structure so plainly
    /// that no later detector may read it as something else (a resident ID with a wrong check
    /// character is a mistyped ID, not a bank card that happens to pass Luhn).
    func claims(_ token: [UInt8]) -> Bool
}

extension TokenDetector {
    func matchGroup(_ digits: [UInt8], range: Range<Int>, lastPart: Int) -> DetectorMatch? { nil }
    func claims(_ token: [UInt8]) -> Bool { false }

    var lengths: ClosedRange<Int> {
        if case .identifierToken(let lengths) = trigger { return lengths }
        return 0...0
    }
}
