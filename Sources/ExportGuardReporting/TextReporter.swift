import ExportGuardCore
import ExportGuardPolicy
import ExportGuardScanning

/// Renders a report for people: one line per input with the verdict, then the top
/// reasons with their locations. Colour only when asked (the CLI asks on a terminal).
/// With several inputs, `finish` prints one line of totals.
public struct TextReporter: Reporter {
    private let output: ReportOutput
    public var colour: Bool
    /// Reasons shown under each input.
    public var reasons: Int
    /// Print the decision trail: every category, its findings and the deciding step.
    public var explain: Bool

    public init(colour: Bool, reasons: Int = 3, explain: Bool = false, output: @escaping ReportOutput = { _ in }) {
        self.output = output
        self.colour = colour
        self.reasons = reasons
        self.explain = explain
    }

    public func begin() {}

    public func report(_ report: ScanReport) {
        output(render(report) + "\n")
    }

    public func finish(_ summary: ScanSummary) {
        guard summary.inputs + summary.failures > 1 else { return }
        let counts = Verdict.allCases.reversed().map { "\(summary.verdicts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        let failed = summary.failures > 0 ? ", \(summary.failures) unreadable" : ""
        output("\(summary.inputs) input(s): \(counts)\(failed)\n")
    }

    public func render(_ report: ScanReport) -> String {
        let assessment = report.assessment
        var lines: [String] = []
        let label = assessment.verdict.rawValue.uppercased().padding(toLength: 6)
        var headline = "\(paint(label, for: assessment.verdict)) \(report.path)  score \(assessment.score)"
        if !assessment.categories.isEmpty {
            headline += "  " + assessment.categories.map { "\($0.category)(\($0.score))" }.joined(separator: " ")
        }
        lines.append(headline)
        if explain {
            lines.append("       decided by: \(assessment.decision)")
            if assessment.excludedFindings + assessment.allowlistedFindings > 0 {
                lines.append("       dropped: \(assessment.excludedFindings) by exclusions in context, \(assessment.allowlistedFindings) by the allowlist")
            }
            for category in assessment.categories {
                lines.append("       \(category.category) — \(category.title): score \(category.score), \(category.count) finding(s), \(category.distinct) distinct")
                for finding in category.findings {
                    lines.append("         \(finding.confidence.rawValue.padding(toLength: 6)) \(finding.ruleID) \(finding.excerpt) at \(finding.location)")
                }
            }
        } else {
            for finding in assessment.findings.sorted(by: { $0.confidence > $1.confidence }).prefix(reasons) {
                lines.append("       \(finding.category): \(finding.detector) \(finding.excerpt) (\(finding.confidence.rawValue)) at \(finding.location)")
            }
        }
        for part in assessment.uninspected.prefix(explain ? Int.max : reasons) {
            lines.append("       uninspected [\(part.code.rawValue)]: \(part.location): \(part.reason)")
        }
        if explain {
            for part in assessment.media {
                lines.append("       media: \(part.location): \(part.format), \(part.bytes) bytes\(part.nested ? "" : ", on its own")")
            }
        }
        return lines.joined(separator: "\n")
    }

    private func paint(_ text: String, for verdict: Verdict) -> String {
        guard colour else { return text }
        let code = switch verdict {
        case .allow: "32"
        case .review: "33"
        case .block: "1;31"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
