import ExportGuardCore
import ExportGuardGateway
import ExportGuardInspection
import ExportGuardPolicy
import ExportGuardScanning
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Glibc

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

/// A gateway outcome with what the service adds: the body's size and time, and whether
/// the client went away (then there is no decision to give or to count).
public struct ScanOutcome: @unchecked Sendable {
    public var gateway: GatewayOutcome
    /// Body bytes received.
    public var bytes: Int
    /// From the request head to the decision.
    public var milliseconds: Double
    /// The client went away: there is no decision to give or to count.
    public var aborted = false

    public var reports: [ScanReport] { gateway.reports }
    public var verdict: Verdict { gateway.verdict }
    public var decision: GatewayDecision { gateway.decision }
    public var reference: String { gateway.reference }
    public var spool: MessageSpool? { gateway.spool }
    public var categories: [CategoryAssessment] { gateway.categories }
    public var uninspectedCount: Int { gateway.uninspectedCount }
    /// Why the body could not be read whole (client gone, limit passed).
    public var failure: String? {
        switch gateway.failure {
        case .readFailed(_, let reason)?, .cannotOpen(_, let reason)?: reason
        case nil: nil
        }
    }
    /// Why the spool could not keep every byte (the body must then not be echoed).
    public var spoolFailure: String? { gateway.spoolFailure?.description }
}

/// Runs scans on a pool of scan threads, at most `maxConcurrentScans` at once with a bounded
/// number waiting; each pulls its body from a ``ByteQueue`` that a connection fills.
/// Logs one line per decision and keeps the metrics.
public final class ScanEngine: Sendable {
    public let gateway: Gateway
    public let metrics: ServiceMetrics
    let logger: Logger
    private let pool: NIOThreadPool
    private let slots = NIOLockedValueBox(0)
    private let maxSlots: Int
    private let spoolMemory: Int

    public init(compiled: CompiledPolicy, configuration: ServiceConfiguration, metrics: ServiceMetrics, logger: Logger) {
        self.gateway = Gateway(compiled: compiled, limits: configuration.limits, review: configuration.review)
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
                let stopping = GatewayOutcome(aborted: .readFailed(path: request.name, reason: "the service is stopping"), review: gateway.review)
                completion(ScanOutcome(gateway: stopping, bytes: 0, milliseconds: 0, aborted: true))
                return
            }
            let outcome = scan(request, queue: queue, started: started)
            log(outcome, request: request)
            completion(outcome)
        }
    }

    /// Scans a body synchronously (on the calling thread).
    func scan(_ request: ScanRequest, queue: ByteQueue, started: NIODeadline) -> ScanOutcome {
        let spool = request.spool ? MessageSpool(memoryLimit: spoolMemory) : nil
        let outcome = gateway.scan(QueueByteSource(queue, name: request.name), name: request.name, contentType: request.contentType, spool: spool)
        if outcome.failure != nil { queue.abandon() }
        let elapsed = Double((NIODeadline.now() - started).nanoseconds) / 1e6
        return ScanOutcome(
            gateway: outcome, bytes: queue.totalPushed, milliseconds: elapsed, aborted: outcome.failure != nil && queue.wasAborted)
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
