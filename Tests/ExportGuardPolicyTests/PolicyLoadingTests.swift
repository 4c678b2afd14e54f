import ExportGuardCore
import ExportGuardMatching
import Foundation
import Testing
@testable import ExportGuardPolicy

/// The problems loading `yaml` (as `p.yaml`) reports; none when it loads.
func policyProblems(_ yaml: String) -> [PolicyProblem] {
    do {
        _ = try PolicyLoader.load(yaml: yaml, file: "p.yaml")
        return []
    } catch {
        return error.problems
    }
}

@Suite("Policy loading and validation")
struct PolicyLoadingTests {
    @Test("the default policy defines all nine categories with titles, laws and a marking rule")
    func defaultPolicy() {
        let policy = PolicyLoader.defaultPolicy()
        #expect(policy.name == "default")
        #expect(policy.categories.map(\.id) == CategoryID.builtIn)
        for category in policy.categories {
            #expect(!category.title.isEmpty && !category.law.isEmpty, "\(category.id)")
            #expect(!category.keywords.isEmpty, "\(category.id)")
        }
        #expect(policy.rules.contains { $0.id == "state-secret-marking" && $0.verdict == .block })
        #expect(policy.uninspectable == .review)
        // Its keywords and detector anchors are all long enough for the fast literal path.
        #expect(CompiledPolicy(policy).matcher.usesLiteralFilter)
    }

    func problems(_ yaml: String) -> [PolicyProblem] { policyProblems(yaml) }

    @Test("every problem is reported at once, with line and column")
    func positions() {
        let found = problems("""
            name: firm
            thresholds:
              review: 150
              blok: 80
            categories:
              militray:
                title: x
              military:
                title: Military
                law: X
                weight: heavy
                detectors: [pla-unit, laser-eyes]
            """)
        let rendered = found.map(\.description)
        #expect(rendered.contains("p.yaml:3:11: thresholds.review must be between 1 and 100, not 150"))
        #expect(rendered.contains { $0.hasPrefix("p.yaml:4:3: unknown key 'blok' in thresholds") })
        #expect(rendered.contains { $0.hasPrefix("p.yaml:6:3: unknown category 'militray'") })
        #expect(rendered.contains("p.yaml:11:13: military.weight must be a number"))
        #expect(rendered.contains { $0.hasPrefix("p.yaml:12:27: unknown detector 'laser-eyes'") })
        #expect(found.count == 5)
        #expect(found.map(\.line) == found.map(\.line).sorted(), "problems come in file order")
    }

    @Test("YAML syntax errors carry their position")
    func syntax() {
        let found = problems("name: x\ncategories: [unclosed\n")
        #expect(found.count == 1)
        #expect(found.first?.line ?? 0 > 0)
        #expect(found.first?.message.hasPrefix("YAML syntax") == true)
    }

    @Test("missing name, reversed thresholds and rules on unknown categories are errors")
    func semantics() {
        let found = problems("""
            thresholds: { review: 90, block: 50 }
            rules:
              - { id: r, category: military, verdict: block }
            """).map(\.message)
        #expect(found.contains("the policy needs a 'name'"))
        #expect(found.contains("thresholds: review (90) must not be above block (50)"))
        #expect(found.contains("rule 'r' names category 'military', which this policy does not define"))
    }

    @Test("extends: default overrides what it names and keeps the rest")
    func extends() throws {
        let policy = try PolicyLoader.load(yaml: """
            extends: default
            name: acme
            thresholds: { review: 30 }
            categories:
              export-control:
                add-keywords: [Project Falcon]
                weight: 0.5
            """, file: "acme.yaml")
        #expect(policy.name == "acme")
        #expect(policy.thresholds.review == 30)
        #expect(policy.thresholds.block == 80)
        let exportControl = try #require(policy.category(.exportControl))
        #expect(exportControl.weight == 0.5)
        #expect(exportControl.keywords.last?.text == "Project Falcon")
        #expect(exportControl.keywords.last?.caseInsensitive == true)
        #expect(policy.categories.count == 9)
    }

