import ExportGuardCore
import ExportGuardMatching
import Testing
@testable import ExportGuardPolicy

@Suite("CAC personal-information bands")
struct PersonalInformationTests {
    static let compiled = CompiledPolicy.makeDefault()

    /// A valid resident ID for a sequence number, born 1980-01-01 unless given.
    static func residentID(_ n: Int, born: String = "19800101") -> [UInt8] {
        let region = ["110101", "310104", "440305", "510107"][n % 4]
        let body = Array((region + born + String(format3(n % 1000))).utf8)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + Int($1.0 - 48) * $1.1 }
        return body + [Array("10X98765432".utf8)[sum % 11]]
    }

    static func format3(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: 3 - s.count) + s
    }

    /// Feeds identifier matches straight to a collector, as the searcher would.
    func assess(mobiles: Int = 0, ids: [[UInt8]] = [], repeatEach: Int = 1) -> Assessment {
        let collector = FindingCollector(Self.compiled, today: CalendarDate(year: 2026, month: 11, day: 29))
        let location = Location(parts: ["generated"])
        var offset = 0
        func add(_ match: DetectorMatch) {
            collector.add(.detector(match), location: location, startCharacter: offset, endCharacter: offset + 11)
            offset += 2000
        }
        for _ in 0..<repeatEach {
            for n in 0..<mobiles {
                let number = Array(String(13_800_000_000 + n).utf8)
                add(DetectorMatch(detector: .mobileNumber, start: offset, end: offset + 11, value: number, confidence: .low))
            }
            for id in ids {
                let birth = BirthDate(year: Int(String(decoding: id[6..<10], as: UTF8.self))!, month: Int(String(decoding: id[10..<12], as: UTF8.self))!, day: Int(String(decoding: id[12..<14], as: UTF8.self))!)
                add(DetectorMatch(detector: .residentID, start: offset, end: offset + 18, value: id, confidence: .medium, birthDate: birth))
            }
        }
        return collector.assess()
    }

    @Test("99,999 persons' non-sensitive information needs no mechanism; 100,000 needs a standard contract")
    func nonSensitiveBoundary() {
        let below = assess(mobiles: 99_999)
        #expect(below.personalInformation.persons == 99_999)
        #expect(below.personalInformation.band == .none)
        #expect(below.verdict == .allow)
        let at = assess(mobiles: 100_000)
        #expect(at.personalInformation.band == .standardContract)
        #expect(at.verdict == .review)
        #expect(at.decision == .personalInformation(band: .standardContract, persons: 100_000, sensitive: 0))
    }

    @Test("9,999 persons' sensitive information needs a standard contract; 10,000 a security assessment")
    func sensitiveBoundary() {
        let ids = (0..<10_000).map { Self.residentID($0, born: String(1950 + $0 / 1000) + "0101") }
        #expect(Set(ids).count == 10_000)
        let below = assess(ids: Array(ids.prefix(9_999)))
        #expect(below.personalInformation.sensitivePersons == 9_999)
        #expect(below.personalInformation.band == .standardContract)
        #expect(below.verdict == .review)
        let at = assess(ids: ids)
        #expect(at.personalInformation.band == .securityAssessment)
        #expect(at.verdict == .block)
    }

    @Test("the same person twice is one person")
    func duplicates() {
        let ids = (0..<500).map { Self.residentID($0, born: String(1950 + $0 / 100) + "0101") }
        let twice = assess(mobiles: 300, ids: ids, repeatEach: 2)
        #expect(twice.personalInformation.byIdentifier["resident-id"] == 500)
        #expect(twice.personalInformation.byIdentifier["mobile-number"] == 300)
        #expect(twice.personalInformation.persons == 500)
    }

    @Test("holders under 14 on the assessment date are counted as minors")
    func minors() {
        let child = Self.residentID(1, born: "20130101")
        let fourteenToday = Self.residentID(2, born: "20121129")
        let adult = Self.residentID(3, born: "19800101")
        let result = assess(ids: [child, fourteenToday, adult])
        #expect(result.personalInformation.minors == 1)
    }

    @Test("the sketch estimates large counts within its stated error")
    func sketch() {
        var counter = DistinctCounter(exactLimit: 1000)
        for n in 0..<300_000 { counter.insert(UInt64(n) &* 0x9E37_79B9_7F4A_7C15) }
        #expect(counter.isEstimate)
        let error = abs(Double(counter.count) - 300_000) / 300_000
        #expect(error < 3 * DistinctCounter.relativeError, "estimate \(counter.count)")
        var small = DistinctCounter(exactLimit: 1000)
        for n in 0..<1000 { small.insert(UInt64(n)) }
        #expect(!small.isEstimate && small.count == 1000)
    }

    @Test("the policy maps bands to verdicts")
    func bandVerdicts() throws {
        let policy = try PolicyLoader.load(yaml: """
            extends: default
            name: strict
            personal-information-bands: { standard-contract: block }
            """, file: "strict.yaml")
        #expect(policy.personalInformationBands[.standardContract] == .block)
        #expect(policy.personalInformationBands[.securityAssessment] == .block)
        let problems: [PolicyProblem]
        do {
            _ = try PolicyLoader.load(yaml: "name: x\npersonal-information-bands: { assessment: block }", file: "p.yaml")
            problems = []
        } catch {
            problems = error.problems
        }
        #expect(problems.first?.description.hasPrefix("p.yaml:2:31: unknown key 'assessment' in personal-information-bands") == true)
    }
}
