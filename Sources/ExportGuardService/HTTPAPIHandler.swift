import ExportGuardCore
import ExportGuardGateway
import ExportGuardReporting
import Logging
import NIOCore
import NIOHTTP1

/// The HTTP scan API: `POST /v1/scan`, `GET /healthz`, `GET /metrics`.
final class HTTPAPIHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Route {
        case health
        case metrics
        case notFound(String)
        case methodNotAllowed(String)
    }

    private enum Phase {
        case idle
        /// Reading a request whose answer does not depend on its body.
        case routed(Route)
        /// Streaming a body into a scan.
        case scanning(ByteQueue)
        /// Body complete; waiting for the decision.
        case deciding
        /// An answer went out early (413, 503); the connection closes.
        case closing
    }

    private let shared: ServiceShared
    private var phase = Phase.idle
    private var head: HTTPRequestHead?
    private var bodyBytes = 0
    private var readPaused = false
    private var readPending = false
    private var draining = false
    private var responded = false
    private var context: ChannelHandlerContext?
    private var headDeadline: Scheduled<Void>?

    init(shared: ServiceShared) {
        self.shared = shared
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelActive(context: ChannelHandlerContext) {
        shared.metrics.connectionOpened("http")
        armHeadDeadline(context: context)
        context.fireChannelActive()
    }

    /// A client has `headTimeout` seconds, from connecting or from the last answer, to send a
    /// complete request head; then the connection closes (slow or idle clients).
    private func armHeadDeadline(context: ChannelHandlerContext) {
        headDeadline?.cancel()
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        headDeadline = context.eventLoop.scheduleTask(in: .seconds(fractional: shared.configuration.headTimeout)) {
            let (handler, context) = bound.value
            guard case .idle = handler.phase else { return }
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        shared.metrics.connectionClosed("http")
        headDeadline?.cancel()
        if case .scanning(let queue) = phase { queue.fail("the client closed the connection") }
        phase = .closing
        context.fireChannelInactive()
    }

    func read(context: ChannelHandlerContext) {
        if readPaused {
            readPending = true
        } else {
            context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is DrainEvent {
            draining = true
            if case .idle = phase { context.close(promise: nil) }
            return
        }
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            switch phase {
            case .deciding, .closing:
                return
            case .scanning(let queue):
                if readPaused { return }
                shared.metrics.rejected("timeout")
                queue.fail("the client stopped sending")
            case .idle, .routed:
                break
            }
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if case .scanning(let queue) = phase { queue.fail("connection error") }
        if let parserError = error as? HTTPParserError, !responded, context.channel.isActive {
            shared.metrics.rejected("bad_request")
            let status: HTTPResponseStatus = parserError == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest
            let message = parserError == .headerOverflow
                ? "the request head is larger than \(shared.configuration.maxHeaderBytes) bytes"
                : "malformed HTTP request (\(parserError))"
            phase = .closing
            sendJSONError(context: context, status: status, message: message, close: true)
            return
        }
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            receiveHead(context: context, head)
        case .body(let bytes):
            receiveBody(context: context, bytes)
        case .end:
            receiveEnd(context: context)
        }
    }

    // MARK: - Requests

    private func receiveHead(context: ChannelHandlerContext, _ head: HTTPRequestHead) {
        headDeadline?.cancel()
        headDeadline = nil
        self.head = head
        bodyBytes = 0
        responded = false
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        switch path {
        case "/healthz":
            shared.metrics.request("http-healthz")
            phase = .routed(head.method == .GET || head.method == .HEAD ? .health : .methodNotAllowed("GET"))
        case "/metrics":
            shared.metrics.request("http-metrics")
            phase = .routed(head.method == .GET || head.method == .HEAD ? .metrics : .methodNotAllowed("GET"))
        case "/v1/scan":
            shared.metrics.request("http-scan")
            guard head.method == .POST || head.method == .PUT else {
                phase = .routed(.methodNotAllowed("POST"))
                return
            }
            startScan(context: context, head)
        default:
            shared.metrics.request("http-other")
            phase = .routed(.notFound(path))
        }
    }

    private func startScan(context: ChannelHandlerContext, _ head: HTTPRequestHead) {
        let limit = shared.configuration.maxBodyBytes
        if let length = head.headers.first(name: "Content-Length").flatMap({ Int($0) }), length > limit {
            // Refused before any of the body is read.
            shared.metrics.rejected("too_large")
            phase = .closing
            sendJSONError(context: context, status: .payloadTooLarge, message: "the body is \(length) bytes; the limit is \(limit)", close: true)
            return
        }
        guard shared.engine.tryAcquire() else {
            shared.logger.warning("scan capacity exhausted; HTTP request refused with 503")
            phase = .closing
            sendJSONError(context: context, status: .serviceUnavailable, message: "too many scans in progress; retry later", close: true)
            return
        }
        if head.headers.first(name: "Expect")?.lowercased() == "100-continue" {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
        }
        let queue = ByteQueue(capacity: shared.configuration.queueCapacity)
        phase = .scanning(queue)
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        queue.onSpace {
            loop.execute { bound.value.resumeAfterBackPressure() }
        }
        let request = ScanRequest(
            name: Self.queryValue("name", in: head.uri).map { MultipartParser.cleanName($0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "upload",
            contentType: head.headers.first(name: "Content-Type"),
            spool: false, service: "http")
        shared.engine.run(request, queue: queue, started: .now()) { outcome in
            loop.execute { bound.value.decided(outcome) }
        }
    }

    private func receiveBody(context: ChannelHandlerContext, _ bytes: ByteBuffer) {
        bodyBytes += bytes.readableBytes
        switch phase {
        case .scanning(let queue):
            if bodyBytes > shared.configuration.maxBodyBytes {
                // A chunked body (no Content-Length) passed the limit: stop here.
                shared.metrics.rejected("too_large")
                queue.fail("the body is larger than the limit", aborted: false)
                phase = .closing
                sendJSONError(
                    context: context, status: .payloadTooLarge,
                    message: "the body is larger than the \(shared.configuration.maxBodyBytes)-byte limit", close: true)
                return
            }
            if !queue.push(bytes) { readPaused = true }
        case .routed:
            if bodyBytes > shared.configuration.maxBodyBytes {
                phase = .closing
                sendJSONError(context: context, status: .payloadTooLarge, message: "request body too large", close: true)
            }
        default:
            break
        }
    }

    private func receiveEnd(context: ChannelHandlerContext) {
        switch phase {
        case .scanning(let queue):
            queue.finish()
            phase = .deciding
            readPaused = true
        case .routed(let route):
            respond(context: context, route: route)
        default:
            break
        }
    }

    private func respond(context: ChannelHandlerContext, route: Route) {
        switch route {
        case .health:
            if draining {
                sendJSON(context: context, status: .serviceUnavailable, body: "{\"status\":\"draining\"}\n")
            } else {
                sendJSON(context: context, status: .ok, body: "{\"status\":\"ok\",\"inFlight\":\(shared.engine.activeScans)}\n")
            }
        case .metrics:
            send(context: context, status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: shared.metrics.render())
        case .notFound(let path):
            sendJSONError(context: context, status: .notFound, message: "no such endpoint: \(path) (try POST /v1/scan, GET /healthz, GET /metrics)", close: false)
        case .methodNotAllowed(let allowed):
            sendJSONError(context: context, status: .methodNotAllowed, message: "method not allowed here; use \(allowed)", close: false, extra: [("Allow", allowed)])
        }
    }

    private func decided(_ outcome: ScanOutcome) {
        guard case .deciding = phase, let context else { return }
        if let failure = outcome.failure {
            sendJSONError(context: context, status: .internalServerError, message: "the body could not be read whole: \(failure)", close: true)
            return
        }
        var body = ""
        for report in outcome.reports {
            body += JSONReporter.line(for: report, reference: outcome.reference)
            body += "\n"
        }
        send(
            context: context, status: .ok, contentType: "application/x-ndjson; charset=utf-8", body: body,
            extra: [("X-ExportGuard-Verdict", outcome.verdict.rawValue), ("X-ExportGuard-Reference", outcome.reference)])
    }

    private func resumeAfterBackPressure() {
        guard case .scanning = phase, readPaused, let context else { return }
        readPaused = false
        if readPending {
            readPending = false
            context.read()
        }
    }

    // MARK: - Responses

    private func sendJSON(context: ChannelHandlerContext, status: HTTPResponseStatus, body: String) {
        send(context: context, status: status, contentType: "application/json; charset=utf-8", body: body)
    }

    private func sendJSONError(
        context: ChannelHandlerContext, status: HTTPResponseStatus, message: String, close: Bool, extra: [(String, String)] = []
    ) {
        send(
            context: context, status: status, contentType: "application/json; charset=utf-8",
            body: "{\"error\":\(JSONWriter.quoted(message)),\"status\":\(status.code)}\n", close: close, extra: extra)
    }

    private func send(
        context: ChannelHandlerContext, status: HTTPResponseStatus, contentType: String, body: String,
        close: Bool = false, extra: [(String, String)] = []
    ) {
        let version = head?.version ?? .http1_1
        let keepAlive = !close && !draining && (head?.isKeepAlive ?? false)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Server", value: "ExportGuard/0.1.0")
        for (name, value) in extra { headers.add(name: name, value: value) }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        responded = true
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        if head?.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        }
        let channel = context.channel
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if keepAlive {
            phase = .idle
            armHeadDeadline(context: context)
            readPaused = false
            if readPending {
                readPending = false
                context.read()
            }
        } else {
            phase = .closing
            readPaused = false
            if readPending {
                readPending = false
                context.read()
            }
            // Lingering close: stop sending, drop what the client is still sending for a
            // moment, so it reads the answer instead of a reset.
            done.whenComplete { _ in
                channel.close(mode: .output, promise: nil)
                channel.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
            }
        }
    }

    static func queryValue(_ name: String, in uri: String) -> String? {
        guard let query = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.first.map(String.init) == name {
                return percentDecode(parts.count > 1 ? String(parts[1]) : "")
            }
        }
        return nil
    }

    static func percentDecode(_ text: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
