import Glibc
import NIOCore

/// Builds ICAP responses (RFC 3507 §4.3.3).
public struct ICAPResponder: Sendable {
    public let istag: String
    public let serviceName = "ExportGuard 0.1.0"
    public let server = "ExportGuard/0.1.0"

    public init(istag: String) {
        self.istag = istag
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 204: "No Content"
        case 400: "Bad Request"
        case 404: "ICAP Service Not Found"
        case 405: "Method Not Allowed For Service"
        case 408: "Request Timeout"
        case 500: "Server Error"
        case 501: "Method Not Implemented"
        case 503: "Service Overloaded"
        case 505: "ICAP Version Not Supported"
        default: "Error"
        }
    }

    private func statusLine(_ status: Int) -> String {
        "ICAP/1.0 \(status) \(Self.reasonPhrase(status))\r\n"
    }

    private func common(close: Bool) -> String {
        "ISTag: \"\(istag)\"\r\nServer: \(server)\r\nDate: \(HTTPDate.now())\r\n" + (close ? "Connection: close\r\n" : "")
    }

    /// `OPTIONS` answer for a service.
    public func options(method: ICAPRequestHead.Method, preview: Int, maxConnections: Int, ttl: Int) -> ByteBuffer {
        var text = statusLine(200)
        text += "Methods: \(method.rawValue)\r\n"
        text += "Service: \(serviceName)\r\n"
        text += common(close: false)
        text += "Max-Connections: \(maxConnections)\r\n"
        text += "Options-TTL: \(ttl)\r\n"
        text += "Allow: 204\r\n"
        text += "Preview: \(preview)\r\n"
        text += "Transfer-Preview: *\r\n"
        text += "Encapsulated: null-body=0\r\n\r\n"
        return ByteBuffer(string: text)
    }

    public var continueResponse: ByteBuffer { ByteBuffer(string: "ICAP/1.0 100 Continue\r\n\r\n") }

    /// `204 No Content`: pass the message unchanged.
    public func noContent(reference: String?, verdict: String?) -> ByteBuffer {
        var text = statusLine(204) + common(close: false)
        if let verdict { text += "X-ExportGuard-Verdict: \(verdict)\r\n" }
        if let reference { text += "X-ExportGuard-Reference: \(reference)\r\n" }
        text += "Encapsulated: null-body=0\r\n\r\n"
        return ByteBuffer(string: text)
    }

    /// An ICAP error; the connection is closed after it.
    public func error(_ status: Int) -> ByteBuffer {
        ByteBuffer(string: statusLine(status) + common(close: true) + "Encapsulated: null-body=0\r\n\r\n")
    }

    /// The head of a `200 OK` that returns the encapsulated message unchanged; the body (if any)
    /// follows in chunks, ended by ``ChunkedEncoder/last(into:)``.
    /// Without a verdict (nil) the head goes out before the decision (see
    /// ``ServiceConfiguration/respmodEarlyHeadAfter``).
    public func unmodifiedHead(for request: ICAPRequestHead, reference: String?, verdict: String?) -> ByteBuffer {
        var text = statusLine(200) + common(close: false)
        if let verdict { text += "X-ExportGuard-Verdict: \(verdict)\r\n" }
        if let reference { text += "X-ExportGuard-Reference: \(reference)\r\n" }
        let header = (request.method == .respmod ? request.responseHeader : request.requestHeader) ?? []
        let headerName = request.method == .respmod ? "res-hdr" : "req-hdr"
        let bodyName = request.method == .respmod ? "res-body" : "req-body"
        if header.isEmpty {
            text += request.hasBody ? "Encapsulated: \(bodyName)=0\r\n\r\n" : "Encapsulated: null-body=0\r\n\r\n"
        } else {
            text += "Encapsulated: \(headerName)=0, \(request.hasBody ? bodyName : "null-body")=\(header.count)\r\n\r\n"
        }
        var buffer = ByteBuffer(string: text)
        buffer.writeBytes(header)
        return buffer
    }

    /// A `200 OK` carrying an HTTP `403 Forbidden` with the block page, complete.
    public func blocked(html: String, reference: String, verdict: String) -> ByteBuffer {
        let body = Array(html.utf8)
        let http = "HTTP/1.1 403 Forbidden\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(body.count)\r\n"
            + "Cache-Control: no-store\r\nX-ExportGuard-Reference: \(reference)\r\nConnection: close\r\n\r\n"
        var text = statusLine(200) + common(close: false)
        text += "X-ExportGuard-Verdict: \(verdict)\r\nX-ExportGuard-Reference: \(reference)\r\n"
        text += "Encapsulated: res-hdr=0, res-body=\(http.utf8.count)\r\n\r\n"
        var buffer = ByteBuffer(string: text + http)
        ChunkedEncoder.chunk(body, into: &buffer)
        ChunkedEncoder.last(into: &buffer)
        return buffer
    }
}

/// RFC 9110 IMF-fixdate.
enum HTTPDate {
    static func now() -> String {
        var time = time_t()
        time = Glibc.time(nil)
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
