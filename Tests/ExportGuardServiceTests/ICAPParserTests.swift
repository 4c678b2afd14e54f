import NIOCore
import Testing
@testable import ExportGuardGateway
@testable import ExportGuardService

/// Feeds bytes to a parser in pieces of a given size and collects every event.
func parseICAP(_ text: String, pieceSize: Int = .max, maxHeaderBytes: Int = 64 << 10) throws(ProtocolError) -> [ICAPParser.Event] {
    try parseICAP(Array(text.utf8), pieceSize: pieceSize, maxHeaderBytes: maxHeaderBytes)
}

func parseICAP(_ bytes: [UInt8], pieceSize: Int = .max, maxHeaderBytes: Int = 64 << 10) throws(ProtocolError) -> [ICAPParser.Event] {
    var parser = ICAPParser(maxHeaderBytes: maxHeaderBytes)
    var events: [ICAPParser.Event] = []
    var offset = 0
    repeat {
        let end = min(bytes.count, offset + min(pieceSize, bytes.count - offset))
        parser.append(ByteBuffer(bytes: bytes[offset..<end]))
        offset = end
        while let event = try parser.next() { events.append(event) }
    } while offset < bytes.count
    return events
}

/// Joins the body events' bytes; the other events as markers.
func summarize(_ events: [ICAPParser.Event]) -> (heads: [ICAPRequestHead], body: String, markers: [String]) {
    var heads: [ICAPRequestHead] = []
    var body: [UInt8] = []
    var markers: [String] = []
    for event in events {
        switch event {
        case .head(let head): heads.append(head); markers.append("head")
        case .body(let buffer): body += Array(buffer.readableBytesView)
        case .previewEnd: markers.append("previewEnd")
        case .end(let ieof): markers.append(ieof ? "end(ieof)" : "end")
        }
    }
    return (heads, String(decoding: body, as: UTF8.self), markers)
}

@Suite("ICAP request parsing")
struct ICAPParserTests {
    @Test("OPTIONS without Encapsulated, as Squid sends it")
    func optionsFromSquid() throws {
        let events = try parseICAP("OPTIONS icap://127.0.0.1:1344/reqmod ICAP/1.0\r\nHost: 127.0.0.1:1344\r\nAllow: 206\r\n\r\n")
        let (heads, body, markers) = summarize(events)
        #expect(markers == ["head", "end"])
        #expect(body.isEmpty)
        #expect(heads.first?.method == .options)
        #expect(heads.first?.service == "reqmod")
        #expect(heads.first?.hasBody == false)
    }

    @Test("OPTIONS with Encapsulated: null-body=0")
    func optionsNullBody() throws {
        let (heads, _, markers) = summarize(try parseICAP("OPTIONS icap://h/respmod ICAP/1.0\r\nEncapsulated: null-body=0\r\n\r\n"))
        #expect(markers == ["head", "end"])
        #expect(heads.first?.service == "respmod")
    }

    static let httpHead = "POST http://example.test/upload HTTP/1.1\r\nHost: example.test\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\n"

    static func reqmod(preview: Int?, allow204: Bool = true, body: String) -> String {
        var text = "REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\n"
        if allow204 { text += "Allow: 204\r\n" }
        if let preview { text += "Preview: \(preview)\r\n" }
        text += "Encapsulated: req-hdr=0, req-body=\(httpHead.utf8.count)\r\n\r\n" + httpHead + body
        return text
    }

    @Test("REQMOD with a preview that holds the whole body (0; ieof)", arguments: [1, 2, 5, 13, 1000])
    func previewWithIeof(pieceSize: Int) throws {
        let text = Self.reqmod(preview: 1024, body: "b\r\nhello world\r\n0; ieof\r\n\r\n")
        let (heads, body, markers) = summarize(try parseICAP(text, pieceSize: pieceSize))
        #expect(markers == ["head", "end(ieof)"])
        #expect(body == "hello world")
        let head = try #require(heads.first)
        #expect(head.method == .reqmod)
        #expect(head.preview == 1024)
        #expect(head.allow204)
        #expect(head.body == .request)
        #expect(head.httpRequest?["content-type"] == "text/plain")
        #expect(head.httpRequest?["Host"] == "example.test")
        #expect(head.requestHeader == Array(Self.httpHead.utf8))
    }

