import ExportGuardCore
import ExportGuardMatching
import Yams

/// Loads policies from YAML, validating every key and value with its position.
public enum PolicyLoader {
    /// The policy compiled into the binary (source: `Policies/default.yaml`).
    public static func defaultPolicy() -> Policy {
        do {
            return try load(yaml: embeddedDefaultPolicyYAML, file: "default.yaml", base: nil)
        } catch {
            // The default policy is checked by the test suite; a broken one is a build defect.
            fatalError("embedded default policy is invalid:\n\(error)")
        }
    }

    /// Loads a policy file. `extends: default` starts from the built-in policy.
    public static func load(path: String) throws(PolicyError) -> Policy {
        guard let text = readText(path) else {
            throw PolicyError([PolicyProblem(file: path, line: 0, column: 0, message: "cannot read the policy file")])
        }
        return try load(yaml: text, file: path, base: nil)
    }

    /// Loads a policy from YAML text. `file` names it in error messages.
    public static func load(yaml: String, file: String, base: Policy? = nil) throws(PolicyError) -> Policy {
        let root: Node
        do {
            // The reader interprets every scalar itself (true/yes/on, integers, sizes), so no
            // implicit types are resolved: the default resolver compiles seven regular
            // expressions at start-up, a twentieth of a small scan's time.
            guard let node = try Yams.compose(yaml: yaml, .basic) else {
                throw PolicyError([PolicyProblem(file: file, line: 0, column: 0, message: "the policy file is empty")])
            }
            root = node
        } catch let error as PolicyError {
            throw error
        } catch let error as YamlError {
            throw PolicyError([problem(from: error, file: file)])
        } catch {
            throw PolicyError([PolicyProblem(file: file, line: 0, column: 0, message: "\(error)")])
        }
        var reader = PolicyNodeReader(file: file)
        var policy = base ?? Policy(name: "")
        var named = false
        var keywordReferences: [KeywordReference] = []
        if let pairs = reader.mapping(root, "the policy", allowed: PolicyKeys.top) {
            if let extends = pairs.first(where: { $0.key == "extends" }) {
                if let name = reader.string(extends.value, "extends") {
                    if name == "default" {
                        policy = defaultPolicy()
                    } else {
                        reader.problem(extends.value, "extends must be 'default', not '\(name)'")
                    }
                }
            }
            for (key, keyNode, value) in pairs {
                switch key {
                case "extends":
                    break
                case "name":
                    if let name = reader.nonEmptyString(value, "name") {
                        policy.name = name
                        named = true
                    }
                case "description":
                    policy.description = reader.string(value, "description")
                case "thresholds":
                    readThresholds(value, into: &policy.thresholds, reader: &reader)
                case "points":
                    readPoints(value, into: &policy.points, reader: &reader)
                case "uninspectable":
                    if let verdict = reader.verdict(value, "uninspectable") { policy.uninspectable = verdict }
                case "media":
                    if let pairs = reader.mapping(value, "media", allowed: ["nested", "top-level"]) {
                        for (key, _, setting) in pairs {
                            guard let verdict = reader.verdict(setting, "media.\(key)") else { continue }
                            if key == "nested" { policy.media.nested = verdict } else { policy.media.topLevel = verdict }
                        }
                    }
                case "context-window":
                    if let window = reader.integer(value, "context-window", in: 1...10_000) { policy.contextWindow = window }
                case "categories":
                    readCategories(value, into: &policy.categories, reader: &reader)
                case "rules":
                    keywordReferences += readRules(value, into: &policy.rules, reader: &reader)
                case "review-action":
                    if let text = reader.string(value, "review-action") {
                        if let action = ReviewAction(setting: text) {
                            policy.reviewAction = action
                        } else {
                            reader.problem(value, "review-action must be \(ReviewAction.settings), not '\(text)'")
                        }
                    }
                case "limits":
                    readLimits(value, into: &policy.limits, reader: &reader)
                case "allowlist":
                    readAllowlist(value, into: &policy.allowlist, reader: &reader)
                case "personal-information-bands":
                    readBands(value, into: &policy.personalInformationBands, reader: &reader)
                default:
                    reader.problem(keyNode, "unhandled key '\(key)'")
                }
            }
            if !named && policy.name.isEmpty {
                reader.problem(root, "the policy needs a 'name'")
            }
            if policy.thresholds.review > policy.thresholds.block {
                reader.problem(pairs.first { $0.key == "thresholds" }?.value ?? root,
                               "thresholds: review (\(policy.thresholds.review)) must not be above block (\(policy.thresholds.block))")
            }
            let known = Set(policy.categories.map(\.id))
            for rule in policy.rules {
                for category in Set([rule.category] + rule.allOf.map(\.category)) where !known.contains(category) {
                    reader.problem(pairs.first { $0.key == "rules" }?.value, "rule '\(rule.id)' names category '\(category)', which this policy does not define")
                }
            }
            // A condition's keywords must be keywords of its category, or it never holds: those
            // of this file's rules, and those of inherited rules whose category this file changed.
            func isKeyword(_ text: String, of id: CategoryID) -> Bool {
                policy.categories.first { $0.id == id }.map { $0.keywords.contains { $0.text == text } } ?? true
            }
            for reference in keywordReferences where !isKeyword(reference.keyword, of: reference.category) {
                reader.problem(reference.node, "'\(reference.keyword)' is not a keyword of category '\(reference.category)'")
            }
            let ownRules = Set(keywordReferences.map(\.rule))
            for rule in policy.rules where !ownRules.contains(rule.id) {
                for condition in rule.allOf {
                    for keyword in condition.keywords where !isKeyword(keyword, of: condition.category) {
                        reader.problem(pairs.first { $0.key == "categories" }?.value ?? root,
                                       "the inherited rule '\(rule.id)' needs '\(keyword)', which is no longer a keyword of category '\(condition.category)'")
                    }
                }
            }
        }
        if !reader.problems.isEmpty {
            throw PolicyError(reader.problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return policy
    }

    // MARK: Sections

    private static func readThresholds(_ node: Node, into thresholds: inout Policy.Thresholds, reader: inout PolicyNodeReader) {
        guard let pairs = reader.mapping(node, "thresholds", allowed: ["review", "block"]) else { return }
        for (key, _, value) in pairs {
            guard let number = reader.integer(value, "thresholds.\(key)", in: 1...100) else { continue }
            if key == "review" { thresholds.review = number } else { thresholds.block = number }
        }
    }

    private static func readPoints(_ node: Node, into points: inout Policy.ConfidencePoints, reader: inout PolicyNodeReader) {
        guard let pairs = reader.mapping(node, "points", allowed: ["low", "medium", "high"]) else { return }
        for (key, _, value) in pairs {
            guard let number = reader.integer(value, "points.\(key)", in: 0...100) else { continue }
            switch key {
            case "low": points.low = number
            case "medium": points.medium = number
            default: points.high = number
            }
        }
    }

    private static func readLimits(_ node: Node, into limits: inout LimitSettings, reader: inout PolicyNodeReader) {
        let keys: Set<String> = ["max-depth", "max-decoded-bytes", "max-entries", "max-expansion-ratio", "max-xml-text-length", "max-seconds"]
        guard let pairs = reader.mapping(node, "limits", allowed: keys) else { return }
        for (key, _, value) in pairs {
            let what = "limits.\(key)"
            switch key {
            case "max-depth": limits.maxDepth = reader.integer(value, what, in: 1...64) ?? limits.maxDepth
            case "max-entries": limits.maxEntries = reader.integer(value, what, in: 1...10_000_000) ?? limits.maxEntries
            case "max-expansion-ratio": limits.maxExpansionRatio = reader.integer(value, what, in: 2...1_000_000) ?? limits.maxExpansionRatio
            case "max-seconds": limits.maxSeconds = reader.number(value, what, in: 0...86_400) ?? limits.maxSeconds
            default:
                guard let text = reader.string(value, what) else { continue }
                guard let size = LimitSettings.parseSize(text), size > 0 else {
                    reader.problem(value, "\(what) must be a size such as 65536, 64MiB or 4GiB, not '\(text)'")
                    continue
                }
                if key == "max-decoded-bytes" { limits.maxDecodedBytes = size } else { limits.maxXMLTextLength = size }
            }
        }
    }

    private static func readAllowlist(_ node: Node, into allowlist: inout Allowlist, reader: inout PolicyNodeReader) {
        guard let pairs = reader.mapping(node, "allowlist", allowed: ["values", "patterns", "sha256"]) else { return }
        for (key, _, value) in pairs {
            guard let items = reader.sequence(value, "allowlist.\(key)") else { continue }
            for item in items {
                guard let text = reader.nonEmptyString(item, "an entry of allowlist.\(key)") else { continue }
                switch key {
                case "values":
                    allowlist.values.append(text)
                case "patterns":
                    do {
                        _ = try Regex(text)
                        allowlist.patterns.append(text)
                    } catch {
                        reader.problem(item, "bad regular expression '\(text)': \(error)")
                    }
                default:
                    let hex = text.lowercased()
                    if hex.count == 64, hex.allSatisfy({ $0.isHexDigit }) {
                        allowlist.sha256.append(hex)
                    } else {
                        reader.problem(item, "allowlist.sha256 entries must be 64 hexadecimal digits")
                    }
                }
            }
        }
    }

    private static func readBands(_ node: Node, into bands: inout [PersonalInformationBand: Verdict], reader: inout PolicyNodeReader) {
        let names = Set(PersonalInformationBand.allCases.map(\.rawValue))
        guard let pairs = reader.mapping(node, "personal-information-bands", allowed: names) else { return }
        for (key, _, value) in pairs {
            if let band = PersonalInformationBand(rawValue: key), let verdict = reader.verdict(value, "personal-information-bands.\(key)") {
                bands[band] = verdict
            }
        }
    }

    private static func readCategories(_ node: Node, into categories: inout [CategoryPolicy], reader: inout PolicyNodeReader) {
        guard let mapping = node.mapping else {
            reader.problem(node, "categories must be a mapping from category id to its settings")
            return
        }
        let known = Set(CategoryID.builtIn.map(\.rawValue))
        for (keyNode, value) in mapping {
            guard let id = keyNode.scalar?.string else {
                reader.problem(keyNode, "category ids must be strings")
                continue
            }
            guard known.contains(id) else {
                reader.problem(keyNode, "unknown category '\(id)' (known: \(CategoryID.builtIn.map(\.rawValue).joined(separator: ", ")))")
                continue
            }
            let category = CategoryID(id)
            let index = categories.firstIndex { $0.id == category }
            var entry = index.map { categories[$0] } ?? CategoryPolicy(id: category, title: "", law: "")
            readCategory(value, id: id, into: &entry, isNew: index == nil, reader: &reader)
            if let index { categories[index] = entry } else { categories.append(entry) }
        }
    }

    private static func readCategory(_ node: Node, id: String, into category: inout CategoryPolicy, isNew: Bool, reader: inout PolicyNodeReader) {
        guard let pairs = reader.mapping(node, "category '\(id)'", allowed: PolicyKeys.category) else { return }
        for (key, _, value) in pairs {
            let what = "\(id).\(key)"
            switch key {
            case "title": if let text = reader.nonEmptyString(value, what) { category.title = text }
            case "law": if let text = reader.nonEmptyString(value, what) { category.law = text }
            case "weight": if let weight = reader.number(value, what, in: 0...1) { category.weight = weight }
            case "max-verdict": if let verdict = reader.verdict(value, what) { category.maxVerdict = verdict }
            case "keywords": category.keywords = readKeywords(value, what, reader: &reader)
            case "add-keywords": category.keywords += readKeywords(value, what, reader: &reader)
            case "detectors": category.detectors = readDetectors(value, what, reader: &reader)
            case "hotwords": category.hotwords = reader.strings(value, what) ?? category.hotwords
            case "add-hotwords": category.hotwords += reader.strings(value, what) ?? []
            case "exclusions": category.exclusions = readExclusions(value, what, reader: &reader)
            case "add-exclusions": category.exclusions += readExclusions(value, what, reader: &reader)
            default: break
            }
        }
        if isNew {
            if category.title.isEmpty { reader.problem(node, "category '\(id)' needs a 'title'") }
            if category.law.isEmpty { reader.problem(node, "category '\(id)' needs a 'law'") }
        }
    }

    private static func readKeywords(_ node: Node, _ what: String, reader: inout PolicyNodeReader) -> [Keyword] {
        guard let items = reader.sequence(node, what) else { return [] }
        var keywords: [Keyword] = []
        for item in items {
            if item.scalar != nil {
                if let text = reader.nonEmptyString(item, "a keyword in \(what)") { keywords.append(Keyword(text)) }
                continue
            }
            guard let pairs = reader.mapping(item, "a keyword in \(what)", allowed: ["text", "confidence", "case-insensitive", "whole-word", "not-within", "weak"]) else { continue }
            var text: String?
            var confidence = Confidence.low
            var caseInsensitive: Bool?
            var wholeWord: Bool?
            var notWithin: [String] = []
            var weak = false
            for (key, _, value) in pairs {
                switch key {
                case "text": text = reader.nonEmptyString(value, "keyword text")
                case "confidence": confidence = reader.confidence(value, "keyword confidence") ?? confidence
                case "case-insensitive": caseInsensitive = reader.bool(value, "case-insensitive")
                case "not-within": notWithin = reader.strings(value, "not-within") ?? []
                case "weak": weak = reader.bool(value, "weak") ?? weak
                default: wholeWord = reader.bool(value, "whole-word")
                }
            }
            guard let text else {
                reader.problem(item, "a keyword in \(what) needs 'text'")
                continue
            }
            for phrase in notWithin where !phrase.contains(text) {
                reader.problem(item, "not-within phrase '\(phrase)' does not contain the keyword '\(text)'")
            }
            keywords.append(Keyword(text, confidence: confidence, caseInsensitive: caseInsensitive, wholeWord: wholeWord, notWithin: notWithin, weak: weak))
        }
        return keywords
    }

    private static func readDetectors(_ node: Node, _ what: String, reader: inout PolicyNodeReader) -> [DetectorRule] {
        guard let items = reader.sequence(node, what) else { return [] }
        var rules: [DetectorRule] = []
        for item in items {
            if item.scalar != nil {
                if let detector = detectorKind(item, "a detector", reader: &reader) { rules.append(DetectorRule(detector)) }
                continue
            }
            guard let pairs = reader.mapping(item, "a detector in \(what)", allowed: ["detector", "require-tags", "exclude-tags", "confidence"]) else { continue }
            var rule: DetectorRule?
            var require: [(String, Node)] = [], exclude: [(String, Node)] = []
            var confidence: Confidence?
            for (key, _, value) in pairs {
                switch key {
                case "detector": rule = detectorKind(value, "a detector", reader: &reader).map { DetectorRule($0) }
                case "require-tags": require = tagList(value, "require-tags", reader: &reader)
                case "exclude-tags": exclude = tagList(value, "exclude-tags", reader: &reader)
                default: confidence = reader.confidence(value, "detector confidence")
                }
            }
            guard var rule else {
                if !pairs.contains(where: { $0.key == "detector" }) { reader.problem(item, "a detector in \(what) needs 'detector'") }
                continue
            }
            checkTags(require, "require-tags", detectors: [rule.detector], reader: &reader)
            checkTags(exclude, "exclude-tags", detectors: [rule.detector], reader: &reader)
            rule.requireTags = Set(require.map(\.0))
            rule.excludeTags = Set(exclude.map(\.0))
            rule.confidence = confidence
            rules.append(rule)
        }
        return rules
    }

    private static func readExclusions(_ node: Node, _ what: String, reader: inout PolicyNodeReader) -> [Exclusion] {
        guard let items = reader.sequence(node, what) else { return [] }
        var exclusions: [Exclusion] = []
        for item in items {
            if item.scalar != nil {
                if let phrase = reader.nonEmptyString(item, "an exclusion in \(what)") { exclusions.append(Exclusion(phrases: [phrase])) }
                continue
            }
            guard let pairs = reader.mapping(item, "an exclusion in \(what)", allowed: ["near", "tags", "detectors", "scope"]) else { continue }
            var phrases: [String] = []
            var documentScope = false
            var tagNodes: [(String, Node)] = []
            var detectors: Set<String> = []
            for (key, _, value) in pairs {
                switch key {
                case "near": phrases = reader.strings(value, "near") ?? []
                case "tags": tagNodes = tagList(value, "tags", reader: &reader)
                case "scope":
                    switch reader.string(value, "exclusion scope") {
                    case "document": documentScope = true
                    case "window": documentScope = false
                    case let other?: reader.problem(value, "unknown exclusion scope '\(other)' (known: window, document)")
                    case nil: break
                    }
                default:
                    for node in reader.sequence(value, "detectors") ?? [] {
                        guard let name = reader.nonEmptyString(node, "a detector of an exclusion") else { continue }
                        if name == "keyword" || DetectorKind(rawValue: name) != nil {
                            detectors.insert(name)
                        } else {
                            reader.problem(node, "unknown detector '\(name)' (use 'keyword' or a detector id)")
                        }
                    }
                }
            }
            if phrases.isEmpty {
                reader.problem(item, "an exclusion in \(what) needs 'near' with at least one phrase")
                continue
            }
            checkTags(tagNodes, "tags", detectors: detectors.compactMap(DetectorKind.init(rawValue:)), reader: &reader)
            exclusions.append(Exclusion(phrases: phrases, tags: Set(tagNodes.map(\.0)), detectors: detectors, documentScope: documentScope))
        }
        return exclusions
    }

    /// A keyword a rule condition names, checked against the finished policy's categories.
    struct KeywordReference {
        var rule: String
        var category: CategoryID
        var keyword: String
        var node: Node
    }

    /// Reads `rules`, adding or replacing rules by id; returns the keywords the combination
    /// rules' conditions name, to check once every category is known.
    private static func readRules(_ node: Node, into rules: inout [Rule], reader: inout PolicyNodeReader) -> [KeywordReference] {
        guard let items = reader.sequence(node, "rules") else { return [] }
        var references: [KeywordReference] = []
        for item in items {
            guard let pairs = reader.mapping(item, "a rule", allowed: PolicyKeys.rule) else { continue }
            var id: String?, description = "", category: CategoryID?, detector: DetectorKind?
            var minConfidence = Confidence.low, tags: [(String, Node)] = [], excludeTags: [(String, Node)] = [], minCount = 1, verdict: Verdict?
            var allOf: [RuleCondition] = [], scope = RuleScope.document, allOfNode: Node?
            for (key, _, value) in pairs {
                switch key {
                case "id": id = reader.nonEmptyString(value, "rule id")
                case "description": description = reader.string(value, "rule description") ?? ""
                case "category": category = builtInCategory(value, "rule category", reader: &reader)
                case "detector": detector = detectorKind(value, "rule detector", reader: &reader)
                case "min-confidence": minConfidence = reader.confidence(value, "min-confidence") ?? minConfidence
                case "require-tags": tags = tagList(value, "require-tags", reader: &reader)
                case "exclude-tags": excludeTags = tagList(value, "exclude-tags", reader: &reader)
                case "min-count": minCount = reader.integer(value, "min-count", in: 1...Int(Int32.max)) ?? minCount
                case "all-of":
                    allOfNode = value
                    allOf = readConditions(value, rule: pairs.first { $0.key == "id" }?.value.scalar?.string ?? "", references: &references, reader: &reader)
                case "scope": scope = readScope(value, reader: &reader) ?? scope
                default: verdict = reader.verdict(value, "rule verdict")
                }
            }
            let combination = allOfNode != nil
            if combination {
                for single in ["category", "detector", "min-confidence", "require-tags", "exclude-tags", "min-count"] {
                    if let pair = pairs.first(where: { $0.key == single }) {
                        reader.problem(pair.keyNode, "a rule with 'all-of' puts '\(single)' in its conditions")
                    }
                }
                if allOf.isEmpty, let allOfNode { reader.problem(allOfNode, "'all-of' needs at least one condition") }
            } else if let pair = pairs.first(where: { $0.key == "scope" }) {
                reader.problem(pair.keyNode, "'scope' applies only to a rule with 'all-of'")
            }
            guard let id, let category = combination ? allOf.first?.category : category, let verdict else {
                for required in ["id", combination ? "all-of" : "category", "verdict"] where !pairs.contains(where: { $0.key == required }) {
                    reader.problem(item, "a rule needs '\(required)'")
                }
                continue
            }
            checkTags(tags, "require-tags", detectors: detector.map { [$0] } ?? [], reader: &reader)
            checkTags(excludeTags, "exclude-tags", detectors: detector.map { [$0] } ?? [], reader: &reader)
            let rule = Rule(id: id, description: description, category: category, detector: detector,
                            minConfidence: minConfidence, requireTags: Set(tags.map(\.0)), excludeTags: Set(excludeTags.map(\.0)),
                            minCount: minCount, verdict: verdict, allOf: allOf, scope: scope)
            if let index = rules.firstIndex(where: { $0.id == id }) { rules[index] = rule } else { rules.append(rule) }
        }
        return references
    }

    /// The conditions of `all-of`.
    private static func readConditions(
        _ node: Node, rule: String, references: inout [KeywordReference], reader: inout PolicyNodeReader
    ) -> [RuleCondition] {
        guard let items = reader.sequence(node, "all-of") else { return [] }
        var conditions: [RuleCondition] = []
        for item in items {
            guard let pairs = reader.mapping(item, "a condition of all-of", allowed: PolicyKeys.condition) else { continue }
            var category: CategoryID?, detector: DetectorKind?, keywords: [(String, Node)] = [], tags: [(String, Node)] = []
            var minConfidence = Confidence.low, minCount = 1
            for (key, _, value) in pairs {
                switch key {
                case "category": category = builtInCategory(value, "condition category", reader: &reader)
                case "detector": detector = detectorKind(value, "condition detector", reader: &reader)
                case "keywords": keywords = tagList(value, "keywords", reader: &reader)
                case "require-tags": tags = tagList(value, "require-tags", reader: &reader)
                case "min-confidence": minConfidence = reader.confidence(value, "min-confidence") ?? minConfidence
                default: minCount = reader.integer(value, "min-count", in: 1...1_000_000) ?? minCount
                }
            }
            guard let category else {
                if !pairs.contains(where: { $0.key == "category" }) { reader.problem(item, "a condition needs 'category'") }
                continue
            }
            if detector != nil, let pair = pairs.first(where: { $0.key == "keywords" }) {
                reader.problem(pair.keyNode, "a condition names keywords or a detector, not both")
            }
            checkTags(tags, "require-tags", detectors: detector.map { [$0] } ?? [], reader: &reader)
            references += keywords.map { KeywordReference(rule: rule, category: category, keyword: $0.0, node: $0.1) }
            conditions.append(RuleCondition(
                category: category, detector: detector, keywords: keywords.map(\.0), requireTags: Set(tags.map(\.0)),
                minConfidence: minConfidence, minCount: minCount))
        }
        return conditions
    }

    /// `scope: document` or `scope: { window: N }`.
    private static func readScope(_ node: Node, reader: inout PolicyNodeReader) -> RuleScope? {
        if node.scalar != nil {
            guard let text = reader.string(node, "scope") else { return nil }
            if text == "document" { return .document }
            if text == "same-element" { return .sameElement }
            reader.problem(node, "unknown scope '\(text)' (known: document, same-element, { window: N })")
            return nil
        }
        guard let pairs = reader.mapping(node, "scope", allowed: ["window"]) else { return nil }
        guard let pair = pairs.first else {
            reader.problem(node, "scope needs 'window' (or write document or same-element)")
            return nil
        }
        return reader.integer(pair.value, "scope window", in: 1...100_000).map(RuleScope.window)
    }

    private static func builtInCategory(_ node: Node, _ what: String, reader: inout PolicyNodeReader) -> CategoryID? {
        guard let text = reader.string(node, what) else { return nil }
        guard CategoryID.builtIn.map(\.rawValue).contains(text) else {
            reader.problem(node, "unknown category '\(text)'")
            return nil
        }
        return CategoryID(text)
    }

    private static func detectorKind(_ node: Node, _ what: String, reader: inout PolicyNodeReader) -> DetectorKind? {
        guard let text = reader.string(node, what) else { return nil }
        guard let kind = DetectorKind(rawValue: text) else {
            reader.problem(node, "unknown detector '\(text)' (known: \(DetectorKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            return nil
        }
        return kind
    }

    // MARK: Helpers

    /// A list of tags with the node of each, for messages that point at the tag.
    private static func tagList(_ node: Node, _ what: String, reader: inout PolicyNodeReader) -> [(String, Node)] {
        (reader.sequence(node, what) ?? []).compactMap { item in reader.nonEmptyString(item, "an entry of \(what)").map { ($0, item) } }
    }

    /// Reports tags no finding of `detectors` (of any detector, when empty) can carry: a
    /// misspelt tag would make a rule or exclusion silently never apply.
    private static func checkTags(_ tags: [(String, Node)], _ what: String, detectors: [DetectorKind], reader: inout PolicyNodeReader) {
        for (tag, node) in tags {
            let known = detectors.isEmpty ? DetectorRegistry.knows(tag: tag, for: nil) : detectors.contains { DetectorRegistry.knows(tag: tag, for: $0) }
            guard !known else { continue }
            let listing = detectors.isEmpty ? DetectorRegistry.tagListing(for: nil) : Array(Set(detectors.flatMap { DetectorRegistry.tagListing(for: $0) })).sorted()
            let subject = detectors.isEmpty ? "" : " for \(detectors.map(\.rawValue).joined(separator: ", "))"
            reader.problem(node, "unknown tag '\(tag)' in \(what)\(subject) (known: \(listing.joined(separator: ", ")))")
        }
    }

    private static func problem(from error: YamlError, file: String) -> PolicyProblem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return PolicyProblem(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)")
        default:
            return PolicyProblem(file: file, line: 0, column: 0, message: "YAML: \(error)")
        }
    }

    private static func readText(_ path: String) -> String? {
        var source: FileTextReader
        do { source = try FileTextReader(path: path) } catch { return nil }
        return source.readAll(limit: 16 << 20)
    }
}

/// The keys each policy section accepts.
enum PolicyKeys {
    static let top: Set<String> = [
        "name", "description", "extends", "thresholds", "points", "uninspectable", "media", "context-window", "categories", "rules",
        "personal-information-bands", "allowlist", "limits", "review-action",
    ]
    static let category: Set<String> = [
        "title", "law", "weight", "max-verdict", "keywords", "add-keywords", "detectors",
        "hotwords", "add-hotwords", "exclusions", "add-exclusions",
    ]
    static let rule: Set<String> = [
        "id", "description", "category", "detector", "min-confidence", "require-tags", "exclude-tags", "min-count", "verdict",
        "all-of", "scope",
    ]
    static let condition: Set<String> = ["category", "detector", "keywords", "require-tags", "min-confidence", "min-count"]
}
