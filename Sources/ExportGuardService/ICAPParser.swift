import ExportGuardCore
import ExportGuardGateway
import NIOCore

/// An ICAP request head (RFC 3507 §4.3) with the HTTP heads it encapsulates.
public struct ICAPRequestHead: Sendable, Hashable {
    public enum Method: String, Sendable, Hashable {
        case options = "OPTIONS"
        case reqmod = "REQMOD"
        case respmod = "RESPMOD"
    }

    /// Which encapsulated body follows, if any.
    public enum Body: String, Sendable, Hashable {
        case none = "null-body"
        case request = "req-body"
        case response = "res-body"
        case options = "opt-body"
    }

    public var method: Method
    public var uri: String
    /// The service name: the URI's path without the leading slash (`reqmod` in `icap://host/reqmod`).
    public var service: String
    public var headers: HeaderBlock
    /// `Encapsulated` entries in order.
    public var encapsulated: [Section]
    public var body: Body
    /// Bytes of preview the client sends first, when it uses preview.
    public var preview: Int?
    /// Whether the client accepts `204 No Content` outside a preview.
    public var allow204: Bool
    /// The encapsulated HTTP request head, raw (echoed unchanged) and parsed.
    public var requestHeader: [UInt8]?
    public var httpRequest: HeaderBlock?
    /// The encapsulated HTTP response head (RESPMOD), raw and parsed.
    public var responseHeader: [UInt8]?
    public var httpResponse: HeaderBlock?

    public struct Section: Sendable, Hashable {
        public var name: String
        public var offset: Int
    }

    /// The head of the HTTP message whose body is being adapted.
    public var adaptedMessage: HeaderBlock? {
        method == .respmod ? httpResponse : httpRequest
    }

    public var hasBody: Bool { body == .request || body == .response || body == .options }
}

/// Parses ICAP requests from a connection's bytes, one event at a time, never holding more
/// than a head (bounded) and what one socket read delivered.
///
/// Events of one request: `head`, then body bytes, `previewEnd` when a preview without
/// `ieof` is complete (the server answers `100 Continue` and more body follows), and `end`.
/// After `end` the parser waits for the next request on the connection.
public struct ICAPParser: Sendable {
    public enum Event: Equatable, Sendable {
        case head(ICAPRequestHead)
        case body(ByteBuffer)
        case previewEnd
        case end(ieof: Bool)
    }

    private enum State: Sendable {
        case head
        case encapsulated(ICAPRequestHead, length: Int)
        case body(inPreview: Bool)
        case endPending
    }

    public let maxHeaderBytes: Int
    private var buffer = ByteBuffer()
    private var state = State.head
    private var decoder = ChunkedDecoder()
    private var scanFrom = 0

    public init(maxHeaderBytes: Int = 64 << 10) {
        self.maxHeaderBytes = maxHeaderBytes
    }

    /// Adds received bytes.
    public mutating func append(_ incoming: ByteBuffer) {
        if buffer.readableBytes == 0 {
            buffer = incoming
            scanFrom = 0
        } else {
            var incoming = incoming
            buffer.writeBuffer(&incoming)
        }
    }

    /// Bytes received and not yet parsed.
    public var bufferedBytes: Int { buffer.readableBytes }

    /// Whether a request head has started but not completed.
    public var isReadingHead: Bool {
        switch state {
        case .head: buffer.readableBytes > 0
        case .encapsulated: true
        default: false
        }
    }

    /// The next event, or nil when more bytes are needed.
    public mutating func next() throws(ProtocolError) -> Event? {
        switch state {
        case .head:
            return try parseHead()
        case .encapsulated(let head, let length):
            guard buffer.readableBytes >= length else {
                return nil
            }
            let bytes = buffer.readBytes(length: length)!
            let complete = try Self.splitEncapsulated(head, bytes)
            if complete.hasBody {
                decoder = ChunkedDecoder()
                state = .body(inPreview: complete.preview != nil)
            } else {
                state = .endPending
            }
            return .head(complete)
        case .endPending:
            state = .head
            return .end(ieof: false)
        case .body(let inPreview):
            guard let event = try decoder.next(&buffer) else { return nil }
            switch event {
            case .data(let slice):
                return .body(slice)
            case .end(let ieof):
                if inPreview && !ieof {
                    decoder = ChunkedDecoder()
                    state = .body(inPreview: false)
                    return .previewEnd
                }
                state = .head
                return .end(ieof: ieof)
            }
        }
    }

