import ExportGuardCore

/// What one category has gathered in one input, bounded in memory.
struct CategoryEvidence {
    /// Best confidence per distinct value (keyed by hash).
    private(set) var values: [UInt64: Confidence] = [:]
    private(set) var count = 0
    var excluded = 0
    /// Findings dropped because the policy's allowlist allows their value.
    var allowed = 0
    private(set) var sample: [Finding] = []

    mutating func add(_ finding: Finding, key: UInt64) {
        count += 1
        if let known = values[key] {
            if finding.confidence > known { values[key] = finding.confidence }
        } else if values.count < FindingCollector.distinctLimit {
            values[key] = finding.confidence
        }
        if sample.count < FindingCollector.sampleSize {
            sample.append(finding)
        } else if let weakest = sample.indices.min(by: { sample[$0].confidence < sample[$1].confidence }),
                  sample[weakest].confidence < finding.confidence {
            sample.remove(at: weakest)
            sample.append(finding)
        }
    }
}
