import ExportGuardCore
import ExportGuardPolicy
import ExportGuardScanning

/// Renders each report as one JSON object on one line (JSON Lines), as it comes.
///
/// Keys: `path`, `verdict`, `score`, `decision`, `categories`, `findings`,
/// `uninspected`, `media`, `stats` — the contract documented in the README.
public struct JSONReporter: Reporter {
    private let output: ReportOutput

    public init(output: @escaping ReportOutput) {
        self.output = output
    }

    public func begin() {}

    public func report(_ report: ScanReport) {
        output(Self.line(for: report) + "\n")
    }

    public func finish(_ summary: ScanSummary) {}

    /// - Parameter reference: the decision's reference id, when a gateway made one.
    public static func line(for report: ScanReport, reference: String? = nil) -> String {
        let assessment = report.assessment
        var json = JSONWriter()
        json.beginObject()
        json.key("path"); json.string(report.path)
        if let reference {
            json.key("reference"); json.string(reference)
        }
        json.key("verdict"); json.string(assessment.verdict.rawValue)
        json.key("score"); json.int(assessment.score)
        json.key("decision"); json.string(assessment.decision.description)
        json.key("decidedBy")
        json.beginObject()
        switch assessment.decision {
        case .belowThresholds:
            json.key("kind"); json.string("thresholds")
        case .score(let category, let score, let threshold):
            json.key("kind"); json.string("score")
            json.key("category"); json.string(category.rawValue)
            json.key("score"); json.int(score)
            json.key("threshold"); json.int(threshold)
        case .rule(let id, _):
            json.key("kind"); json.string("rule")
            json.key("rule"); json.string(id)
        case .personalInformation(let band, _, _):
            json.key("kind"); json.string("personal-information")
            json.key("band"); json.string(band.rawValue)
        case .uninspectable(let count):
            json.key("kind"); json.string("uninspectable")
            json.key("parts"); json.int(count)
        case .media(let count, let nested):
            json.key("kind"); json.string("media")
            json.key("parts"); json.int(count)
            json.key("nested"); json.bool(nested)
        }
        json.endObject()
        json.key("categories")
        json.beginArray()
        for category in assessment.categories {
            json.beginObject()
            json.key("category"); json.string(category.category.rawValue)
            json.key("score"); json.int(category.score)
            json.key("count"); json.int(category.count)
            json.key("distinct"); json.int(category.distinct)
            json.endObject()
        }
        json.endArray()
        json.key("findings")
        json.beginArray()
        for finding in assessment.findings {
            json.beginObject()
            json.key("rule"); json.string(finding.ruleID)
            json.key("category"); json.string(finding.category.rawValue)
            json.key("detector"); json.string(finding.detector)
            json.key("confidence"); json.string(finding.confidence.rawValue)
            json.key("location"); json.string(finding.location.description)
            json.key("excerpt"); json.string(finding.excerpt)
            if !finding.tags.isEmpty {
                json.key("tags")
                json.beginArray()
                for tag in finding.tags { json.string(tag) }
                json.endArray()
            }
            json.endObject()
        }
        json.endArray()
        let personal = assessment.personalInformation
        json.key("regulatory")
        json.beginObject()
        json.key("band"); json.string(personal.band.rawValue)
        json.key("persons"); json.int(personal.persons)
        json.key("sensitivePersons"); json.int(personal.sensitivePersons)
        json.key("minors"); json.int(personal.minors)
        json.key("identifiers")
        json.beginObject()
        for (kind, count) in personal.byIdentifier.sorted(by: { $0.key < $1.key }) {
            json.key(kind); json.int(count)
        }
        json.endObject()
        if let error = personal.relativeError {
            json.key("estimated"); json.bool(true)
            json.key("relativeError"); json.double(error, decimals: 4)
        }
        json.endObject()
        json.key("dropped")
        json.beginObject()
        json.key("excluded"); json.int(assessment.excludedFindings)
        json.key("allowlisted"); json.int(assessment.allowlistedFindings)
        json.endObject()
        json.key("uninspected")
        json.beginArray()
        for part in assessment.uninspected {
            json.beginObject()
            json.key("location"); json.string(part.location.description)
            json.key("code"); json.string(part.code.rawValue)
            json.key("reason"); json.string(part.reason)
            json.endObject()
        }
        json.endArray()
        json.key("media")
        json.beginArray()
        for part in assessment.media {
            json.beginObject()
            json.key("location"); json.string(part.location.description)
            json.key("format"); json.string(part.format)
            json.key("bytes"); json.int(part.bytes)
            json.key("nested"); json.bool(part.nested)
            json.endObject()
        }
        json.endArray()
        json.key("stats")
        json.beginObject()
        json.key("bytes"); json.int(report.stats.bytes)
        json.key("decodedBytes"); json.int(report.stats.decodedBytes)
        json.key("elapsedMs"); json.double(report.stats.elapsedMilliseconds)
        if report.stats.replacedSequences > 0 {
            json.key("replacedSequences"); json.int(report.stats.replacedSequences)
        }
        if report.stats.stoppedAtBlock {
            json.key("stoppedAtBlock"); json.bool(true)
        }
        json.endObject()
        json.endObject()
        return json.output
    }
}