    @Test("redaction keeps only the ends of an identifier")
    func redaction() {
        #expect(Redactor.redact(Array("11010119900307451X".utf8)) == "1101**********451X")
        #expect(Redactor.redact(Array("13812345678".utf8)) == "138*****678")
        #expect(Redactor.redact(Array("12".utf8)) == "**")
    }
}

@Suite("Shipped policy files")
struct ShippedPolicyTests {
    static let policies = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Policies")

    @Test("the example firm policy loads and changes what it says")
    func exampleFirm() throws {
        let policy = try PolicyLoader.load(path: Self.policies.appendingPathComponent("example-firm.yaml").path)
        #expect(policy.name == "acme-trading")
        #expect(policy.uninspectable == .block)
        #expect(policy.thresholds == Policy.Thresholds(review: 30, block: 80))
        #expect(policy.category(.exportControl)?.keywords.contains { $0.text == "猎鹰项目" } == true)
        #expect(policy.rules.contains { $0.id == "falcon-technology" })
    }

    @Test("the embedded default policy is exactly Policies/default.yaml")
    func embeddedMatchesSource() throws {
        let source = try PolicyLoader.load(path: Self.policies.appendingPathComponent("default.yaml").path)
        #expect(source == PolicyLoader.defaultPolicy())
    }
}

@Suite("Allowlists and the effective policy")
struct AllowlistAndWriterTests {
    @Test("policy show's YAML loads back to the same policy")
    func roundTrip() throws {
        for policy in [PolicyLoader.defaultPolicy(), try PolicyLoader.load(yaml: """
            extends: default
            name: "acme \\"quoted\\""
            allowlist: { values: ["91110000600037341L"], patterns: ["1380013800[0-9]"], sha256: ["\(String(repeating: "ab", count: 32))"] }
            """, file: "acme.yaml")] {
            let written = PolicyWriter.yaml(policy)
            let reloaded = try PolicyLoader.load(yaml: written, file: "shown.yaml")
            #expect(reloaded == policy)
        }
    }

    @Test("allowlist digests: SHA-256 (swift-crypto) in lower-case hex, as the FIPS 180-4 examples give")
    func sha256() {
        #expect(SHA256Hex.of(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Hex.of([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Hex.of(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("value keys are keyed: the same value keys alike under one key only, and never as its plain hash")
    func keyedValues() throws {
        let id = Array("110101199003074514".utf8)
        let one = try #require(ValueKey(secret: Array(repeating: 1, count: 32)))
        let again = try #require(ValueKey(secret: Array(repeating: 1, count: 32)))
        let other = try #require(ValueKey(secret: Array(repeating: 2, count: 32)))
        #expect(one.of("resident-id", id) == again.of("resident-id", id))
        #expect(one.of("resident-id", id) != other.of("resident-id", id))
        #expect(one.of("resident-id", id) != one.of("bank-card", id))
        #expect(ValueKey.process.of("resident-id", id) != one.of("resident-id", id))
        // Not the unkeyed digest's first 64 bits, which anyone could recompute from the number.
        let plain = SHA256Hex.of(Array("resident-id".utf8) + [0xFF] + id)
        let plainPrefix = UInt64(plain.prefix(16), radix: 16)!
        #expect(one.of("resident-id", id) != plainPrefix && one.of("resident-id", id) != plainPrefix.byteSwapped)
        #expect(ValueKey(secret: Array(repeating: 1, count: 16)) == nil)
    }

    @Test("allowlisted values by exact value, pattern or digest do not count")
    func allowlist() throws {
        let digest = SHA256Hex.of(Array("110101199003074514".utf8))
        let policy = try PolicyLoader.load(yaml: """
            extends: default
            name: allow
            allowlist: { values: ["61398"], patterns: ["139[0-9]{8}"], sha256: ["\(digest)"] }
            """, file: "allow.yaml")
        let collector = FindingCollector(CompiledPolicy(policy))
        let location = Location(parts: ["x"])
        collector.add(.detector(DetectorMatch(detector: .residentID, start: 0, end: 18, value: Array("110101199003074514".utf8), confidence: .medium)), location: location, startCharacter: 0, endCharacter: 18)
        collector.add(.detector(DetectorMatch(detector: .plaUnit, start: 1000, end: 1007, value: Array("61398".utf8), confidence: .high)), location: location, startCharacter: 1000, endCharacter: 1007)
        collector.add(.detector(DetectorMatch(detector: .mobileNumber, start: 2000, end: 2011, value: Array("13912345678".utf8), confidence: .low)), location: location, startCharacter: 2000, endCharacter: 2011)
        collector.add(.detector(DetectorMatch(detector: .mobileNumber, start: 3000, end: 3011, value: Array("13812345678".utf8), confidence: .low)), location: location, startCharacter: 3000, endCharacter: 3011)
        let assessment = collector.assess()
        #expect(assessment.findings.map(\.excerpt) == ["138*****678"])
        #expect(assessment.allowlistedFindings == 3)
        #expect(assessment.personalInformation.persons == 1)
        #expect(assessment.verdict == .allow)
    }

    @Test("bad regular expressions and digests are reported with their positions")
    func badAllowlist() {
        do {
            _ = try PolicyLoader.load(yaml: "name: x\nallowlist:\n  patterns: [\"(open\"]\n  sha256: [abc]\n", file: "p.yaml")
            Issue.record("expected problems")
        } catch {
            #expect(error.problems.map(\.description) == [
                "p.yaml:3:14: bad regular expression '(open': expected ')'",
                "p.yaml:4:12: allowlist.sha256 entries must be 64 hexadecimal digits",
            ])
        }
    }
}

