import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardPolicy

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
    }

    func problems(_ yaml: String) -> [PolicyProblem] {
        do {
            _ = try PolicyLoader.load(yaml: yaml, file: "p.yaml")
            return []
        } catch {
            return error.problems
        }
    }

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
