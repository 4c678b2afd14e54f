import ExportGuardCore

/// Turns category evidence into scores and a verdict, deterministically.
///
/// Each distinct value contributes `points(confidence) × weight` percent; a category's
/// score combines them as independent evidence, `100 × (1 − Π(1 − pᵢ))`, so repeats of
/// one value count once and the score never passes 100.
struct Scorer {
    let policy: Policy

    func categoryScore(_ evidence: CategoryEvidence, weight: Double) -> Int {
        var clear = 1.0
        for confidence in evidence.values.values {
            let p = min(1, Double(policy.points[confidence]) / 100 * weight)
            clear *= 1 - p
        }
        return Int((100 * (1 - clear)).rounded())
    }

    func assess(
        evidence: [CategoryEvidence], firedRules: [Rule], personalInformation: PersonalInformationCount, uninspected: [UninspectedPart],
        media: [MediaPart] = []
    ) -> Assessment {
        var categories: [CategoryAssessment] = []
        var verdict = Verdict.allow
        var decision = Decision.belowThresholds
        var best = (verdict: Verdict.allow, score: 0)
        for (index, category) in policy.categories.enumerated() where evidence[index].count > 0 {
            let score = categoryScore(evidence[index], weight: category.weight)
            let sample = evidence[index].sample.sorted { ($1.confidence, $0.location.description) < ($0.confidence, $1.location.description) }
            categories.append(CategoryAssessment(
                category: category.id, title: category.title, score: score, count: evidence[index].count,
                distinct: evidence[index].values.count, findings: sample))
            var reached = Verdict.allow
            var threshold = 0
            if score >= policy.thresholds.block {
                reached = .block
                threshold = policy.thresholds.block
            } else if score >= policy.thresholds.review {
                reached = .review
                threshold = policy.thresholds.review
            }
            if reached > category.maxVerdict {
                reached = category.maxVerdict
                threshold = policy.thresholds.review
            }
            if reached > .allow, (reached, score) > (best.verdict, best.score) {
                best = (reached, score)
                verdict = reached
                decision = .score(category: category.id, score: score, threshold: threshold)
            }
        }
        for rule in firedRules where rule.verdict > verdict || (rule.verdict == verdict && rule.verdict > .allow && !isRule(decision)) {
            verdict = rule.verdict
            decision = .rule(id: rule.id, description: rule.description)
        }
        let bandVerdict = policy.personalInformationBands[personalInformation.band] ?? .allow
        if bandVerdict > verdict {
            verdict = bandVerdict
            decision = .personalInformation(
                band: personalInformation.band, persons: personalInformation.persons, sensitive: personalInformation.sensitivePersons)
        }
        for nested in [true, false] {
            let parts = media.filter { $0.nested == nested }
            let mediaVerdict = policy.media.verdict(nested: nested)
            if !parts.isEmpty, mediaVerdict > verdict {
                verdict = mediaVerdict
                decision = .media(count: parts.count, nested: nested)
            }
        }
        if !uninspected.isEmpty, policy.uninspectable > verdict {
            verdict = policy.uninspectable
            decision = .uninspectable(count: uninspected.count)
        }
        categories.sort { ($0.score, $1.category) > ($1.score, $0.category) }
        var assessment = Assessment(
            verdict: verdict, score: categories.first?.score ?? 0, categories: categories,
            uninspected: uninspected, decision: decision, personalInformation: personalInformation)
        assessment.media = media
        assessment.excludedFindings = evidence.reduce(0) { $0 + $1.excluded }
        assessment.allowlistedFindings = evidence.reduce(0) { $0 + $1.allowed }
        return assessment
    }

    private func isRule(_ decision: Decision) -> Bool {
        if case .rule = decision { return true }
        return false
    }
}