    private mutating func parseHead() throws(ProtocolError) -> Event? {
        // Empty lines before a request are tolerated (RFC 9112 §2.2).
        while let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self), first == 0x0D || first == 0x0A {
            buffer.moveReaderIndex(forwardBy: 1)
        }
        let view = buffer.readableBytesView
        guard let end = Self.findHeadEnd(view, from: max(0, scanFrom - 3)) else {
            scanFrom = view.count
            if view.count > maxHeaderBytes { throw ProtocolError("ICAP request head larger than \(maxHeaderBytes) bytes") }
            return nil
        }
        scanFrom = 0
        if end > maxHeaderBytes { throw ProtocolError("ICAP request head larger than \(maxHeaderBytes) bytes") }
        let headBytes = buffer.readBytes(length: end)!
        let block: HeaderBlock
        do {
            block = try HeaderBlock.parse(headBytes)
        } catch {
            throw ProtocolError("malformed ICAP request head")
        }
        let parts = block.startLine.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3 else { throw ProtocolError("malformed ICAP request line") }
        guard parts[2] == "ICAP/1.0" else {
            throw ProtocolError(status: parts[2].hasPrefix("ICAP/") ? 505 : 400, "unsupported protocol version \(parts[2])")
        }
        guard let method = ICAPRequestHead.Method(rawValue: String(parts[0])) else {
            throw ProtocolError(status: 501, "method \(parts[0]) not implemented")
        }
        let uri = String(parts[1])
        guard uri.hasPrefix("icap://") || uri.hasPrefix("icaps://") || uri.hasPrefix("/") else {
            throw ProtocolError("bad ICAP URI")
        }
        var preview: Int?
        if let value = block["Preview"] {
            guard let size = Int(value.trimmingSpaces()), size >= 0 else { throw ProtocolError("bad Preview header") }
            preview = size
        }
        let allow204 = block.values("Allow").contains("204")
        let sections = try Self.parseEncapsulated(block["Encapsulated"], method: method)
        let body: ICAPRequestHead.Body
        if let last = sections.last, let kind = ICAPRequestHead.Body(rawValue: last.name) {
            body = kind
        } else {
            body = .none
        }
        let head = ICAPRequestHead(
            method: method, uri: uri, service: Self.serviceName(uri), headers: block,
            encapsulated: sections, body: body, preview: body == .none ? nil : preview, allow204: allow204)
        let headerLength = sections.last?.offset ?? 0
        if headerLength + end > maxHeaderBytes {
            throw ProtocolError("encapsulated headers larger than \(maxHeaderBytes) bytes")
        }
        state = .encapsulated(head, length: headerLength)
        return try next()
    }

    /// Index just past the CRLFCRLF (or LFLF) ending a head.
    static func findHeadEnd(_ view: ByteBufferView, from: Int) -> Int? {
        let count = view.count
        var index = from
        while index < count {
            if view[view.startIndex + index] == 0x0A {
                if index + 1 < count && view[view.startIndex + index + 1] == 0x0A { return index + 2 }
                if index + 2 < count && view[view.startIndex + index + 1] == 0x0D && view[view.startIndex + index + 2] == 0x0A {
                    return index + 3
                }
            }
            index += 1
        }
        return nil
    }

    static func serviceName(_ uri: String) -> String {
        var rest = Substring(uri)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            if let slash = rest.firstIndex(of: "/") { rest = rest[slash...] } else { rest = "" }
        }
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        return String(rest.drop(while: { $0 == "/" }))
    }

    static func parseEncapsulated(_ value: String?, method: ICAPRequestHead.Method) throws(ProtocolError) -> [ICAPRequestHead.Section] {
        guard let value else {
            if method == .options { return [] }
            throw ProtocolError("\(method.rawValue) without an Encapsulated header")
        }
        var sections: [ICAPRequestHead.Section] = []
        for item in value.split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, let offset = Int(pair[1].trimmingSpaces()), offset >= 0 else {
                throw ProtocolError("bad Encapsulated header")
            }
            sections.append(.init(name: pair[0].trimmingSpaces().lowercased(), offset: offset))
        }
        guard let first = sections.first, first.offset == 0 else { throw ProtocolError("Encapsulated must start at offset 0") }
        let allowed: Set<String> = switch method {
        case .options: ["opt-body", "null-body"]
        case .reqmod: ["req-hdr", "req-body", "null-body"]
        case .respmod: ["req-hdr", "res-hdr", "res-body", "null-body"]
        }
        let bodies: Set<String> = ["req-body", "res-body", "null-body", "opt-body"]
        for (index, section) in sections.enumerated() {
            guard allowed.contains(section.name) else { throw ProtocolError("Encapsulated section \(section.name) not allowed in \(method.rawValue)") }
            if index > 0 && section.offset < sections[index - 1].offset { throw ProtocolError("Encapsulated offsets out of order") }
            if bodies.contains(section.name) != (index == sections.count - 1) {
                throw ProtocolError("Encapsulated must end with exactly one body entry")
            }
        }
        if Set(sections.map(\.name)).count != sections.count { throw ProtocolError("repeated Encapsulated section") }
        if method == .reqmod && sections.last?.name == "req-body" && !sections.contains(where: { $0.name == "req-hdr" }) {
            throw ProtocolError("req-body without req-hdr")
        }
        return sections
    }

    static func splitEncapsulated(_ head: ICAPRequestHead, _ bytes: [UInt8]) throws(ProtocolError) -> ICAPRequestHead {
        var head = head
        for (index, section) in head.encapsulated.enumerated() where section.name == "req-hdr" || section.name == "res-hdr" {
            let end = head.encapsulated[index + 1].offset
            let raw = Array(bytes[section.offset..<end])
            let parsed: HeaderBlock
            do {
                parsed = try HeaderBlock.parse(raw, strict: false)
            } catch {
                throw ProtocolError("malformed encapsulated \(section.name)")
            }
            guard raw.suffix(4).elementsEqual([0x0D, 0x0A, 0x0D, 0x0A]) || raw.suffix(2).elementsEqual([0x0A, 0x0A]) else {
                throw ProtocolError("encapsulated \(section.name) does not end with an empty line")
            }
            if section.name == "req-hdr" {
                head.requestHeader = raw
                head.httpRequest = parsed
            } else {
                head.responseHeader = raw
                head.httpResponse = parsed
            }
        }
        return head
    }
}
