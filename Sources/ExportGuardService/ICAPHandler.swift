import ExportGuardCore
import ExportGuardGateway
import Logging
import NIOCore

/// What every connection handler shares: the compiled policy behind the scan engine, the
/// limits, the metrics and the logger.
final class ServiceShared: Sendable {
    let engine: ScanEngine
    let configuration: ServiceConfiguration
    let responder: ICAPResponder
    let logger: Logger
    var metrics: ServiceMetrics { engine.metrics }

    init(engine: ScanEngine, configuration: ServiceConfiguration, responder: ICAPResponder, logger: Logger) {
        self.engine = engine
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
    }
}

/// Sent through every open connection when the service drains (SIGTERM): idle connections
/// close, busy ones close after their response.
struct DrainEvent: Sendable {}

/// One ICAP connection: parses requests, streams bodies into a scan, answers.
final class ICAPHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        /// Between requests, or reading a head or a body.
        case reading
        /// The body is complete; waiting for the scan's decision.
        case deciding
        /// Echoing a body from a scan thread.
        case responding
        case closed
    }

    private struct Exchange {
        var head: ICAPRequestHead
        var queue: ByteQueue?
        var sent100 = false
        var bodyBytes = 0
        var tooLarge = false
        var started: NIODeadline
        /// When body bytes last came in.
        var lastBodyAt: NIODeadline
        /// The ICAP `200` head (the original HTTP response head) went out before the verdict.
        var headSent = false
    }

    private let shared: ServiceShared
    private var parser: ICAPParser
    private var phase = Phase.reading
    private var exchange: Exchange?
    private var readPaused = false
    private var readPending = false
    private var draining = false
    private var headDeadline: Scheduled<Void>?
    private var context: ChannelHandlerContext?
    /// A decision that came before the body ended (the body could not be taken whole).
    private var earlyOutcome: ScanOutcome?
    /// Watches a RESPMOD body for a stall (see ``ServiceConfiguration/respmodEarlyHeadAfter``).
    private var earlyHeadCheck: Scheduled<Void>?

    init(shared: ServiceShared) {
        self.shared = shared
        self.parser = ICAPParser(maxHeaderBytes: shared.configuration.maxHeaderBytes)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        shared.metrics.connectionOpened("icap")
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        shared.metrics.connectionClosed("icap")
        phase = .closed
        headDeadline?.cancel()
        cancelEarlyHead()
        if let queue = exchange?.queue { queue.fail("the client closed the connection") }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        parser.append(unwrapInboundIn(data))
        process(context: context)
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
            if phase == .reading && exchange == nil && !parser.isReadingHead { context.close(promise: nil) }
            return
        }
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            // Silence we caused (back-pressure, a scan deciding) is not the client's.
            guard phase == .reading, !readPaused else { return }
            if exchange != nil || parser.isReadingHead {
                shared.metrics.rejected("timeout")
                shared.logger.debug("ICAP client idle mid-request; closing")
            }
            exchange?.queue?.fail("the client stopped sending")
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        shared.logger.debug("ICAP connection error: \(error)")
        exchange?.queue?.fail("connection error")
        context.close(promise: nil)
    }

    // MARK: - Requests

    private func process(context: ChannelHandlerContext) {
        while phase == .reading {
            let event: ICAPParser.Event?
            do {
                event = try parser.next()
            } catch {
                shared.metrics.rejected("bad_request")
                shared.logger.debug("bad ICAP request: \(error.message)")
                exchange?.queue?.fail("bad request")
                respondErrorAndClose(context: context, status: error.status)
                return
            }
            guard let event else { break }
            switch event {
            case .head(let head):
                startExchange(context: context, head: head)
            case .body(let bytes):
                receiveBody(bytes)
            case .previewEnd:
                if exchange != nil {
                    exchange!.sent100 = true
                    exchange!.lastBodyAt = .now()
                    context.writeAndFlush(wrapOutboundOut(shared.responder.continueResponse), promise: nil)
                }
            case .end:
                endExchange(context: context)
            }
        }
        armHeadDeadline(context: context)
    }

    private func armHeadDeadline(context: ChannelHandlerContext) {
        if phase == .reading && exchange == nil && parser.isReadingHead {
            guard headDeadline == nil else { return }
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            headDeadline = context.eventLoop.scheduleTask(in: .seconds(fractional: shared.configuration.headTimeout)) {
                let (handler, context) = bound.value
                guard handler.phase == .reading, handler.parser.isReadingHead else { return }
                handler.shared.metrics.rejected("timeout")
                handler.respondErrorAndClose(context: context, status: 408)
            }
        } else if !parser.isReadingHead {
            headDeadline?.cancel()
            headDeadline = nil
        }
    }

    private func startExchange(context: ChannelHandlerContext, head: ICAPRequestHead) {
        headDeadline?.cancel()
        headDeadline = nil
        shared.metrics.request("icap-\(head.method.rawValue.lowercased())")
        let now = NIODeadline.now()
        exchange = Exchange(head: head, started: now, lastBodyAt: now)
        let expected: ICAPRequestHead.Method? = switch head.service {
        case "reqmod": .reqmod
        case "respmod": .respmod
        default: nil
        }
        guard let expected else {
            respondErrorAndClose(context: context, status: 404)
            return
        }
        if head.method != .options && head.method != expected {
            respondErrorAndClose(context: context, status: 405)
            return
        }
        guard head.method != .options, head.hasBody else { return }
        guard shared.engine.tryAcquire() else {
            shared.logger.warning("scan capacity exhausted; ICAP request refused with 503")
            respondErrorAndClose(context: context, status: 503)
            return
        }
        let queue = ByteQueue(capacity: shared.configuration.queueCapacity, spillDirectory: shared.configuration.spillDirectory)
        exchange!.queue = queue
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        queue.onSpace {
            loop.execute { bound.value.resumeAfterBackPressure() }
        }
        let message = head.adaptedMessage
        let request = ScanRequest(
            name: head.method == .respmod ? "download" : "upload",
            contentType: message?["Content-Type"],
            spool: !head.allow204,
            service: head.method.rawValue.lowercased(),
            host: head.httpRequest?["Host"])
        let channel = context.channel
        let writeTimeout = shared.configuration.writeTimeout
        shared.engine.run(request, queue: queue, started: exchange!.started) { outcome in
            // Decide on the event loop; echo (if needed) here, on the scan thread.
            let plan = loop.submit { bound.value.decide(outcome) }
            guard (try? plan.wait()) == true, let spool = outcome.spool else { return }
            var writer = BlockingChannelWriter(channel: channel, timeout: writeTimeout)
            let sent = SpoolEcho.send(spool, writer: &writer)
            loop.execute { bound.value.responseSent(keepOpen: sent) }
        }
        // A body Squid could not offer with Allow: 204 is one it may stop sending (bug 5352).
        let delay = shared.configuration.respmodEarlyHeadAfter
        if head.method == .respmod && !head.allow204 && !(head.responseHeader ?? []).isEmpty && delay > 0 {
            armEarlyHead(context: context, at: now + .seconds(fractional: delay))
        }
    }

    private func armEarlyHead(context: ChannelHandlerContext, at deadline: NIODeadline) {
        earlyHeadCheck?.cancel()
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        earlyHeadCheck = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = bound.value
            handler.earlyHeadCheck = nil
            handler.checkEarlyHead(context: context)
        }
    }

    private func cancelEarlyHead() {
        earlyHeadCheck?.cancel()
        earlyHeadCheck = nil
    }

    /// Sends the ICAP `200` head with the original response head once the RESPMOD body has
    /// stalled for ``ServiceConfiguration/respmodEarlyHeadAfter`` seconds before its end.
    /// Squid 5.7 reads no more of the response from the origin until its ICAP response has
    /// started; the body itself still waits for the verdict.
    private func checkEarlyHead(context: ChannelHandlerContext) {
        guard phase == .reading, var current = exchange, current.queue != nil, !current.headSent else { return }
        let delay = TimeAmount.seconds(fractional: shared.configuration.respmodEarlyHeadAfter)
        let now = NIODeadline.now()
        // Inside a preview a final answer would end the body; a paused read is our own silence.
        if (current.head.preview != nil && !current.sent100) || readPaused {
            armEarlyHead(context: context, at: now + delay)
            return
        }
        let due = current.lastBodyAt + delay
        if due > now {
            armEarlyHead(context: context, at: due)
            return
        }
        current.headSent = true
        exchange = current
        shared.logger.debug("RESPMOD body stalled before its end; response head sent ahead of the verdict")
        context.writeAndFlush(wrapOutboundOut(shared.responder.unmodifiedHead(for: current.head, reference: nil, verdict: nil)), promise: nil)
    }

    private func receiveBody(_ bytes: ByteBuffer) {
        guard var current = exchange else { return }
        defer { exchange = current }
        guard let queue = current.queue else { return } // OPTIONS bodies are read and dropped.
        current.bodyBytes += bytes.readableBytes
        current.lastBodyAt = .now()
        if current.tooLarge { return }
        if current.bodyBytes > shared.configuration.maxBodyBytes {
            current.tooLarge = true
            shared.metrics.rejected("too_large")
            queue.fail("the body is larger than the \(shared.configuration.maxBodyBytes)-byte limit", aborted: false)
            return
        }
        if !queue.push(bytes) { readPaused = true }
    }

    private func endExchange(context: ChannelHandlerContext) {
        guard let current = exchange else { return }
        let head = current.head
        if head.method == .options {
            let method: ICAPRequestHead.Method = head.service == "respmod" ? .respmod : .reqmod
            context.writeAndFlush(wrapOutboundOut(shared.responder.options(
                method: method, preview: shared.configuration.previewBytes,
                maxConnections: shared.configuration.maxConnections, ttl: shared.configuration.optionsTTL)), promise: nil)
            finishExchange(context: context)
            return
        }
        guard let queue = current.queue else {
            // No body (a GET, a bodiless response): nothing to inspect.
            let response: ByteBuffer
            if head.allow204 || head.preview != nil {
                response = shared.responder.noContent(reference: nil, verdict: nil)
            } else {
                var buffer = shared.responder.unmodifiedHead(for: head, reference: ReferenceID.make(), verdict: Verdict.allow.rawValue)
                if head.hasBody { ChunkedEncoder.last(into: &buffer) }
                response = buffer
            }
            context.writeAndFlush(wrapOutboundOut(response), promise: nil)
            finishExchange(context: context)
            return
        }
        queue.finish()
        cancelEarlyHead()
        phase = .deciding
        readPaused = true
        if let early = earlyOutcome {
            earlyOutcome = nil
            _ = decide(early)
        }
    }

    /// On the event loop once the scan decided. Returns true when the caller must echo the spool.
    private func decide(_ outcome: ScanOutcome) -> Bool {
        if phase == .reading && exchange?.queue != nil {
            // The scan stopped before the body ended (a limit): answer once the body is read.
            earlyOutcome = outcome
            return false
        }
        guard phase == .deciding, let current = exchange, let context else { return false }
        let head = current.head
        if !outcome.decision.passes {
            if outcome.aborted {
                // The client went away or broke the protocol: nobody to answer.
                context.close(promise: nil)
                return false
            }
            if current.headSent {
                // The original head is out: end the body before its first byte. A client
                // sees the original status and headers and an empty body, cut short when
                // the head gave a Content-Length. (Closing the connection instead would
                // count as a failure of the ICAP service in Squid, which suspends the
                // service after a few.)
                shared.logger.warning("refused after the response head had gone out: the body ends empty", metadata: [
                    "reference": "\(outcome.reference)",
                ])
                var last = context.channel.allocator.buffer(capacity: 8)
                ChunkedEncoder.last(into: &last)
                context.writeAndFlush(wrapOutboundOut(last), promise: nil)
                finishExchange(context: context)
                return false
            }
            let html = BlockPage.html(
                categories: outcome.categories, reference: outcome.reference,
                reason: outcome.failure.map { "The content could not be inspected: \($0)." })
            context.writeAndFlush(wrapOutboundOut(shared.responder.blocked(html: html, reference: outcome.reference, verdict: Verdict.block.rawValue)), promise: nil)
            finishExchange(context: context)
            return false
        }
        if !current.headSent && (head.allow204 || (head.preview != nil && !current.sent100)) {
            context.writeAndFlush(wrapOutboundOut(shared.responder.noContent(reference: outcome.reference, verdict: outcome.verdict.rawValue)), promise: nil)
            finishExchange(context: context)
            return false
        }
        guard outcome.spool != nil, outcome.spoolFailure == nil else {
            shared.logger.error("cannot return the body unchanged: \(outcome.spoolFailure ?? "no spool")")
            respondErrorAndClose(context: context, status: 500)
            return false
        }
        if !current.headSent {
            context.writeAndFlush(wrapOutboundOut(shared.responder.unmodifiedHead(for: head, reference: outcome.reference, verdict: outcome.verdict.rawValue)), promise: nil)
        }
        phase = .responding
        return true
    }

    private func responseSent(keepOpen: Bool) {
        guard phase == .responding, let context else { return }
        if !keepOpen {
            context.close(promise: nil)
            return
        }
        finishExchange(context: context)
    }

    private func resumeAfterBackPressure() {
        guard phase == .reading, readPaused, let context else { return }
        resumeReading(context: context)
    }

    private func resumeReading(context: ChannelHandlerContext) {
        readPaused = false
        if readPending {
            readPending = false
            context.read()
        }
    }

    /// The response is out: ready for the next request on this connection.
    private func finishExchange(context: ChannelHandlerContext) {
        cancelEarlyHead()
        exchange = nil
        earlyOutcome = nil
        guard phase != .closed else { return }
        phase = .reading
        if draining {
            context.close(promise: nil)
            return
        }
        resumeReading(context: context)
        if parser.bufferedBytes > 0 { process(context: context) }
    }

    private func respondErrorAndClose(context: ChannelHandlerContext, status: Int) {
        phase = .closed
        cancelEarlyHead()
        exchange?.queue?.fail("request refused")
        readPaused = true
        if exchange?.headSent == true {
            // A response is under way: an ICAP error cannot follow it.
            context.close(promise: nil)
            return
        }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(shared.responder.error(status))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
