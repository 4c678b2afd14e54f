import ExportGuardInspection
import Glibc
import NIOCore
@testable import ExportGuardGateway
import Testing
@testable import ExportGuardService

func post(_ path: String, body: [UInt8], contentType: String = "application/octet-stream", extra: String = "") -> [UInt8] {
    Array("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n\(extra)\r\n".utf8) + body
}

func get(_ path: String) -> [UInt8] {
    Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
}

let marking = Array("项目简介\n机密★10年\n正文".utf8)
let benign = Array("Quarterly report: revenue grew 4% and the new office opens in May.\n".utf8)

@Suite("HTTP scan API on a real loopback socket")
struct HTTPAPITests {
    @Test("healthz answers ok")
    func healthz() throws {
        try withServer { _, bound in
            let socket = try TestSocket(port: bound.http!.port)
            let response = try httpExchange(socket, get("/healthz"))
            #expect(response.status == 200)
            #expect(response.body.contains("\"status\":\"ok\""))
            #expect(response.head["Content-Type"]?.hasPrefix("application/json") == true)
        }
    }

    @Test("a body gets the same JSON line as the scan command, with a reference; keep-alive works")
    func scanVerdicts() throws {
        try withServer { _, bound in
            let socket = try TestSocket(port: bound.http!.port)
            let blocked = try httpExchange(socket, post("/v1/scan?name=memo.txt", body: marking))
            #expect(blocked.status == 200)
            #expect(blocked.head["X-ExportGuard-Verdict"] == "block")
            let reference = try #require(blocked.head["X-ExportGuard-Reference"])
            #expect(blocked.body.hasPrefix("{\"path\":\"memo.txt\",\"reference\":\"\(reference)\",\"verdict\":\"block\""))
            #expect(blocked.body.contains("\"location\":\"memo.txt:2:1\""))
            // Same connection, next request.
            let allowed = try httpExchange(socket, post("/v1/scan", body: benign))
            #expect(allowed.head["X-ExportGuard-Verdict"] == "allow")
            #expect(allowed.body.contains("\"path\":\"upload\""))
            #expect(allowed.body.contains("\"stats\":{\"bytes\":\(benign.count),"))
        }
    }

    @Test("the HTTP answer matches a direct scan of the same bytes")
    func sameAsScanner() throws {
        try withServer { _, bound in
            let socket = try TestSocket(port: bound.http!.port)
            let response = try httpExchange(socket, post("/v1/scan?name=memo.txt", body: marking))
            let direct = ContentScannerHelper.scan(marking, name: "memo.txt")
            #expect(response.head["X-ExportGuard-Verdict"] == direct.verdict.rawValue)
            #expect(response.body.contains("\"score\":\(direct.assessment.score),"))
        }
    }

