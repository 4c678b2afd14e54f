import ExportGuardCore
import ExportGuardGateway
import ExportGuardInspection
import ExportGuardPolicy
import ExportGuardScanning
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// What one scan is about.
public struct ScanRequest: Sendable {
    /// How the body is named in reports: `upload`, `download`, or a name the client gave.
    public var name: String
    /// The body's media type (for `multipart/*` decoding).
    public var contentType: String?
    /// Keep the original bytes for echoing them afterwards.
    public var spool: Bool
    /// `reqmod`, `respmod` or `http`, for logs.
    public var service: String
    /// Where the transfer goes (the encapsulated request's Host), for logs.
    public var host: String?

    public init(name: String, contentType: String?, spool: Bool, service: String, host: String? = nil) {
        self.name = name
        self.contentType = contentType
        self.spool = spool
        self.service = service
        self.host = host
    }
}

/// The decision for one body: one report per input (a part of a multipart body is an input).
public struct ScanOutcome: @unchecked Sendable {
    public var reports: [ScanReport]
    /// The worst verdict of the reports; block when the body could not be read whole.
    public var verdict: Verdict
    public var reference: String
    /// Body bytes received.
    public var bytes: Int
    /// From the request head to the decision.
    public var milliseconds: Double
    /// Why the body could not be read whole (client gone, limit passed).
    public var failure: String?
    /// The client went away: there is no decision to give or to count.
    public var aborted = false
    /// The original bytes, when the request asked for a spool.
    public var spool: MessageSpool?
    /// Why the spool could not keep every byte (the body must then not be echoed).
    public var spoolFailure: String?

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

/// Runs scans on a pool of scan threads, at most `maxConcurrentScans` at once with a bounded
/// number waiting; each pulls its body from a ``ByteQueue`` that a connection fills.
/// Logs one line per decision and keeps the metrics.
public final class ScanEngine: Sendable {
    public let scanner: ContentScanner
    public let metrics: ServiceMetrics
    let logger: Logger
    private let pool: NIOThreadPool
    private let slots = NIOLockedValueBox(0)
    private let maxSlots: Int
    private let spoolMemory: Int

    public init(compiled: CompiledPolicy, configuration: ServiceConfiguration, metrics: ServiceMetrics, logger: Logger) {
        self.scanner = ContentScanner(compiled: compiled, limits: configuration.inspectionLimits)
        self.metrics = metrics
        self.logger = logger
        self.maxSlots = max(1, configuration.maxConcurrentScans) + max(0, configuration.maxQueuedScans)
        self.spoolMemory = configuration.spoolMemoryBytes
        self.pool = NIOThreadPool(numberOfThreads: max(1, configuration.maxConcurrentScans))
        pool.start()
    }

    /// Reserves a place for a scan; false when the service is saturated (answer 503).
    public func tryAcquire() -> Bool {
        let admitted = slots.withLockedValue { count -> Bool in
            guard count < maxSlots else { return false }
            count += 1
            return true
        }
        if admitted { metrics.scanStarted() } else { metrics.rejected("overloaded") }
        return admitted
    }

    /// Scans in flight (running or waiting).
    public var activeScans: Int { slots.withLockedValue { $0 } }

    /// Runs a scan reserved with ``tryAcquire()``. `completion` runs on the scan thread; the
    /// place is released when it returns, so work it does (echoing a body) counts as the scan's.
    public func run(_ request: ScanRequest, queue: ByteQueue, started: NIODeadline, completion: @escaping @Sendable (ScanOutcome) -> Void) {
        pool.submit { [self] state in
            defer {
                slots.withLockedValue { $0 -= 1 }
                metrics.scanEnded()
            }
            guard case .active = state else {
                queue.abandon()
                completion(ScanOutcome(
                    reports: [], verdict: .block, reference: ReferenceID.make(), bytes: 0, milliseconds: 0,
                    failure: "the service is stopping", aborted: true, spool: nil, spoolFailure: nil))
                return
            }
            let outcome = scan(request, queue: queue, started: started)
            log(outcome, request: request)
            completion(outcome)
        }
    }