@Suite("Inspection limits in the policy")
struct LimitSettingsTests {
    @Test("sizes with units", arguments: [("65536", 65536), ("64MiB", 64 << 20), ("4GiB", 4 << 30), ("512 K", 512 << 10), ("-1", -1), ("lots", -1)])
    func sizes(text: String, expected: Int) {
        #expect(LimitSettings.parseSize(text) ?? -1 == expected)
    }

    @Test("limits load, override the default and are validated with positions")
    func load() throws {
        let policy = try PolicyLoader.load(yaml: "extends: default\nname: x\nlimits: { max-depth: 4, max-decoded-bytes: 1GiB, max-seconds: 2.5 }\n", file: "l.yaml")
        #expect(policy.limits == LimitSettings(maxDepth: 4, maxDecodedBytes: 1 << 30, maxSeconds: 2.5))
        #expect(LimitSettings(maxDepth: 2).overriding(policy.limits) == LimitSettings(maxDepth: 2, maxDecodedBytes: 1 << 30, maxSeconds: 2.5))
        do {
            _ = try PolicyLoader.load(yaml: "name: x\nlimits:\n  max-depth: 0\n  max-decoded-bytes: huge\n", file: "l.yaml")
            Issue.record("expected problems")
        } catch {
            #expect(error.problems.map(\.description) == [
                "l.yaml:3:14: limits.max-depth must be between 1 and 64, not 0",
                "l.yaml:4:22: limits.max-decoded-bytes must be a size such as 65536, 64MiB or 4GiB, not 'huge'",
            ])
        }
    }
}

@Suite("Tags and detectors are checked against the detector registry")
struct TagValidationTests {
    @Test("a misspelt tag in a rule, a detector entry or an exclusion is an error at its position, with the known tags")
    func misspeltTags() {
        let yaml = """
            extends: default
            name: typos
            rules:
              - id: marked
                category: state-secret
                detector: classification-marking
                require-tags: [perod]
                verdict: block
            categories:
              military:
                detectors:
                  - { detector: social-credit-code, require-tags: [military-institutoin] }
                exclusions:
                  - { near: [演习], tags: [tset-value] }
            """
        do {
            _ = try PolicyLoader.load(yaml: yaml, file: "typos.yaml")
            Issue.record("a policy with misspelt tags loaded")
        } catch {
            let messages = error.problems.map { "\($0.line):\($0.message)" }
            #expect(messages.count == 3, "\(messages)")
            #expect(messages.contains { $0.hasPrefix("7:unknown tag 'perod' in require-tags for classification-marking") && $0.contains("period") })
            #expect(messages.contains { $0.hasPrefix("12:unknown tag 'military-institutoin'") && $0.contains("military-institution") })
            #expect(messages.contains { $0.hasPrefix("14:unknown tag 'tset-value'") && $0.contains("test-value") })
        }
    }