    @Test("multipart/form-data: each part is scanned as its own file, the worst verdict wins")
    func multipart() throws {
        try withServer { _, bound in
            let boundary = "XyZ123"
            var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n".utf8)
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"memo.txt\"\r\nContent-Type: text/plain\r\n\r\n".utf8)
            body += marking + Array("\r\n--\(boundary)--\r\n".utf8)
            let socket = try TestSocket(port: bound.http!.port)
            let response = try httpExchange(socket, post("/v1/scan", body: body, contentType: "multipart/form-data; boundary=\(boundary)"))
            #expect(response.status == 200)
            #expect(response.head["X-ExportGuard-Verdict"] == "block")
            let lines = response.body.split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.first?.contains("\"path\":\"upload!part 1 (field note)\",") == true)
            #expect(lines.first?.contains("\"verdict\":\"allow\"") == true)
            #expect(lines.last?.contains("\"path\":\"upload!part 2 (memo.txt)\",") == true)
            #expect(lines.last?.contains("\"location\":\"upload!part 2 (memo.txt):2:1\"") == true)
        }
    }

    @Test("a chunked request body is scanned")
    func chunkedRequest() throws {
        try withServer { _, bound in
            let socket = try TestSocket(port: bound.http!.port)
            var request = Array("POST /v1/scan HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            var buffer = ByteBuffer()
            ChunkedEncoder.chunk(marking[0..<7], into: &buffer)
            ChunkedEncoder.chunk(marking[7...], into: &buffer)
            ChunkedEncoder.last(into: &buffer)
            request += Array(buffer.readableBytesView)
            let response = try httpExchange(socket, request)
            #expect(response.head["X-ExportGuard-Verdict"] == "block")
        }
    }

    @Test("a Content-Length over the limit is refused with 413 before the body is sent")
    func tooLargeByLength() throws {
        try withServer({ $0.maxBodyBytes = 4096 }) { _, bound in
            let socket = try TestSocket(port: bound.http!.port)
            // Only the head: the answer must not wait for the body.
            try socket.send("POST /v1/scan HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n")
            let response = try readHTTPResponse(socket)
            #expect(response.status == 413)
            #expect(response.body.contains("\"error\":"))
            #expect(response.head["Connection"] == "close")
        }
    }

    @Test("a chunked body is cut off with 413 at the limit")
    func tooLargeChunked() throws {
        try withServer({ $0.maxBodyBytes = 4096 }) { _, bound in
            let socket = try TestSocket(port: bound.http!.port)
            try socket.send("POST /v1/scan HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            var buffer = ByteBuffer()
            ChunkedEncoder.chunk([UInt8](repeating: 0x61, count: 3000), into: &buffer)
            ChunkedEncoder.chunk([UInt8](repeating: 0x61, count: 3000), into: &buffer)
            try socket.send(Array(buffer.readableBytesView))
            let response = try readHTTPResponse(socket)
            #expect(response.status == 413)
        }
    }

    @Test("unknown paths and methods get JSON errors; bad requests 400")
    func errors() throws {
        try withServer { _, bound in
            let socket = try TestSocket(port: bound.http!.port)
            let missing = try httpExchange(socket, get("/v2/nothing"))
            #expect(missing.status == 404)
            #expect(missing.body.hasPrefix("{\"error\":"))
            let wrongMethod = try httpExchange(socket, get("/v1/scan"))
            #expect(wrongMethod.status == 405)
            let bad = try TestSocket(port: bound.http!.port)
            let response = try httpExchange(bad, Array("NOT HTTP AT ALL\r\n\r\n".utf8))
            #expect(response.status == 400)
            #expect(response.body.contains("\"error\":"))
        }
    }

    @Test("metrics count decisions by verdict, bytes, latency and in-flight scans")
    func metrics() throws {
        try withServer { server, bound in
            let socket = try TestSocket(port: bound.http!.port)
            _ = try httpExchange(socket, post("/v1/scan", body: marking))
            _ = try httpExchange(socket, post("/v1/scan", body: benign))
            // A scan's place is given back just after its answer is written.
            var waited = 0
            while server.metrics.inFlight > 0 && waited < 250 {
                usleep(20_000)
                waited += 1
            }
            let response = try httpExchange(socket, get("/metrics"))
            #expect(response.status == 200)
            #expect(response.head["Content-Type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = response.body
            #expect(text.contains("exportguard_scans_total{verdict=\"block\"} 1\n"))
            #expect(text.contains("exportguard_scans_total{verdict=\"allow\"} 1\n"))
            #expect(text.contains("exportguard_scanned_bytes_total \(marking.count + benign.count)\n"))
            #expect(text.contains("exportguard_decision_seconds_count 2\n"))
            #expect(text.contains("exportguard_decision_seconds_bucket{le=\"+Inf\"} 2\n"))
            #expect(text.contains("exportguard_uninspected_parts_total 0\n"))
            #expect(text.contains("exportguard_scans_in_flight 0\n"))
        }
    }

    @Test("a large body streams through with bounded buffering")
    func largeBody() throws {
        try withServer({ $0.queueCapacity = 16 << 10 }) { _, bound in
            let socket = try TestSocket(port: bound.http!.port)
            var body = [UInt8]()
            let line = Array("plain line of text without anything sensitive in it at all\n".utf8)
            while body.count < 4 << 20 { body += line }
            let response = try httpExchange(socket, post("/v1/scan", body: body, contentType: "text/plain"))
            #expect(response.head["X-ExportGuard-Verdict"] == "allow")
            #expect(response.body.contains("\"bytes\":\(body.count),"))
        }
    }
}

enum ContentScannerHelper {
    static func scan(_ bytes: [UInt8], name: String) -> ExportGuardScanning.ScanReport {
        ExportGuardScanning.ContentScanner(compiled: sharedPolicy).scan(bytes: bytes, name: name)
    }
}

import ExportGuardScanning

@Suite("ICAP service on a real loopback socket")
struct ICAPServiceTests {
    static let httpHead = "POST http://upload.test/form HTTP/1.1\r\nHost: upload.test\r\nContent-Type: text/plain\r\n\r\n"

    static func reqmod(allow204: Bool, preview: Int?, service: String = "reqmod") -> String {
        var text = "REQMOD icap://127.0.0.1/\(service) ICAP/1.0\r\nHost: 127.0.0.1\r\n"
        if allow204 { text += "Allow: 204\r\n" }
        if let preview { text += "Preview: \(preview)\r\n" }
        return text + "Encapsulated: req-hdr=0, req-body=\(httpHead.utf8.count)\r\n\r\n" + httpHead
    }

    static func chunks(_ bytes: [UInt8], last: String = "0\r\n\r\n") -> [UInt8] {
        var buffer = ByteBuffer()
        ChunkedEncoder.chunk(bytes, into: &buffer)
        return Array(buffer.readableBytesView) + Array(last.utf8)
    }

    @Test("OPTIONS lists the method, preview, 204 and limits")
    func options() throws {
        try withServer { _, bound in
            let socket = try TestSocket(port: bound.icap!.port)
            try socket.send("OPTIONS icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            let response = try readICAPResponse(socket)
            #expect(response.status == 200)
            #expect(response.head["Methods"] == "REQMOD")
            #expect(response.head["Allow"] == "204")
            #expect(response.head["Preview"] == "4096")
            #expect(response.head["Transfer-Preview"] == "*")
            #expect(response.head["Encapsulated"] == "null-body=0")
            #expect(response.head["ISTag"]?.hasPrefix("\"EG-") == true)
            #expect(response.head["Max-Connections"] != nil)
            #expect(response.head["Options-TTL"] != nil)
            try socket.send("OPTIONS icap://127.0.0.1/respmod ICAP/1.0\r\nEncapsulated: null-body=0\r\n\r\n")
            #expect(try readICAPResponse(socket).head["Methods"] == "RESPMOD")
        }
    }

    @Test("a benign upload in a preview with ieof gets 204")
    func benign204() throws {
        try withServer { _, bound in
            let socket = try TestSocket(port: bound.icap!.port)
            try socket.send(Array(Self.reqmod(allow204: true, preview: 4096).utf8) + Self.chunks(benign, last: "0; ieof\r\n\r\n"))
            let response = try readICAPResponse(socket)
            #expect(response.status == 204)
            #expect(response.head["X-ExportGuard-Verdict"] == "allow")
        }
    }

    @Test("a marked upload is answered with an HTTP 403 block page naming categories and a reference, no excerpt")
    func blocked() throws {
        try withServer { _, bound in
            let socket = try TestSocket(port: bound.icap!.port)
            try socket.send(Array(Self.reqmod(allow204: true, preview: 4).utf8) + Self.chunks(Array(marking[0..<4]), last: "0\r\n\r\n"))
            let proceed = try readICAPResponse(socket)
            #expect(proceed.status == 100)
            try socket.send(Self.chunks(Array(marking[4...])))
            let response = try readICAPResponse(socket)
            #expect(response.status == 200)
            #expect(response.head["Encapsulated"]?.hasPrefix("res-hdr=0, res-body=") == true)
            let http = String(decoding: response.encapsulatedHead, as: UTF8.self)
            #expect(http.hasPrefix("HTTP/1.1 403 Forbidden\r\n"))
            let page = String(decoding: response.body ?? [], as: UTF8.self)
            let reference = try #require(response.head["X-ExportGuard-Reference"])
            #expect(page.contains(reference))
            #expect(page.contains("state-secret"))
            #expect(!page.contains("机密★10年"))
        }
    }

    @Test("without Allow: 204 the request comes back unchanged in a 200, from memory or from the spool file", arguments: [64 << 10, 1024])
    func unmodifiedEcho(spoolMemory: Int) throws {
        try withServer({ $0.spoolMemoryBytes = spoolMemory; $0.queueCapacity = 8192 }) { _, bound in
            var body = [UInt8]()
            var n = 0
            while body.count < 200_000 {
                body += Array("line \(n) of a harmless upload\r\n".utf8)
                n += 1
            }
            let socket = try TestSocket(port: bound.icap!.port)
            try socket.send(Array(Self.reqmod(allow204: false, preview: 1024).utf8) + Self.chunks(Array(body[0..<1024])))
            #expect(try readICAPResponse(socket).status == 100)
            var rest = [UInt8]()
            var offset = 1024
            while offset < body.count {
                let end = min(body.count, offset + 7000)
                var buffer = ByteBuffer()
                ChunkedEncoder.chunk(body[offset..<end], into: &buffer)
                rest += Array(buffer.readableBytesView)
                offset = end
            }
            try socket.send(rest + Array("0\r\n\r\n".utf8))
            let response = try readICAPResponse(socket)
            #expect(response.status == 200)
            #expect(response.head["Encapsulated"] == "req-hdr=0, req-body=\(Self.httpHead.utf8.count)")
            #expect(response.encapsulatedHead == Array(Self.httpHead.utf8))
            #expect(response.body == body)
            // The connection stays usable.
            try socket.send("OPTIONS icap://127.0.0.1/reqmod ICAP/1.0\r\n\r\n")
            #expect(try readICAPResponse(socket).status == 200)
        }
    }

    @Test("RESPMOD audits downloads the same way")
    func respmod() throws {
        try withServer { _, bound in
            let request = "GET http://files.test/memo.txt HTTP/1.1\r\nHost: files.test\r\n\r\n"
            let response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"
            let head = "RESPMOD icap://127.0.0.1/respmod ICAP/1.0\r\nAllow: 204\r\nEncapsulated: req-hdr=0, res-hdr=\(request.utf8.count), res-body=\(request.utf8.count + response.utf8.count)\r\n\r\n"
            let socket = try TestSocket(port: bound.icap!.port)
            try socket.send(Array((head + request + response).utf8) + Self.chunks(marking))
            let answer = try readICAPResponse(socket)
            #expect(answer.status == 200)
            #expect(String(decoding: answer.encapsulatedHead, as: UTF8.self).hasPrefix("HTTP/1.1 403"))
            try socket.send(Array((head + request + response).utf8) + Self.chunks(benign))
            #expect(try readICAPResponse(socket).status == 204)
        }
    }

    static let downloadRequest = "GET http://files.test/report.txt HTTP/1.1\r\nHost: files.test\r\n\r\n"
    static let downloadResponse = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 300000\r\n\r\n"

    static func respmod(allow204: Bool, preview: Int? = nil) -> String {
        var text = "RESPMOD icap://127.0.0.1/respmod ICAP/1.0\r\nHost: 127.0.0.1\r\n"
        if allow204 { text += "Allow: 204\r\n" }
        if let preview { text += "Preview: \(preview)\r\n" }
        let request = downloadRequest.utf8.count
        return text + "Encapsulated: req-hdr=0, res-hdr=\(request), res-body=\(request + downloadResponse.utf8.count)\r\n\r\n"
            + downloadRequest + downloadResponse
    }

    /// Chunks without a last-chunk: a body still under way.
    static func partial(_ bytes: [UInt8]) -> [UInt8] {
        var buffer = ByteBuffer()
        ChunkedEncoder.chunk(bytes, into: &buffer)
        return Array(buffer.readableBytesView)
    }

    static func harmless(_ size: Int) -> [UInt8] {
        var body = [UInt8]()
        var n = 0
        while body.count < size {
            body += Array("line \(n) of a harmless download\n".utf8)
            n += 1
        }
        return body
    }

    /// True once an ICAP head and the encapsulated HTTP head after it have arrived.
    static func hasTwoHeads(_ bytes: [UInt8]) -> Bool {
        guard let first = headEnd(bytes) else { return false }
        return headEnd(Array(bytes[first...])) != nil
    }

    @Test("a stalled RESPMOD body without Allow: 204 gets the original response head early; the body follows once allowed")
    func earlyHeadAllowed() throws {
        try withServer({ $0.respmodEarlyHeadAfter = 0.05; $0.queueCapacity = 8192 }) { _, bound in
            let body = Self.harmless(300_000)
            let socket = try TestSocket(port: bound.icap!.port)
            try socket.send(Array(Self.respmod(allow204: false, preview: 4096).utf8) + Self.chunks(Array(body[0..<4096])))
            #expect(try readICAPResponse(socket).status == 100)
            // Squid 5.7 sends what fits its 64 KiB buffer, then waits for the response to start.
            try socket.send(Self.partial(Array(body[4096..<65535])))
            socket.receive { Self.hasTwoHeads($0) }
            let early = try HeaderBlock.parse(socket.received[0..<(headEnd(socket.received) ?? 0)])
            #expect(early.startLine == "ICAP/1.0 200 OK")
            #expect(early["X-ExportGuard-Verdict"] == nil)
            var rest = [UInt8]()
            var offset = 65535
            while offset < body.count {
                let end = min(body.count, offset + 16384)
                rest += Self.partial(Array(body[offset..<end]))
                offset = end
            }
            try socket.send(rest + Array("0\r\n\r\n".utf8))
            let response = try readICAPResponse(socket)
            #expect(response.status == 200)
            #expect(response.head["Encapsulated"] == "res-hdr=0, res-body=\(Self.downloadResponse.utf8.count)")
            #expect(response.encapsulatedHead == Array(Self.downloadResponse.utf8))
            #expect(response.body == body)
            try socket.send("OPTIONS icap://127.0.0.1/respmod ICAP/1.0\r\n\r\n")
            #expect(try readICAPResponse(socket).status == 200)
        }
    }

    @Test("a RESPMOD body refused after its early head ends with no byte of content; the connection stays usable")
    func earlyHeadBlocked() throws {
        try withServer({ $0.respmodEarlyHeadAfter = 0.05 }) { _, bound in
            let socket = try TestSocket(port: bound.icap!.port)
            try socket.send(Array(Self.respmod(allow204: false).utf8) + Self.partial(Self.harmless(70_000)))
            socket.receive { Self.hasTwoHeads($0) }
            try socket.send(Self.partial(marking) + Self.partial(Self.harmless(1000)) + Array("0\r\n\r\n".utf8))
            let response = try readICAPResponse(socket)
            #expect(response.status == 200)
            #expect(response.encapsulatedHead == Array(Self.downloadResponse.utf8))
            #expect(response.body == [])
            try socket.send("OPTIONS icap://127.0.0.1/respmod ICAP/1.0\r\n\r\n")
            #expect(try readICAPResponse(socket).status == 200)
        }
    }

    @Test("a stalled RESPMOD body offered with Allow: 204, or one that keeps coming, still waits for the verdict: 204 or the block page")
    func noEarlyHead() throws {
        try withServer({ $0.respmodEarlyHeadAfter = 0.05 }) { _, bound in
            let socket = try TestSocket(port: bound.icap!.port)
            try socket.send(Array(Self.respmod(allow204: true).utf8) + Self.partial(Self.harmless(20_000)))
            usleep(300_000)
            // The first answer is the 204: no head went out early.
            try socket.send(Self.partial(Self.harmless(100)) + Array("0\r\n\r\n".utf8))
            #expect(try readICAPResponse(socket).status == 204)
        }
        // Without Allow: 204, pauses shorter than the delay do not send the head early (a
        // delay far above the pauses, so a busy machine cannot make this flaky).
        try withServer({ $0.respmodEarlyHeadAfter = 1 }) { _, bound in
            let socket = try TestSocket(port: bound.icap!.port)
            try socket.send(Array(Self.respmod(allow204: false).utf8))
            for _ in 0..<10 {
                try socket.send(Self.partial(Self.harmless(10_000)))
                usleep(10_000)
            }
            try socket.send(Self.partial(marking) + Array("0\r\n\r\n".utf8))
            let response = try readICAPResponse(socket)
            #expect(String(decoding: response.encapsulatedHead, as: UTF8.self).hasPrefix("HTTP/1.1 403 Forbidden"))
        }
    }

    @Test("a GET with null-body gets 204 at once")
    func nullBody() throws {
        try withServer { _, bound in
            let http = "GET http://example.test/ HTTP/1.1\r\nHost: example.test\r\n\r\n"
            let socket = try TestSocket(port: bound.icap!.port)
            try socket.send("REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nPreview: 0\r\nAllow: 204\r\nEncapsulated: req-hdr=0, null-body=\(http.utf8.count)\r\n\r\n" + http)
            #expect(try readICAPResponse(socket).status == 204)
        }
    }

    @Test("bad requests get 400 and the connection closes; unknown services 404")
    func badRequests() throws {
        try withServer { _, bound in
            let socket = try TestSocket(port: bound.icap!.port)
            try socket.send("REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: x\r\n\r\n")
            #expect(try readICAPResponse(socket).status == 400)
            socket.receive { _ in false }
            #expect(socket.closedByPeer)
            let other = try TestSocket(port: bound.icap!.port)
            try other.send("OPTIONS icap://127.0.0.1/nothing ICAP/1.0\r\n\r\n")
            #expect(try readICAPResponse(other).status == 404)
        }
    }

    @Test("a body over the limit is blocked as not inspectable, never passed")
    func overLimit() throws {
        try withServer({ $0.maxBodyBytes = 1000 }) { _, bound in
            let socket = try TestSocket(port: bound.icap!.port)
            try socket.send(Array(Self.reqmod(allow204: true, preview: nil).utf8) + Self.chunks([UInt8](repeating: 0x61, count: 5000)))
            let response = try readICAPResponse(socket)
            #expect(response.status == 200)
            #expect(String(decoding: response.encapsulatedHead, as: UTF8.self).hasPrefix("HTTP/1.1 403"))
        }
    }

    @Test("SIGTERM-style drain lets an in-flight scan answer, then stops accepting")
    func drain() throws {
        try withServer { server, bound in
            let socket = try TestSocket(port: bound.icap!.port)
            // Start a request and leave its body unfinished.
            try socket.send(Array(Self.reqmod(allow204: true, preview: nil).utf8) + Self.chunks(Array(benign[0..<10]), last: ""))
            let idle = try TestSocket(port: bound.icap!.port)
            usleep(100_000)
            let drained = Thread { server.drain(timeout: 10) }
            drained.start()
            usleep(200_000)
            // The idle connection is closed; the busy one is finished.
            idle.receive { _ in false }
            #expect(idle.closedByPeer)
            try socket.send(Self.chunks(Array(benign[10...])))
            #expect(try readICAPResponse(socket).status == 204)
            drained.join()
            #expect(throws: SocketError.self) { try TestSocket(port: bound.icap!.port) }
        }
    }
}

/// A thread that can be joined (tests only).
final class Thread: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: () -> Void

    init(_ body: @escaping () -> Void) { self.body = body }

    func start() {
        let unmanaged = Unmanaged.passRetained(self)
        pthread_create(&thread, nil, { argument in
            let me = Unmanaged<Thread>.fromOpaque(argument!).takeRetainedValue()
            me.body()
            return nil
        }, unmanaged.toOpaque())
    }

    func join() { pthread_join(thread, nil) }
}

@Suite("the byte queue between socket and scan")
struct ByteQueueTests {
    @Test("push says stop when full; reading frees space and calls back once")
    func backPressure() throws {
        let queue = ByteQueue(capacity: 100)
        let calls = Counter()
        queue.onSpace { calls.increment() }
        #expect(queue.push(ByteBuffer(bytes: [UInt8](repeating: 1, count: 60))))
        #expect(!queue.push(ByteBuffer(bytes: [UInt8](repeating: 2, count: 60))))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 30, alignment: 1)
        defer { buffer.deallocate() }
        #expect(try queue.read(into: buffer, name: "x") == 30)
        #expect(try queue.read(into: buffer, name: "x") == 30)
        #expect(calls.value == 0) // 60 left: more than half full
        #expect(try queue.read(into: buffer, name: "x") == 30)
        #expect(calls.value == 1)
        queue.finish()
        var total = 0
        while true {
            let n = try queue.read(into: buffer, name: "x")
            if n == 0 { break }
            total += n
        }
        #expect(total == 30)
        #expect(calls.value == 1)
    }

    @Test("the space callback is released once the queue ends, failed or read to its end (it captures its handler: a cycle leaked every connection)")
    func callbackReleased() throws {
        final class Owner: Sendable {}
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8, alignment: 1)
        defer { buffer.deallocate() }
        for ending in ["read to the end", "failed", "abandoned"] {
            let queue = ByteQueue(capacity: 4)
            weak var released: Owner?
            do {
                let owner = Owner()
                released = owner
                queue.onSpace { _ = owner }
            }
            #expect(released != nil)
            queue.push(ByteBuffer(bytes: [1, 2, 3]))
            switch ending {
            case "read to the end":
                queue.finish()
                while try queue.read(into: buffer, name: "x") > 0 {}
            case "failed": queue.fail("gone")
            default: queue.abandon()
            }
            #expect(released == nil, "\(ending)")
        }
    }

    @Test("a failed queue makes the scan's read throw")
    func failure() {
        let queue = ByteQueue(capacity: 10)
        queue.push(ByteBuffer(bytes: [1, 2, 3]))
        queue.fail("gone")
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8, alignment: 1)
        defer { buffer.deallocate() }
        #expect(throws: InspectionError.readFailed(path: "x", reason: "gone")) { try queue.read(into: buffer, name: "x") }
    }
}

