import ArgumentParser
import Dispatch
import ExportGuardPolicy
import ExportGuardService
import Glibc
import Logging

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve ICAP (RFC 3507, for Squid and other proxies) and an HTTP scan API.",
        discussion: """
            Without --icap and --http both listen on 127.0.0.1 (ICAP on 1344, HTTP on 8080); with either, \
            only the listeners given. ICAP services: icap://HOST:PORT/reqmod (uploads) and /respmod \
            (downloads). HTTP: POST /v1/scan (the body, or each part of a multipart/form-data body, scanned; \
            JSON lines as 'scan --format json'), GET /healthz, GET /metrics (Prometheus). One log line per \
            decision on standard error. SIGTERM or SIGINT: stop accepting, finish in-flight scans, exit 0.
            """
    )

    @Option(name: .long, help: "ICAP listener: HOST:PORT or PORT (127.0.0.1).")
    var icap: String?

    @Option(name: .long, help: "HTTP scan API listener: HOST:PORT or PORT (127.0.0.1).")
    var http: String?

    @OptionGroup var policyOptions: PolicyOptions

    @Option(name: .long, help: "Largest body accepted, in bytes (HTTP answers 413 above it; ICAP blocks it).")
    var maxBody: Int = 256 << 20

    @Option(name: .long, help: "Scans running at once (one thread each).")
    var maxScans: Int = 4

    @Option(name: .long, help: "Scans waiting for a thread before requests are refused with 503.")
    var maxQueued: Int = 64

    @Option(name: .long, help: "Open connections per listener.")
    var maxConnections: Int = 1024

    @Option(name: .long, help: "Body bytes held in memory per connection; past it the HTTP API stops reading (back-pressure) and ICAP spills to a private temporary file.")
    var queueBytes: Int = 256 << 10

    @Option(name: .long, help: "Bytes of a body kept in memory for an ICAP 200 echo before a private temporary file.")
    var spoolMemory: Int = 1 << 20

    @Option(name: .long, help: "Seconds a silent client is kept.")
    var idleTimeout: Double = 60

    @Option(name: .long, help: "Seconds SIGTERM waits for in-flight scans.")
    var drainTimeout: Double = 30

    @Option(name: .long, help: "Seconds a download (RESPMOD) without Allow: 204 may stall before the original response head is sent ahead of the verdict (Squid 5.7 bug 5352); 0 never.")
    var respmodEarlyHead: Double = 0.2

    @Option(name: .long, help: "What a review verdict does: pass, hold or block (hold and block refuse); default: the policy's review-action.")
    var review: String?

    @OptionGroup var limits: LimitOptions

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        if let icap, BindAddress(parsing: icap) == nil { throw ValidationError("--icap must be HOST:PORT or PORT") }
        if let http, BindAddress(parsing: http) == nil { throw ValidationError("--http must be HOST:PORT or PORT") }
        if let review, ReviewAction(setting: review) == nil { throw ValidationError("--review must be \(ReviewAction.settings)") }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))") }
        if maxBody <= 0 || maxScans <= 0 || maxQueued < 0 || maxConnections <= 0 || queueBytes <= 0 || spoolMemory < 0 || respmodEarlyHead < 0 { throw ValidationError("limits must be positive") }
    }

    func run() throws {
        // Compiled once; every connection and scan thread shares it.
        let compiled = CompiledPolicy(try policyOptions.load())
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "exportguard")

        var configuration = ServiceConfiguration()
        if icap != nil || http != nil {
            configuration.icap = icap.flatMap { BindAddress(parsing: $0) }
            configuration.http = http.flatMap { BindAddress(parsing: $0) }
        }
        configuration.maxBodyBytes = maxBody
        configuration.maxConcurrentScans = maxScans
        configuration.maxQueuedScans = maxQueued
        configuration.maxConnections = maxConnections
        configuration.queueCapacity = queueBytes
        configuration.spoolMemoryBytes = spoolMemory
        configuration.idleTimeout = idleTimeout
        configuration.drainTimeout = drainTimeout
        configuration.respmodEarlyHeadAfter = respmodEarlyHead
        configuration.review = review.flatMap(ReviewAction.init(setting:))
        configuration.limits = try limits.settings()

        let server = ExportGuardServer(configuration: configuration, policy: compiled, logger: logger)
        let bound: ExportGuardServer.BoundAddresses
        do {
            bound = try server.start()
        } catch {
            StandardStreams.error("exportguard: cannot listen: \(error)")
            throw ExitCode(ExitStatus.software)
        }
        var metadata: Logger.Metadata = ["policy": .string(compiled.policy.name)]
        if let icap = bound.icap { metadata["icap"] = .string(icap.description) }
        if let http = bound.http { metadata["http"] = .string(http.description) }
        logger.info("listening", metadata: metadata)

        // Wait for SIGTERM or SIGINT, then drain.
        let stop = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        stop.wait()
        server.drain()
        server.shutdown()
        logger.info("stopped")
        for source in sources { source.cancel() }
    }
}