    @Test("numbered tag families and context tags are known")
    func knownTags() throws {
        let policy = try PolicyLoader.load(yaml: """
            extends: default
            name: fine
            rules:
              - { id: precise, category: geospatial, detector: coordinates, require-tags: [decimals-6, hotword], verdict: review }
            """, file: "fine.yaml")
        #expect(policy.rules.contains { $0.id == "precise" })
    }

    @Test("every detector kind is registered once; the tags matches carry are the registered ones")
    func registry() {
        #expect(Set(DetectorRegistry.all.map(\.kind)) == Set(DetectorKind.allCases))
        #expect(DetectorRegistry.all.count == DetectorKind.allCases.count)
        #expect(DetectorRegistry.knows(tag: "decimals-5", for: .coordinates))
        #expect(!DetectorRegistry.knows(tag: "decimals-", for: .coordinates))
        #expect(!DetectorRegistry.knows(tag: "decimals-+6", for: .coordinates))
        #expect(!DetectorRegistry.knows(tag: "decimals--1", for: .coordinates))
        #expect(!DetectorRegistry.knows(tag: "legacy", for: .coordinates))
        #expect(DetectorRegistry.knows(tag: "legacy", for: nil))
        let matcher = Matcher(PatternSet(detectors: Set(DetectorKind.allCases)))
        var scanner = matcher.makeScanner()
        var matches: [Match] = []
        let text = """
            身份证 11010519491231002X 旧证 110105491231002 统一社会信用代码 91350100M000100Y43 手机 13812345678
            卡号 6222021234567890128 护照 E12345678 61398部队 军字第1234567号 国发〔2023〕5号
            机密★10年 （秘密） 绝密★启用前 39.9042, 116.4074 N39°54'15" E116°24'27"
            """
        scanner.feed(Array(text.utf8), into: &matches)
        scanner.finish(into: &matches)
        var seen = Set<DetectorKind>()
        for case .detector(let match) in matches {
            seen.insert(match.detector)
            for tag in match.tags {
                #expect(DetectorRegistry.knows(tag: tag, for: match.detector), "\(match.detector) tag \(tag)")
            }
        }
        #expect(seen.count >= 8, "\(seen)")
    }
}

@Suite("Policies/README.md's detector table")
struct DetectorDocumentationTests {
    @Test("lists every registered detector with exactly its tags")
    func tableMatchesRegistry() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Policies/README.md").standardized
        let text = try String(contentsOf: readme, encoding: .utf8)
        var documented: [String: Set<String>] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 2, let id = cells.first?.trimmingCharacters(in: CharacterSet(charactersIn: "`")),
                  DetectorKind(rawValue: id) != nil else { continue }
            documented[id] = Set(cells[1].split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " `")) }.filter { $0 != "—" })
        }
        for detector in DetectorRegistry.all {
            #expect(documented[detector.id] == Set(detector.tags.listing), "\(detector.id)")
        }
        #expect(documented.count == DetectorRegistry.all.count)
    }
}

@Suite("Policies written out load again (found by fuzzing)")
struct PolicyWriterFuzzFindingTests {
    @Test("a policy without categories writes `categories: {}`, which loads again")
    func noCategories() throws {
        let policy = try PolicyLoader.load(yaml: "name: bare\nthresholds: { review: 40, block: 80 }\n", file: "bare.yaml")
        let written = PolicyWriter.yaml(policy)
        let reloaded = try PolicyLoader.load(yaml: written, file: "written.yaml")
        #expect(reloaded == policy)
    }
}
