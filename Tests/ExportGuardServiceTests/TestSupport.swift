import ExportGuardPolicy
import Glibc
import Logging
import NIOCore
@testable import ExportGuardGateway
@testable import ExportGuardService

let sharedPolicy = CompiledPolicy.makeDefault()

/// Starts a server on ephemeral loopback ports, runs `body`, stops the server.
func withServer(
    policy: CompiledPolicy = sharedPolicy,
    _ configure: (inout ServiceConfiguration) -> Void = { _ in },
    _ body: (ExportGuardServer, ExportGuardServer.BoundAddresses) throws -> Void
) throws {
    var configuration = ServiceConfiguration(icap: BindAddress(port: 0), http: BindAddress(port: 0))
    configuration.eventLoopThreads = 1
    configuration.maxConcurrentScans = 2
    configuration.idleTimeout = 10
    configuration.writeTimeout = 10
    configure(&configuration)
    var logger = Logger(label: "exportguard.test")
    logger.logLevel = .warning
    let server = ExportGuardServer(configuration: configuration, policy: policy, logger: logger)
    let bound = try server.start()
    defer { server.shutdown() }
    try body(server, bound)
}

struct SocketError: Error, CustomStringConvertible {
    var description: String
}

/// A plain blocking TCP client on loopback, with a receive time-out.
final class TestSocket {
    let fd: Int32
    private(set) var received: [UInt8] = []
    private(set) var closedByPeer = false

    init(port: Int, timeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(description: "socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            close(fd)
            throw SocketError(description: "connect failed: \(errno)")
        }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SocketError(description: "send failed: \(errno)")
            }
            offset += n
        }
    }

    /// Reads until `complete` says the bytes so far are enough, the peer closes, or the time-out.
    @discardableResult
    func receive(until complete: ([UInt8]) -> Bool) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !complete(received) {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                closedByPeer = n == 0
                break
            }
            received += buffer[0..<n]
        }
        return received
    }

    /// Takes `count` bytes off the front of what was received.
    func consume(_ count: Int) -> [UInt8] {
        let head = Array(received.prefix(count))
        received.removeFirst(min(count, received.count))
        return head
    }

    func shutdownWrite() { Glibc.shutdown(fd, Int32(SHUT_WR)) }
}

func headEnd(_ bytes: [UInt8]) -> Int? {
    guard bytes.count >= 4 else { return nil }
    for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
        return index + 4
    }
    return nil
}

struct HTTPTestResponse {
    var status: Int
    var head: HeaderBlock
    var body: String
}

/// Sends a request and reads one HTTP response (Content-Length framed), skipping 100 Continue.
func httpExchange(_ socket: TestSocket, _ request: [UInt8]) throws -> HTTPTestResponse {
    try socket.send(request)
    return try readHTTPResponse(socket)
}

func readHTTPResponse(_ socket: TestSocket) throws -> HTTPTestResponse {
    while true {
        socket.receive { headEnd($0) != nil }
        guard let end = headEnd(socket.received) else { throw SocketError(description: "no response head: \(String(decoding: socket.received, as: UTF8.self))") }
        let head = try HeaderBlock.parse(socket.received[0..<end])
        let status = Int(head.startLine.split(separator: " ")[1]) ?? 0
        if status == 100 {
            _ = socket.consume(end)
            continue
        }
        let length = Int(head["Content-Length"] ?? "0") ?? 0
        socket.receive { $0.count >= end + length }
        let bytes = socket.consume(end + length)
        return HTTPTestResponse(status: status, head: head, body: String(decoding: bytes[end...], as: UTF8.self))
    }
}

struct ICAPTestResponse {
    var status: Int
    var head: HeaderBlock
    /// The encapsulated HTTP head(s), raw.
    var encapsulatedHead: [UInt8]
    var body: [UInt8]?
}

/// Reads one ICAP response: the head, the encapsulated headers and a chunked body if any.
func readICAPResponse(_ socket: TestSocket) throws -> ICAPTestResponse {
    socket.receive { headEnd($0) != nil }
    guard let end = headEnd(socket.received) else { throw SocketError(description: "no ICAP head: \(String(decoding: socket.received, as: UTF8.self))") }
    let head = try HeaderBlock.parse(socket.received[0..<end])
    _ = socket.consume(end)
    let status = Int(head.startLine.split(separator: " ")[1]) ?? 0
    guard let encapsulated = head["Encapsulated"] else { return ICAPTestResponse(status: status, head: head, encapsulatedHead: [], body: nil) }
    let entries = encapsulated.split(separator: ",").map { $0.split(separator: "=").map { $0.trimmingSpaces() } }
    let bodyOffset = Int(entries.last![1])!
    socket.receive { $0.count >= bodyOffset }
    let encapsulatedHead = socket.consume(bodyOffset)
    guard entries.last![0] != "null-body" else { return ICAPTestResponse(status: status, head: head, encapsulatedHead: encapsulatedHead, body: nil) }
    var decoder = ChunkedDecoder()
    var body: [UInt8] = []
    while true {
        var buffer = ByteBuffer(bytes: socket.received)
        var finished = false
        while let event = try decoder.next(&buffer) {
            switch event {
            case .data(let data): body += Array(data.readableBytesView)
            case .end: finished = true
            }
        }
        _ = socket.consume(socket.received.count - buffer.readableBytes)
        if finished { break }
        let before = socket.received.count
        socket.receive { $0.count > before }
        if socket.received.count == before { throw SocketError(description: "ICAP body cut off") }
    }
    return ICAPTestResponse(status: status, head: head, encapsulatedHead: encapsulatedHead, body: body)
}