final class Counter: @unchecked Sendable {
    private let condition = Condition()
    private var count = 0
    func increment() { condition.withLock { count += 1 } }
    var value: Int { condition.withLock { count } }
}

@Suite("the byte queue keeps order when it copies small pieces")
struct ByteQueueCoalescingTests {
    @Test("small and large pushes come out in order, byte for byte")
    func order() throws {
        let queue = ByteQueue(capacity: 1 << 20)
        var expected: [UInt8] = []
        var value: UInt8 = 0
        for size in [1, 5000, 3, 4095, 70_000, 2, 16_384, 1, 9000, 7] {
            var bytes: [UInt8] = []
            for _ in 0..<size {
                bytes.append(value)
                value &+= 1
            }
            // A slice of a larger buffer, as a socket read gives.
            var big = ByteBuffer(bytes: [UInt8](repeating: 0xEE, count: 100) + bytes + [0xEE])
            big.moveReaderIndex(forwardBy: 100)
            queue.push(big.getSlice(at: big.readerIndex, length: size)!)
            expected += bytes
        }
        queue.finish()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 3000, alignment: 1)
        defer { buffer.deallocate() }
        var got: [UInt8] = []
        while true {
            let n = try queue.read(into: buffer, name: "x")
            if n == 0 { break }
            got += buffer[0..<n]
        }
        #expect(got == expected)
    }
}

