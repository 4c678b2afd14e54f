import ExportGuardCore
import ExportGuardMatching

/// Counts the distinct persons whose identifiers appear in one input, in bounded memory.
/// Which detectors count, under which name, and what keeps a match from counting, come
/// from each detector's ``PersonalInformationKind``.
struct PersonCounter {
    /// Exact distinct counting up to this many values per identifier kind; a sketch beyond.
    static let exactLimit = 200_000

    /// One counter per identifier kind that counts persons, keyed by its name.
    private var counters: [String: DistinctCounter]
    private let sensitive: Set<String>
    private var minors = DistinctCounter(exactLimit: exactLimit)
    /// The date ages are computed on.
    let today: CalendarDate

    init(today: CalendarDate) {
        self.today = today
        let kinds = DetectorRegistry.all.compactMap(\.personalInformation)
        counters = Dictionary(kinds.map { ($0.counter, DistinctCounter(exactLimit: Self.exactLimit)) }, uniquingKeysWith: { first, _ in first })
        sensitive = Set(kinds.filter(\.sensitive).map(\.counter))
    }

    /// Counts an identifier found after context was applied. Test values, failed checksums
    /// and passport-shaped values without context (`low`) are not persons.
    mutating func add(_ detector: DetectorKind, tags: some Sequence<String>, confidence: Confidence, birthDate: BirthDate?, key: UInt64) {
        guard let kind = DetectorRegistry.detector(detector).personalInformation,
              confidence.level >= kind.minimumConfidence.rawValue, kind.excludedTags.isDisjoint(with: tags) else { return }
        counters[kind.counter]?.insert(key)
        if kind.carriesBirthDate, let birth = birthDate, birth.age(onYear: today.year, month: today.month, day: today.day) < 14 {
            minors.insert(key)
        }
    }

    func result(healthDataPresent: Bool) -> PersonalInformationCount {
        let persons = counters.values.map(\.count).max() ?? 0
        let sensitivePersons = healthDataPresent ? persons : counters.filter { sensitive.contains($0.key) }.map(\.value.count).max() ?? 0
        let estimated = counters.values.contains { $0.isEstimate }
        return PersonalInformationCount(
            persons: persons, sensitivePersons: sensitivePersons, minors: minors.count,
            byIdentifier: counters.mapValues(\.count),
            relativeError: estimated ? DistinctCounter.relativeError : nil,
            band: PersonalInformationBand(persons: persons, sensitive: sensitivePersons))
    }
}
