import ExportGuardCore
import ExportGuardMatching

/// A policy compiled once into a matcher plus the tables that give matches their meaning.
/// Immutable and shared by every scan.
public final class CompiledPolicy: Sendable {
    public let policy: Policy
    public let matcher: Matcher
    /// For each literal id of the matcher, what it means.
    let roles: [[LiteralRole]]
    /// For each detector kind, the categories it counts for.
    let detectorRoutes: [DetectorKind: [(category: Int, rule: DetectorRule)]]
    let allowlist: CompiledAllowlist
    /// For each category and keyword, the key its findings count under: a keyword is no
    /// personal data, so it needs no secret key, and hashing it once here keeps keyword
    /// findings cheap (identifiers are keyed per finding with the collector's ``ValueKey``).
    let keywordKeys: [[UInt64]]

    public init(_ policy: Policy) {
        self.policy = policy
        var patterns = PatternSet()
        var roles: [[LiteralRole]] = []
        var ids: [LiteralPattern: Int] = [:]

        func add(_ text: String, caseInsensitive: Bool, wholeWord: Bool, role: LiteralRole) {
            for variant in ChineseVariants.spellings(of: text) {
                let pattern = LiteralPattern(variant, caseInsensitive: caseInsensitive, wholeWord: wholeWord)
                if let id = ids[pattern] {
                    if !roles[id].contains(role) { roles[id].append(role) }
                } else {
                    let id = patterns.add(pattern)
                    ids[pattern] = id
                    roles.append([role])
                }
            }
        }

        var routes: [DetectorKind: [(category: Int, rule: DetectorRule)]] = [:]
        for (c, category) in policy.categories.enumerated() {
            for (k, keyword) in category.keywords.enumerated() {
                add(keyword.text, caseInsensitive: keyword.caseInsensitive, wholeWord: keyword.wholeWord, role: .keyword(category: c, keyword: k))
                for phrase in keyword.notWithin {
                    add(phrase, caseInsensitive: keyword.caseInsensitive, wholeWord: false, role: .veto(category: c, keyword: k))
                }
            }
            for hotword in category.hotwords {
                let ascii = Keyword(hotword)
                add(hotword, caseInsensitive: ascii.caseInsensitive, wholeWord: ascii.wholeWord, role: .hotword(category: c))
            }
            for (e, exclusion) in category.exclusions.enumerated() {
                for phrase in exclusion.phrases {
                    let ascii = Keyword(phrase)
                    add(phrase, caseInsensitive: ascii.caseInsensitive, wholeWord: ascii.wholeWord, role: .exclusion(category: c, exclusion: e))
                }
            }
            for rule in category.detectors {
                routes[rule.detector, default: []].append((c, rule))
                patterns.detectors.insert(rule.detector)
            }
        }
        self.allowlist = CompiledAllowlist(policy.allowlist)
        self.keywordKeys = policy.categories.map { category in
            category.keywords.map { ValueKey.unkeyed("keyword", Array($0.text.utf8)) }
        }
        self.roles = roles
        self.detectorRoutes = routes
        self.matcher = Matcher(patterns)
    }

    /// Compiles the built-in default policy.
    public static func makeDefault() -> CompiledPolicy {
        CompiledPolicy(PolicyLoader.defaultPolicy())
    }
}
