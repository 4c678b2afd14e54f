import ExportGuardCore
import ExportGuardMatching

/// Counts the distinct persons whose identifiers appear in one input, in bounded memory.
struct PersonCounter {
    /// Exact distinct counting up to this many values per identifier kind; a sketch beyond.
    static let exactLimit = 200_000

    private var residentIDs = DistinctCounter(exactLimit: exactLimit)
    private var passports = DistinctCounter(exactLimit: exactLimit)
    private var bankCards = DistinctCounter(exactLimit: exactLimit)
    private var mobiles = DistinctCounter(exactLimit: exactLimit)
    private var minors = DistinctCounter(exactLimit: exactLimit)
    /// The date ages are computed on.
    let today: CalendarDate

    init(today: CalendarDate) {
        self.today = today
    }

    /// Counts an identifier found after context was applied. Test values, failed checksums
    /// and passport-shaped values without context (`low`) are not persons.
    mutating func add(_ detector: DetectorKind, tags: some Sequence<String>, confidence: Confidence, birthDate: BirthDate?, key: UInt64) {
        let tags = Set(tags)
        switch detector {
        case .residentID where !tags.contains("test-value"):
            residentIDs.insert(key)
            if let birth = birthDate, birth.age(onYear: today.year, month: today.month, day: today.day) < 14 {
                minors.insert(key)
            }
        case .passport where confidence >= .medium:
            passports.insert(key)
        case .bankCard where !tags.contains("luhn-fail"):
            bankCards.insert(key)
        case .mobileNumber:
            mobiles.insert(key)
        default:
            break
        }
    }

    func result(healthDataPresent: Bool) -> PersonalInformationCount {
        let ids = residentIDs.count, passports = passports.count, cards = bankCards.count, mobiles = mobiles.count
        let persons = max(ids, passports, cards, mobiles)
        let sensitive = healthDataPresent ? persons : max(ids, passports, cards)
        let estimated = [residentIDs, self.passports, bankCards, self.mobiles].contains { $0.isEstimate }
        return PersonalInformationCount(
            persons: persons, sensitivePersons: sensitive, minors: minors.count,
            byIdentifier: ["resident-id": ids, "passport": passports, "bank-card": cards, "mobile-number": mobiles],
            relativeError: estimated ? DistinctCounter.relativeError : nil,
            band: PersonalInformationBand(persons: persons, sensitive: sensitive))
    }
}
