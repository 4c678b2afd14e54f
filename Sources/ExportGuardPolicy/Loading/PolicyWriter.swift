import ExportGuardCore

/// Writes a policy as YAML that ``PolicyLoader`` reads back to the same policy — the
/// effective policy after `extends`, for `exportguard policy show`.
public enum PolicyWriter {
    public static func yaml(_ policy: Policy, categories only: Set<CategoryID>? = nil) -> String {
        var out: [String] = []
        out.append("name: \(quote(policy.name))")
        if let description = policy.description { out.append("description: \(quote(description))") }
        out.append("thresholds: { review: \(policy.thresholds.review), block: \(policy.thresholds.block) }")
        out.append("points: { low: \(policy.points.low), medium: \(policy.points.medium), high: \(policy.points.high) }")
        out.append("uninspectable: \(policy.uninspectable.rawValue)")
        out.append("media: { nested: \(policy.media.nested.rawValue), top-level: \(policy.media.topLevel.rawValue) }")
        out.append("context-window: \(policy.contextWindow)")
        out.append("review-action: \(policy.reviewAction.rawValue)")
        out.append("personal-information-bands:")
        for band in PersonalInformationBand.allCases {
            out.append("  \(band.rawValue): \((policy.personalInformationBands[band] ?? .allow).rawValue)")
        }
        let limits = policy.limits
        let limitLines = [
            limits.maxDepth.map { "  max-depth: \($0)" }, limits.maxDecodedBytes.map { "  max-decoded-bytes: \($0)" },
            limits.maxEntries.map { "  max-entries: \($0)" }, limits.maxExpansionRatio.map { "  max-expansion-ratio: \($0)" },
            limits.maxXMLTextLength.map { "  max-xml-text-length: \($0)" }, limits.maxSeconds.map { "  max-seconds: \($0)" },
        ].compactMap { $0 }
        if !limitLines.isEmpty {
            out.append("limits:")
            out.append(contentsOf: limitLines)
        }
        if !policy.allowlist.isEmpty {
            out.append("allowlist:")
            out.append("  values: \(list(policy.allowlist.values))")
            out.append("  patterns: \(list(policy.allowlist.patterns))")
            out.append("  sha256: \(list(policy.allowlist.sha256))")
        }
        let shown = policy.categories.filter { only?.contains($0.id) ?? true }
        // An empty mapping written as such: a bare `categories:` would read back as null.
        out.append("categories:" + (shown.isEmpty ? " {}" : ""))
        for category in shown {
            out.append("  \(category.id.rawValue):")
            out.append("    title: \(quote(category.title))")
            out.append("    law: \(quote(category.law))")
            out.append("    weight: \(category.weight)")
            out.append("    max-verdict: \(category.maxVerdict.rawValue)")
            out.append("    keywords:" + (category.keywords.isEmpty ? " []" : ""))
            for keyword in category.keywords {
                var fields = ["text: \(quote(keyword.text))", "confidence: \(keyword.confidence.rawValue)",
                              "case-insensitive: \(keyword.caseInsensitive)", "whole-word: \(keyword.wholeWord)"]
                if !keyword.notWithin.isEmpty { fields.append("not-within: \(list(keyword.notWithin))") }
                if keyword.weak { fields.append("weak: true") }
                out.append("      - { \(fields.joined(separator: ", ")) }")
            }
            out.append("    detectors:" + (category.detectors.isEmpty ? " []" : ""))
            for rule in category.detectors {
                var fields = ["detector: \(rule.detector.rawValue)"]
                if !rule.requireTags.isEmpty { fields.append("require-tags: \(list(rule.requireTags.sorted()))") }
                if !rule.excludeTags.isEmpty { fields.append("exclude-tags: \(list(rule.excludeTags.sorted()))") }
                if let confidence = rule.confidence { fields.append("confidence: \(confidence.rawValue)") }
                out.append("      - { \(fields.joined(separator: ", ")) }")
            }
            out.append("    hotwords: \(list(category.hotwords))")
            out.append("    exclusions:" + (category.exclusions.isEmpty ? " []" : ""))
            for exclusion in category.exclusions {
                var fields = ["near: \(list(exclusion.phrases))"]
                if !exclusion.tags.isEmpty { fields.append("tags: \(list(exclusion.tags.sorted()))") }
                if !exclusion.detectors.isEmpty { fields.append("detectors: \(list(exclusion.detectors.sorted()))") }
                if exclusion.documentScope { fields.append("scope: document") }
                out.append("      - { \(fields.joined(separator: ", ")) }")
            }
        }
        // A rule shown with only some categories must name no other, or the output would not load.
        let rules = policy.rules.filter { rule in only.map { only in (rule.allOf.map(\.category) + [rule.category]).allSatisfy(only.contains) } ?? true }
        out.append("rules:" + (rules.isEmpty ? " []" : ""))
        for rule in rules {
            out.append("  - id: \(quote(rule.id))")
            if !rule.description.isEmpty { out.append("    description: \(quote(rule.description))") }
            if rule.isCombination {
                out.append("    all-of:")
                for condition in rule.allOf {
                    var fields = ["category: \(condition.category.rawValue)"]
                    if let detector = condition.detector { fields.append("detector: \(detector.rawValue)") }
                    if !condition.keywords.isEmpty { fields.append("keywords: \(list(condition.keywords))") }
                    if !condition.requireTags.isEmpty { fields.append("require-tags: \(list(condition.requireTags.sorted()))") }
                    fields.append("min-confidence: \(condition.minConfidence.rawValue)")
                    fields.append("min-count: \(condition.minCount)")
                    out.append("      - { " + fields.joined(separator: ", ") + " }")
                }
                out.append("    scope: \(rule.scope.written)")
                out.append("    verdict: \(rule.verdict.rawValue)")
                continue
            }
            out.append("    category: \(rule.category.rawValue)")
            if let detector = rule.detector { out.append("    detector: \(detector.rawValue)") }
            out.append("    min-confidence: \(rule.minConfidence.rawValue)")
            if !rule.requireTags.isEmpty { out.append("    require-tags: \(list(rule.requireTags.sorted()))") }
            if !rule.excludeTags.isEmpty { out.append("    exclude-tags: \(list(rule.excludeTags.sorted()))") }
            out.append("    min-count: \(rule.minCount)")
            out.append("    verdict: \(rule.verdict.rawValue)")
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static func list(_ items: [String]) -> String {
        "[" + items.map(quote).joined(separator: ", ") + "]"
    }

    /// A double-quoted YAML scalar: always safe, whatever the text.
    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
