import ExportGuardPolicy
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import ExportGuardService

/// The handlers on an `EmbeddedChannel`: no sockets, no threads, the pipeline driven by
/// hand, for the answers that need no scan (the scan paths run over real sockets in
/// ServerTests, where the scan threads hand their outcome back to the event loop).
@Suite("Service handlers on an EmbeddedChannel")
struct EmbeddedHandlerTests {
    static func shared(_ configure: (inout ServiceConfiguration) -> Void = { _ in }) -> ServiceShared {
        var configuration = ServiceConfiguration(icap: nil, http: nil)
        configure(&configuration)
        var logger = Logger(label: "exportguard.embedded-test")
        logger.logLevel = .critical
        let engine = ScanEngine(compiled: sharedPolicy, configuration: configuration, metrics: ServiceMetrics(), logger: logger)
        return ServiceShared(engine: engine, configuration: configuration, responder: ICAPResponder(istag: "EG-test"), logger: logger)
    }

    static func httpChannel(_ shared: ServiceShared) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(HTTPResponseEncoder())
        try sync.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
        try sync.addHandler(HTTPServerPipelineHandler())
        try sync.addHandler(HTTPAPIHandler(shared: shared))
        channel.pipeline.fireChannelActive()
        return channel
    }

    /// Runs what the handlers scheduled (the lingering close after 2 s) and closes the
    /// channel, so nothing is left holding the pipeline (LeakSanitizer checks).
    static func tearDown(_ channel: EmbeddedChannel) throws {
        channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        _ = try channel.finish(acceptAlreadyClosed: true)
    }

    /// Everything the channel wrote, as text.
    static func written(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
            text += String(buffer: buffer)
        }
        return text
    }

    @Test("healthz, metrics, an unknown path and a wrong method answer without a scan")
    func routes() throws {
        let shared = Self.shared()
        defer { shared.engine.shutdown() }
        let channel = try Self.httpChannel(shared)
        try channel.writeInbound(ByteBuffer(string: "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
        let health = try Self.written(channel)
        #expect(health.hasPrefix("HTTP/1.1 200 OK"))
        #expect(health.contains("{\"status\":\"ok\",\"inFlight\":0}"))

        try channel.writeInbound(ByteBuffer(string: "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(try Self.written(channel).contains("exportguard_"))

        try channel.writeInbound(ByteBuffer(string: "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"))
        let missing = try Self.written(channel)
        #expect(missing.hasPrefix("HTTP/1.1 404"))
        #expect(missing.contains("no such endpoint: /nowhere"))

        try channel.writeInbound(ByteBuffer(string: "DELETE /v1/scan HTTP/1.1\r\nHost: x\r\n\r\n"))
        let method = try Self.written(channel)
        #expect(method.hasPrefix("HTTP/1.1 405"))
        #expect(method.contains("Allow: POST"))
        try Self.tearDown(channel)
    }

    @Test("a body declared larger than the limit gets 413 before any byte of it is read")
    func tooLarge() throws {
        let shared = Self.shared { $0.maxBodyBytes = 1000 }
        defer { shared.engine.shutdown() }
        let channel = try Self.httpChannel(shared)
        try channel.writeInbound(ByteBuffer(string: "POST /v1/scan HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n"))
        let answer = try Self.written(channel)
        #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer)")
        try Self.tearDown(channel)
    }

    @Test("ICAP OPTIONS for both services, and a bad request line, answered on the embedded channel")
    func icapOptions() throws {
        let shared = Self.shared()
        defer { shared.engine.shutdown() }
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ICAPHandler(shared: shared))
        channel.pipeline.fireChannelActive()
        try channel.writeInbound(ByteBuffer(string: "OPTIONS icap://127.0.0.1:1344/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\n\r\n"))
        let options = try Self.written(channel)
        #expect(options.hasPrefix("ICAP/1.0 200 OK"), "\(options)")
        #expect(options.contains("Methods: REQMOD"))
        #expect(options.contains("ISTag: \"EG-test\""))
        try channel.writeInbound(ByteBuffer(string: "OPTIONS icap://127.0.0.1:1344/respmod ICAP/1.0\r\nHost: 127.0.0.1\r\n\r\n"))
        #expect(try Self.written(channel).contains("Methods: RESPMOD"))
        try channel.writeInbound(ByteBuffer(string: "NONSENSE\r\n\r\n"))
        let bad = try Self.written(channel)
        #expect(bad.hasPrefix("ICAP/1.0 400"), "\(bad)")
        try Self.tearDown(channel)
    }
}
