import ExportGuardCore
import ExportGuardMatching
import Testing
@testable import ExportGuardPolicy

@Suite("Combination rules in policies")
struct CombinationRuleLoadingTests {
    func problems(_ yaml: String) -> [String] {
        policyProblems(yaml).map { "\($0.line):\($0.column) \($0.message)" }
    }

    @Test("all-of and scope load into the rule")
    func loads() throws {
        let policy = try PolicyLoader.load(yaml: """
            extends: default
            name: firm
            rules:
              - id: radar-near-points
                description: a radar station next to survey points
                all-of:
                  - { category: military, keywords: [雷达站] }
                  - { category: geospatial, detector: coordinates, require-tags: [precise], min-count: 2, min-confidence: low }
                scope: { window: 500 }
                verdict: block
            """, file: "firm.yaml")
        let rule = try #require(policy.rules.first { $0.id == "radar-near-points" })
        #expect(rule.isCombination)
        #expect(rule.category == .military)
        #expect(rule.scope == .window(500))
        #expect(rule.allOf == [
            RuleCondition(category: .military, keywords: ["雷达站"]),
            RuleCondition(category: .geospatial, detector: .coordinates, requireTags: ["precise"], minCount: 2),
        ])
        #expect(policy.rules.contains { $0.id == "military-facility-coordinates" && $0.scope == .window(300) })
    }

    @Test("mistakes are reported with their positions")
    func mistakes() {
        let found = problems("""
            extends: default
            name: firm
            rules:
              - id: a
                all-of:
                  - { category: militry }
                  - { category: military, keywords: [不是关键词] }
                  - { category: geospatial, detector: coordinates, require-tags: [preciser] }
                  - { category: military, detector: pla-unit, keywords: [营区] }
                  - { detector: pla-unit }
                scope: { window: 0 }
                verdict: review
              - id: b
                category: military
                all-of: []
                verdict: review
              - id: c
                category: military
                scope: document
                verdict: review
              - id: d
                all-of: [{ category: military }]
                scope: paragraph
                verdict: review
            """)
        #expect(found.contains("6:21 unknown category 'militry'"), "\(found)")
        #expect(found.contains("7:42 '不是关键词' is not a keyword of category 'military'"), "\(found)")
        #expect(found.contains { $0.hasPrefix("8:71 unknown tag 'preciser' in require-tags for coordinates") }, "\(found)")
        #expect(found.contains("9:51 a condition names keywords or a detector, not both"), "\(found)")
        #expect(found.contains("10:9 a condition needs 'category'"), "\(found)")
        #expect(found.contains { $0.hasPrefix("11:22 scope window must be") }, "\(found)")
        #expect(found.contains("14:5 a rule with 'all-of' puts 'category' in its conditions"), "\(found)")
        #expect(found.contains("15:13 'all-of' needs at least one condition"), "\(found)")
        #expect(found.contains("19:5 'scope' applies only to a rule with 'all-of'"), "\(found)")
        #expect(found.contains("23:12 unknown scope 'paragraph' (known: document, same-element, { window: N })"), "\(found)")
        #expect(found.count == 10, "\(found)")
    }

    @Test("a file that takes away a keyword an inherited rule needs is told so; scope {} is reported")
    func inheritedKeywords() {
        let found = problems("""
            extends: default
            name: firm
            categories:
              military:
                keywords: [营区]
            rules:
              - id: x
                all-of: [{ category: military }]
                scope: {}
                verdict: review
            """)
        #expect(found.contains { $0.hasPrefix("4:3 the inherited rule 'due-diligence-defence-industry' needs '军工'") }, "\(found)")
        #expect(found.contains("9:12 scope needs 'window' (or write document or same-element)"), "\(found)")
    }

    @Test("policy show for some categories keeps only the rules that name no other")
    func writerByCategory() throws {
        let written = PolicyWriter.yaml(PolicyLoader.defaultPolicy(), categories: [.military])
        #expect(written.contains("pla-unit-designator"))
        #expect(!written.contains("military-facility-coordinates"))
    }
}