@Suite("the byte queue spills to a private file instead of pausing (ICAP)")
struct ByteQueueSpillTests {
    @Test("bytes beyond the capacity go through the file, in order, and the producer is never paused")
    func spill() throws {
        let queue = ByteQueue(capacity: 1000, spillDirectory: PrivateTemporaryFile.defaultDirectory)
        var expected: [UInt8] = []
        var value: UInt8 = 0
        func pushSome(_ size: Int) {
            var bytes: [UInt8] = []
            for _ in 0..<size {
                bytes.append(value)
                value &+= 1
            }
            #expect(queue.push(ByteBuffer(bytes: bytes)))
            expected += bytes
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 700, alignment: 1)
        defer { buffer.deallocate() }
        var got: [UInt8] = []
        func drain(_ reads: Int) throws {
            for _ in 0..<reads {
                let n = try queue.read(into: buffer, name: "x")
                got += buffer[0..<n]
            }
        }
        for size in [600, 600, 5000, 3, 10_000] { pushSome(size) }
        try drain(5)
        for size in [1, 2000, 300] { pushSome(size) }
        queue.finish()
        while true {
            let n = try queue.read(into: buffer, name: "x")
            if n == 0 { break }
            got += buffer[0..<n]
        }
        #expect(got == expected)
        #expect(queue.totalSpilled > 15_000)
    }
}