    /// Scans a body synchronously (on the calling thread).
    func scan(_ request: ScanRequest, queue: ByteQueue, started: NIODeadline) -> ScanOutcome {
        let reference = ReferenceID.make()
        let spool = request.spool ? MessageSpool(memoryLimit: spoolMemory) : nil
        let raw = QueueByteSource(queue, name: request.name)
        var reports: [ScanReport] = []
        var failure: String?
        var spoolFailure: String?
        do {
            if let boundary = request.contentType.flatMap({ MIMEParameters(parsing: Array($0.utf8)).multipartBoundary }) {
                if let spool {
                    let reader = MultipartReader(SpoolingByteSource(raw, spool: spool), boundary: boundary)
                    reports = try scanParts(reader, name: request.name)
                    spoolFailure = reader.source.spoolError?.description
                } else {
                    reports = try scanParts(MultipartReader(raw, boundary: boundary), name: request.name)
                }
            } else if let spool {
                var source = SpoolingByteSource(raw, spool: spool)
                reports = [try scanner.scan(&source, name: request.name)]
                spoolFailure = source.spoolError?.description
            } else {
                var source = raw
                reports = [try scanner.scan(&source, name: request.name)]
            }
        } catch {
            failure = Self.reason(error)
            queue.abandon()
        }
        let aborted = failure != nil && queue.wasAborted
        var verdict = reports.map(\.verdict).max() ?? .allow
        if failure != nil { verdict = .block }
        let elapsed = Double((NIODeadline.now() - started).nanoseconds) / 1e6
        return ScanOutcome(
            reports: reports, verdict: verdict, reference: reference, bytes: queue.totalPushed, milliseconds: elapsed,
            failure: failure, aborted: aborted, spool: spool, spoolFailure: spoolFailure)
    }

    private func scanParts<U: ByteSource>(_ reader: MultipartReader<U>, name: String) throws(InspectionError) -> [ScanReport] {
        var reports: [ScanReport] = []
        while let segment = try reader.nextSegment() {
            var source = MultipartSegmentSource(reader)
            reports.append(try scanner.scan(&source, name: "\(name)!\(segment.displayName)"))
        }
        if reports.isEmpty {
            // An empty form still gets an answer.
            reports.append(scanner.scan(bytes: [], name: name))
        }
        return reports
    }

    private static func reason(_ error: InspectionError) -> String {
        switch error {
        case .readFailed(_, let reason), .cannotOpen(_, let reason): reason
        }
    }

    private func log(_ outcome: ScanOutcome, request: ScanRequest) {
        if outcome.aborted {
            metrics.aborted()
            logger.debug("aborted", metadata: [
                "reference": .string(outcome.reference), "service": .string(request.service),
                "bytes": .stringConvertible(outcome.bytes), "reason": .string(outcome.failure ?? ""),
            ])
            return
        }
        metrics.recordDecision(
            verdict: outcome.verdict, bytes: outcome.bytes, seconds: outcome.milliseconds / 1000,
            uninspected: outcome.uninspectedCount, failed: outcome.failure != nil)
        var metadata: Logger.Metadata = [
            "reference": .string(outcome.reference),
            "verdict": .string(outcome.verdict.rawValue),
            "categories": .string(outcome.categories.map(\.category.rawValue).joined(separator: ",")),
            "bytes": .stringConvertible(outcome.bytes),
            "ms": .string(String(format: outcome.milliseconds)),
            "service": .string(request.service),
            "parts": .stringConvertible(outcome.reports.count),
        ]
        if outcome.uninspectedCount > 0 { metadata["uninspected"] = .stringConvertible(outcome.uninspectedCount) }
        if let host = request.host { metadata["host"] = .string(host) }
        if let failure = outcome.failure { metadata["failure"] = .string(failure) }
        logger.info("decision", metadata: metadata)
    }

    /// Stops the scan threads once the running scans are done.
    public func shutdown() {
        try? pool.syncShutdownGracefully()
    }
}

extension String {
    /// A millisecond figure with one decimal.
    init(format milliseconds: Double) {
        let tenths = Int((milliseconds * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}