    @Test("REQMOD preview without ieof, then the rest after 100 Continue", arguments: [1, 3, 64, 10000])
    func previewThenContinue(pieceSize: Int) throws {
        let text = Self.reqmod(preview: 4, body: "4\r\nhell\r\n0\r\n\r\n" + "7\r\no world\r\n0\r\n\r\n")
        let (_, body, markers) = summarize(try parseICAP(text, pieceSize: pieceSize))
        #expect(markers == ["head", "previewEnd", "end"])
        #expect(body == "hello world")
    }

    @Test("Preview: 0 with a body sends the zero chunk at once")
    func previewZero() throws {
        let text = Self.reqmod(preview: 0, body: "0\r\n\r\n" + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        let (_, body, markers) = summarize(try parseICAP(text))
        #expect(markers == ["head", "previewEnd", "end"])
        #expect(body == "hello world")
    }

    @Test("a GET arrives with Preview: 0 and null-body: no preview, no body")
    func nullBodyGet() throws {
        let http = "GET http://example.test/ HTTP/1.1\r\nHost: example.test\r\n\r\n"
        let text = "REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nPreview: 0\r\nAllow: 204\r\nEncapsulated: req-hdr=0, null-body=\(http.utf8.count)\r\n\r\n" + http
        let (heads, body, markers) = summarize(try parseICAP(text, pieceSize: 7))
        #expect(markers == ["head", "end"])
        #expect(body.isEmpty)
        #expect(heads.first?.preview == nil)
        #expect(heads.first?.body == ICAPRequestHead.Body.none)
    }

    @Test("chunked bodies: several chunks, extensions, upper-case hex, a trailer", arguments: [1, 2, 9, 4096])
    func chunkedBody(pieceSize: Int) throws {
        let big = String(repeating: "x", count: 300)
        let text = Self.reqmod(preview: nil, body: "3;name=value\r\nabc\r\n12C\r\n\(big)\r\n1\r\nz\r\n0\r\nTrailer: yes\r\n\r\n")
        let (_, body, markers) = summarize(try parseICAP(text, pieceSize: pieceSize))
        #expect(markers == ["head", "end"])
        #expect(body == "abc" + big + "z")
    }

    @Test("a chunk size may have leading zeros however many")
    func chunkSizeLeadingZeros() throws {
        let text = Self.reqmod(preview: nil, body: "00000000000000000000003\r\nabc\r\n0\r\n\r\n")
        #expect(summarize(try parseICAP(text)).body == "abc")
    }

    @Test("RESPMOD with req-hdr, res-hdr and res-body; two requests on one connection")
    func respmodAndKeepAlive() throws {
        let request = "GET http://example.test/file HTTP/1.1\r\nHost: example.test\r\n\r\n"
        let response = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n"
        let one = "RESPMOD icap://h/respmod ICAP/1.0\r\nEncapsulated: req-hdr=0, res-hdr=\(request.utf8.count), res-body=\(request.utf8.count + response.utf8.count)\r\n\r\n"
            + request + response + "4\r\ndata\r\n0\r\n\r\n"
        let two = "OPTIONS icap://h/respmod ICAP/1.0\r\n\r\n"
        let (heads, body, markers) = summarize(try parseICAP(one + two, pieceSize: 5))
        #expect(markers == ["head", "end", "head", "end"])
        #expect(body == "data")
        #expect(heads[0].method == .respmod)
        #expect(heads[0].httpResponse?.startLine == "HTTP/1.1 200 OK")
        #expect(heads[0].adaptedMessage?["Content-Type"] == "application/octet-stream")
        #expect(heads[0].responseHeader == Array(response.utf8))
        #expect(heads[1].method == .options)
    }

    @Test("bad requests are 400", arguments: [
        "GARBAGE\r\n\r\n",
        "REQMOD icap://h/reqmod\r\n\r\n",
        "REQMOD icap://h/reqmod ICAP/1.0\r\nHost: h\r\n\r\n",
        "REQMOD icap://h/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=5, req-body=10\r\n\r\n",
        "REQMOD icap://h/reqmod ICAP/1.0\r\nEncapsulated: req-body=0, req-hdr=10\r\n\r\n",
        "REQMOD icap://h/reqmod ICAP/1.0\r\nEncapsulated: res-hdr=0, res-body=10\r\n\r\n",
        "REQMOD icap://h/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=0, req-body=x\r\n\r\n",
        "REQMOD icap://h/reqmod ICAP/1.0\r\nPreview: -1\r\nEncapsulated: req-hdr=0, null-body=4\r\n\r\nab\r\n",
        "REQMOD icap://h/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=0, req-body=20\r\n\r\nPOST / HTTP/1.1\r\nX: y\r\n",
        "REQMOD icap://h/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=0, req-body=19\r\n\r\nPOST / HTTP/1.1\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        "REQMOD icap://h/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=0, req-body=19\r\n\r\nPOST / HTTP/1.1\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
        "REQMOD icap://h/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=0, req-body=19\r\n\r\nPOST / HTTP/1.1\r\n\r\n3; ieof\r\nabc\r\n0\r\n\r\n",
        // Found by FuzzICAP: a 16-digit chunk size overflowed (a trap) before it was refused.
        "REQMOD icap://h/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=0, req-body=19\r\n\r\nPOST / HTTP/1.1\r\n\r\nffffffffffffffff\r\nabc\r\n0\r\n\r\n",
        "REQMOD icap://h/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=0, req-body=19\r\n\r\nPOST / HTTP/1.1\r\n\r\n8000000000000000\r\nabc\r\n0\r\n\r\n",
    ])
    func badRequests(text: String) {
        #expect(throws: ProtocolError.self) { try parseICAP(text) }
        do {
            _ = try parseICAP(text)
        } catch {
            #expect(error.status == 400, "\(error)")
        }
    }

    @Test("an unknown method is 501; another ICAP version is 505")
    func methodAndVersion() {
        #expect(throws: ProtocolError(status: 501, "method PUT not implemented")) { try parseICAP("PUT icap://h/reqmod ICAP/1.0\r\n\r\n") }
        #expect(throws: ProtocolError(status: 505, "unsupported protocol version ICAP/2.0")) { try parseICAP("OPTIONS icap://h/reqmod ICAP/2.0\r\n\r\n") }
    }

    @Test("a head larger than the limit is refused before it ends")
    func headLimit() {
        let text = "OPTIONS icap://h/reqmod ICAP/1.0\r\nX-Big: " + String(repeating: "a", count: 5000)
        #expect(throws: ProtocolError.self) { try parseICAP(text, pieceSize: 100, maxHeaderBytes: 1024) }
    }

    @Test("the chunked encoder's output decodes back")
    func chunkRoundTrip() throws {
        var buffer = ByteBuffer()
        ChunkedEncoder.chunk(Array("hello".utf8), into: &buffer)
        ChunkedEncoder.chunk(Array(repeating: UInt8(ascii: "y"), count: 300), into: &buffer)
        ChunkedEncoder.last(into: &buffer)
        var decoder = ChunkedDecoder()
        var body: [UInt8] = []
        var ended = false
        while let event = try decoder.next(&buffer) {
            switch event {
            case .data(let data): body += Array(data.readableBytesView)
            case .end(let ieof): ended = true; #expect(!ieof)
            }
        }
        #expect(ended)
        #expect(body == Array("hello".utf8) + Array(repeating: UInt8(ascii: "y"), count: 300))
        #expect(String(buffer: { var b = ByteBuffer(); ChunkedEncoder.chunk(Array("hello".utf8), into: &b); return b }()) == "5\r\nhello\r\n")
    }
}