@Suite("slow clients")
struct SlowClientTests {
    @Test("a client that does not finish its request head in time is disconnected (HTTP and ICAP)")
    func slowHead() throws {
        try withServer({ $0.headTimeout = 0.5 }) { _, bound in
            let http = try TestSocket(port: bound.http!.port)
            try http.send("GET /healthz HTTP/1.1\r\nHost: x\r\n")
            let icap = try TestSocket(port: bound.icap!.port)
            try icap.send("OPTIONS icap://127.0.0.1/reqmod ICAP/1.0\r\n")
            let started = NIODeadline.now()
            http.receive { _ in false }
            icap.receive { _ in false }
            #expect(http.closedByPeer)
            #expect(icap.closedByPeer)
            #expect(String(decoding: icap.received, as: UTF8.self).hasPrefix("ICAP/1.0 408"))
            #expect(NIODeadline.now() - started < .seconds(5))
        }
    }
}

@Suite("concurrency limit")
struct ConcurrencyLimitTests {
    @Test("past running plus waiting scans, requests get 503 at once (HTTP JSON, ICAP 503)")
    func overloaded() throws {
        try withServer({ $0.maxConcurrentScans = 1; $0.maxQueuedScans = 0 }) { server, bound in
            // Hold the only place with a body that has not ended.
            let holder = try TestSocket(port: bound.http!.port)
            try holder.send("POST /v1/scan HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
            var waited = 0
            while server.metrics.inFlight == 0 && waited < 100 {
                usleep(20_000)
                waited += 1
            }
            let second = try TestSocket(port: bound.http!.port)
            let refused = try httpExchange(second, post("/v1/scan", body: benign))
            #expect(refused.status == 503)
            #expect(refused.body.contains("\"error\":"))
            let icap = try TestSocket(port: bound.icap!.port)
            try icap.send(Array(ICAPServiceTests.reqmod(allow204: true, preview: nil).utf8) + ICAPServiceTests.chunks(benign))
            #expect(try readICAPResponse(icap).status == 503)
            // Finishing the first body frees the place.
            try holder.send([UInt8](repeating: 0x61, count: 97))
            #expect(try readHTTPResponse(holder).status == 200)
            // The place is given back when the scan thread finishes, just after the answer.
            waited = 0
            while server.metrics.inFlight > 0 && waited < 250 {
                usleep(20_000)
                waited += 1
            }
            let third = try TestSocket(port: bound.http!.port)
            #expect(try httpExchange(third, post("/v1/scan", body: benign)).status == 200)
        }
    }
}
