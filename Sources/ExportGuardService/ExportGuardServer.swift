import ExportGuardPolicy
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import Glibc

/// `exportguard serve`: the ICAP service and the HTTP scan API on one event loop group,
/// sharing one compiled policy and one pool of scan threads.
public final class ExportGuardServer: Sendable {
    public let configuration: ServiceConfiguration
    public let metrics: ServiceMetrics
    private let shared: ServiceShared
    private let group: MultiThreadedEventLoopGroup
    private let state = NIOLockedValueBox(State())
    private let logger: Logger

    private struct State {
        var listeners: [Channel] = []
        var connections: [ObjectIdentifier: Channel] = [:]
        var draining = false
        var stopped = false
    }

    /// The addresses actually bound (port 0 resolved).
    public struct BoundAddresses: Sendable {
        public var icap: BindAddress?
        public var http: BindAddress?
    }

    public init(configuration: ServiceConfiguration, policy: CompiledPolicy, logger: Logger = Logger(label: "exportguard.service")) {
        self.configuration = configuration
        self.logger = logger
        self.metrics = ServiceMetrics()
        let engine = ScanEngine(compiled: policy, configuration: configuration, metrics: metrics, logger: logger)
        self.shared = ServiceShared(
            engine: engine, configuration: configuration, responder: ICAPResponder(istag: Self.istag(for: policy)), logger: logger)
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoopThreads))
    }

    /// A tag that changes when the policy does (RFC 3507 §4.7), so caches forget old answers.
    static func istag(for policy: CompiledPolicy) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in PolicyWriter.yaml(policy.policy, categories: nil).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "EG-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Binds the listeners and starts serving.
    public func start() throws -> BoundAddresses {
        // A peer that goes away must not kill the process while a spool is replayed into a pipe.
        signal(SIGPIPE, SIG_IGN)
        var bound = BoundAddresses()
        do {
            if let icap = configuration.icap {
                let channel = try bootstrap(listener: "icap").bind(host: icap.host, port: icap.port).wait()
                state.withLockedValue { $0.listeners.append(channel) }
                bound.icap = BindAddress(host: icap.host, port: channel.localAddress?.port ?? icap.port)
            }
            if let http = configuration.http {
                let channel = try bootstrap(listener: "http").bind(host: http.host, port: http.port).wait()
                state.withLockedValue { $0.listeners.append(channel) }
                bound.http = BindAddress(host: http.host, port: channel.localAddress?.port ?? http.port)
            }
        } catch {
            shutdown()
            throw error
        }
        return bound
    }

    private func bootstrap(listener: String) -> ServerBootstrap {
        let shared = self.shared
        let configuration = self.configuration
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 4)
            .childChannelInitializer { [self] channel in
                guard register(channel, listener: listener) else {
                    shared.metrics.rejected("connections")
                    return channel.close()
                }
                return channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    let idle = TimeAmount.seconds(fractional: configuration.idleTimeout)
                    if listener == "icap" {
                        try sync.addHandler(IdleStateHandler(readTimeout: idle))
                        try sync.addHandler(ICAPHandler(shared: shared))
                    } else {
                        var limits = NIOHTTPDecoderLimitConfiguration()
                        limits.maxHeaderListSize = configuration.maxHeaderBytes
                        limits.maxHeaderFieldSize = configuration.maxHeaderBytes
                        try sync.addHandler(HTTPResponseEncoder())
                        try sync.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: limits)))
                        try sync.addHandler(HTTPServerPipelineHandler())
                        try sync.addHandler(IdleStateHandler(readTimeout: idle))
                        try sync.addHandler(HTTPAPIHandler(shared: shared))
                    }
                }
            }
    }

    /// Tracks a connection; false when the listener is at its limit or the server drains.
    private func register(_ channel: Channel, listener: String) -> Bool {
        let id = ObjectIdentifier(channel)
        let admitted = state.withLockedValue { state -> Bool in
            guard !state.draining, metrics.connections(listener) < configuration.maxConnections else { return false }
            state.connections[id] = channel
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { [self] _ in
                _ = state.withLockedValue { $0.connections.removeValue(forKey: id) }
            }
        }
        return admitted
    }

    /// Open client connections.
    public var openConnections: Int { state.withLockedValue { $0.connections.count } }

    /// Stops accepting, lets in-flight requests finish (up to `timeout` seconds), then closes
    /// what is left. Idle keep-alive connections close at once.
    public func drain(timeout: Double? = nil) {
        let (listeners, connections) = state.withLockedValue { state -> ([Channel], [Channel]) in
            state.draining = true
            return (state.listeners, Array(state.connections.values))
        }
        logger.info("draining", metadata: ["connections": .stringConvertible(connections.count), "scans": .stringConvertible(shared.engine.activeScans)])
        for listener in listeners { try? listener.close().wait() }
        for connection in connections {
            connection.pipeline.fireUserInboundEventTriggered(DrainEvent())
        }
        let deadline = NIODeadline.now() + .seconds(fractional: timeout ?? configuration.drainTimeout)
        while NIODeadline.now() < deadline {
            if openConnections == 0 && shared.engine.activeScans == 0 { break }
            usleep(20_000)
        }
        let left = state.withLockedValue { Array($0.connections.values) }
        if !left.isEmpty {
            logger.warning("drain time-out: closing \(left.count) connection(s)")
            for connection in left { try? connection.close().wait() }
        }
    }

    /// Releases the threads. Call after ``drain(timeout:)`` (or instead, to stop at once).
    public func shutdown() {
        let alreadyStopped = state.withLockedValue { state -> Bool in
            defer { state.stopped = true }
            return state.stopped
        }
        guard !alreadyStopped else { return }
        let listeners = state.withLockedValue { $0.listeners }
        for listener in listeners { try? listener.close().wait() }
        let connections = state.withLockedValue { Array($0.connections.values) }
        for connection in connections { try? connection.close().wait() }
        // Scans first: a scan that ends hands its outcome to its connection's event loop and
        // waits for it, which never happens once the loops are gone.
        shared.engine.shutdown()
        try? group.syncShutdownGracefully()
    }
}
