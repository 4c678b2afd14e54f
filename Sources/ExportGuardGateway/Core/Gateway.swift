import ExportGuardCore
import ExportGuardInspection
import ExportGuardPolicy
import ExportGuardScanning

/// The one gateway core that `exportguard filter` and `exportguard serve` share: it scans a
/// body — part by part when it is `multipart/*` — while keeping its original bytes in a
/// spool when they must be passed on, and turns the reports into one verdict and one
/// ``GatewayDecision`` under one ``ReviewAction``. Policy limits and command-line limits
/// merge here, once, so every gateway inspects under the same bounds.
///
/// ```swift
/// let gateway = Gateway(compiled: CompiledPolicy.makeDefault(), limits: LimitSettings(maxDepth: 8))
/// var body = FileByteSource(descriptor: 0, name: "-")
/// let outcome = gateway.scan(&body, name: "message", spool: MessageSpool())
/// if outcome.decision.passes { try outcome.spool?.replay(to: 1) }
/// ```
public final class Gateway: Sendable {
    public let scanner: ContentScanner
    public let review: ReviewAction

    /// - Parameters:
    ///   - limits: limits from the command line or service settings; they win over the policy's.
    ///   - review: the review action; nil takes the policy's `review-action`.
    public init(compiled: CompiledPolicy, limits: LimitSettings = LimitSettings(), review: ReviewAction? = nil) {
        self.scanner = ContentScanner(compiled: compiled, overrides: limits)
        self.review = review ?? compiled.policy.reviewAction
    }

    public var compiled: CompiledPolicy { scanner.compiled }

    /// Scans a body to its end. `contentType` `multipart/*` scans each part as an input of
    /// its own (`name!field/file.txt`); `spool` keeps every original byte, and a spool that
    /// could not keep one makes the content unpassable.
    public func scan(_ source: some ByteSource, name: String, contentType: String? = nil, spool: MessageSpool? = nil) -> GatewayOutcome {
        let reference = ReferenceID.make()
        var reports: [ScanReport] = []
        var failure: InspectionError?
        var spoolFailure: MessageSpool.SpoolError?
        do {
            if let spool {
                let spooling = SpoolingByteSource(source, spool: spool)
                reports = try scanBody(spooling, name: name, contentType: contentType)
                spoolFailure = spooling.spoolError
            } else {
                reports = try scanBody(source, name: name, contentType: contentType)
            }
        } catch {
            failure = error
        }
        return GatewayOutcome(reports: reports, reference: reference, failure: failure, spool: spool, spoolFailure: spoolFailure, review: review)
    }

    private func scanBody(_ source: some ByteSource, name: String, contentType: String?) throws(InspectionError) -> [ScanReport] {
        guard let boundary = contentType.flatMap({ MIMEParameters(parsing: Array($0.utf8), dialect: .http).multipartBoundary }) else {
            var source = source
            return [try scanner.scan(&source, name: name, stopAtBlock: true, drain: true)]
        }
        let reader = MultipartReader(source, boundary: boundary)
        var reports: [ScanReport] = []
        while let segment = try reader.nextSegment() {
            var part = MultipartSegmentSource(reader)
            reports.append(try scanner.scan(&part, name: "\(name)!\(segment.displayName)", stopAtBlock: true, drain: true))
        }
        if reports.isEmpty {
            // An empty form still gets an answer.
            reports.append(scanner.scan(bytes: [], name: name))
        }
        return reports
    }
}

/// The decision for one body: one report per input (a part of a multipart body is an input).
public struct GatewayOutcome: @unchecked Sendable {
    public var reports: [ScanReport]
    /// A short reference for logs, bounces and block pages.
    public var reference: String
    /// Why the body could not be read to its end (the source failed, the client went away).
    public var failure: InspectionError?
    /// The original bytes, when the caller asked for a spool.
    public var spool: MessageSpool?
    /// Why the spool could not keep every byte: a body the decision passes must then not be
    /// passed on from the spool (the caller answers with a temporary failure instead).
    public var spoolFailure: MessageSpool.SpoolError?
    /// The worst verdict of the reports; block when the body could not be read whole.
    public var verdict: Verdict
    public var decision: GatewayDecision

    /// An outcome for a body that was never scanned (the service stopping).
    public init(aborted failure: InspectionError, review: ReviewAction) {
        self.init(reports: [], reference: ReferenceID.make(), failure: failure, spool: nil, spoolFailure: nil, review: review)
    }

    init(reports: [ScanReport], reference: String, failure: InspectionError?, spool: MessageSpool?, spoolFailure: MessageSpool.SpoolError?, review: ReviewAction) {
        self.reports = reports
        self.reference = reference
        self.failure = failure
        self.spool = spool
        self.spoolFailure = spoolFailure
        let worst = reports.map(\.verdict).max() ?? .allow
        verdict = failure == nil ? worst : .block
        if failure != nil {
            decision = .deferDelivery
        } else {
            let uninspectableOnly = reports.filter { $0.verdict == .block }.allSatisfy {
                if case .uninspectable = $0.assessment.decision { true } else { false }
            }
            decision = GatewayDecision(verdict: verdict, review: review, uninspectableOnly: uninspectableOnly)
        }
    }

    /// Categories with evidence in any report, in first-seen order.
    public var categories: [CategoryAssessment] {
        var seen = Set<CategoryID>()
        var result: [CategoryAssessment] = []
        for report in reports {
            for category in report.assessment.categories where (category.score > 0 || category.count > 0) && !seen.contains(category.category) {
                seen.insert(category.category)
                result.append(category)
            }
        }
        return result
    }

    public var uninspectedCount: Int { reports.reduce(0) { $0 + $1.assessment.uninspected.count } }
}
