import ExportGuardInspection
@testable import ExportGuardGateway
import Testing
@testable import ExportGuardService

/// Parses a body fed in pieces; returns each segment's name and bytes.
func parseMultipart(_ body: [UInt8], boundary: String, pieceSize: Int) -> [(name: String, data: [UInt8])] {
    var parser = MultipartParser(boundary: boundary)
    var events: [MultipartParser.Event] = []
    var offset = 0
    while offset < body.count {
        let end = min(body.count, offset + pieceSize)
        events += parser.feed(body[offset..<end])
        offset = end
    }
    events += parser.finish()
    var segments: [(name: String, data: [UInt8])] = []
    var open = false
    for event in events {
        switch event {
        case .begin(let segment):
            #expect(!open, "a segment began inside another")
            segments.append((segment.displayName, []))
            open = true
        case .data(let bytes):
            #expect(open, "data outside a segment")
            segments[segments.count - 1].data += bytes
        case .end:
            #expect(open)
            open = false
        }
    }
    #expect(!open, "the last segment was not closed")
    return segments
}

@Suite("multipart/form-data parsing")
struct MultipartTests {
    static let boundary = "----ExportGuardBoundary7MA4YWxk"

    static func form(_ parts: [(headers: String, body: [UInt8])], preamble: String = "", epilogue: String = "\r\n") -> [UInt8] {
        var bytes = Array(preamble.utf8)
        for part in parts {
            bytes += Array("--\(boundary)\r\n\(part.headers)\r\n".utf8) + part.body + Array("\r\n".utf8)
        }
        bytes += Array("--\(boundary)--\(epilogue)".utf8)
        return bytes
    }

    static let binary: [UInt8] = (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        + Array("\r\n--\(boundary.dropLast())X\r\n-- \r\n--\(boundary)X\r\n--".utf8) + [0x0D, 0x0A, 0x2D]

    static var sample: [UInt8] {
        form([
            ("Content-Disposition: form-data; name=\"comment\"\r\n", Array("hello\r\nworld".utf8)),
            ("Content-Disposition: form-data; name=\"file\"; filename=\"C:\\\\Users\\\\me\\\\report.docx\"\r\nContent-Type: application/octet-stream\r\n", binary),
            ("Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n", []),
            ("Content-Disposition: form-data; name=\"u\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.txt\r\n", Array("机密★10年".utf8)),
        ])
    }

    @Test("parts arrive whole whatever the piece size (across every chunk boundary)", arguments: [1, 2, 3, 5, 17, 64, 1000, 100_000])
    func acrossChunkBoundaries(pieceSize: Int) {
        let segments = parseMultipart(Self.sample, boundary: Self.boundary, pieceSize: pieceSize)
        #expect(segments.map(\.name) == ["part 1 (field comment)", "part 2 (report.docx)", "part 3 (field empty)", "part 4 (报告.txt)"])
        #expect(segments.count == 4)
        guard segments.count == 4 else { return }
        #expect(segments[0].data == Array("hello\r\nworld".utf8))
        #expect(segments[1].data == Self.binary)
        #expect(segments[2].data.isEmpty)
        #expect(segments[3].data == Array("机密★10年".utf8))
    }

    @Test("every split point of a small body gives the same parts")
    func everySplitPoint() {
        let body = Self.form([("Content-Disposition: form-data; name=\"a\"\r\n", Array("x\r\n-y".utf8)), ("", Array("z".utf8))])
        for split in 0...body.count {
            var parser = MultipartParser(boundary: Self.boundary)
            var events = parser.feed(body[0..<split])
            events += parser.feed(body[split...])
            events += parser.finish()
            var data: [[UInt8]] = []
            for event in events {
                if case .begin = event { data.append([]) }
                if case .data(let bytes) = event { data[data.count - 1] += bytes }
            }
            #expect(data == [Array("x\r\n-y".utf8), Array("z".utf8)], "split at \(split)")
        }
    }

    @Test("a preamble or epilogue with content is a segment of its own; whitespace is not")
    func outsideParts() {
        let quiet = parseMultipart(Self.form([("", Array("a".utf8))], preamble: "\r\n", epilogue: "\r\n"), boundary: Self.boundary, pieceSize: 3)
        #expect(quiet.map(\.name) == ["part 1"])
        let loud = parseMultipart(
            Self.form([("", Array("a".utf8))], preamble: "hidden before\r\n", epilogue: "\r\nhidden after"), boundary: Self.boundary, pieceSize: 4)
        #expect(loud.map(\.name) == ["preamble", "part 1", "epilogue"])
        #expect(loud.first?.data == Array("hidden before".utf8))
        #expect(loud.last?.data == Array("\r\nhidden after".utf8))
    }

    @Test("a body whose boundary never appears is inspected whole, as preamble")
    func wrongBoundary() {
        let body = Array("--other\r\n\r\n机密★10年\r\n--other--\r\n".utf8)
        let segments = parseMultipart(body, boundary: Self.boundary, pieceSize: 7)
        #expect(segments.map(\.name) == ["preamble"])
        #expect(segments.first?.data == body)
    }

    @Test("a body cut off inside a part still yields the part's bytes")
    func truncated() {
        let body = Array("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\npartial data".utf8)
        let segments = parseMultipart(body, boundary: Self.boundary, pieceSize: 5)
        #expect(segments.map(\.name) == ["part 1 (a.txt)"])
        #expect(segments.first?.data == Array("partial data".utf8))
    }

    @Test("the boundary comes from the media type, quoted or not")
    func boundaryParameter() {
        #expect(MIMEParameters(parsing: Array("multipart/form-data; boundary=abc".utf8)).multipartBoundary == "abc")
        #expect(MIMEParameters(parsing: Array("Multipart/Form-Data; charset=utf-8; boundary=\"a;b c\"".utf8)).multipartBoundary == "a;b c")
        #expect(MIMEParameters(parsing: Array("text/plain; boundary=abc".utf8)).multipartBoundary == nil)
        #expect(MIMEParameters(parsing: Array("multipart/form-data".utf8)).multipartBoundary == nil)
        // HTTP reads a boundary literally, as the servers behind a proxy do: no comments,
        // no RFC 2231 value overriding the plain one.
        #expect(MIMEParameters(parsing: Array("multipart/form-data; boundary=(x)REAL".utf8), dialect: .http).multipartBoundary == "(x)REAL")
        #expect(MIMEParameters(parsing: Array("multipart/form-data; boundary=REAL; boundary*=''DECOY".utf8), dialect: .http).multipartBoundary == "REAL")
        #expect(MIMEParameters(parsing: Array("form-data; name=f; filename*=UTF-8''%E6%9C%BA.txt".utf8), dialect: .http)["filename"] == "机.txt")
    }

    @Test("the reader presents each segment as its own source")
    func reader() throws {
        let reader = MultipartReader(MemoryByteSource(Self.sample), boundary: Self.boundary, chunkSize: 13)
        var names: [String] = []
        var bodies: [[UInt8]] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 7, alignment: 1)
        defer { buffer.deallocate() }
        while let segment = try reader.nextSegment() {
            names.append(segment.displayName)
            var source = MultipartSegmentSource(reader)
            var bytes: [UInt8] = []
            while true {
                let count = try source.read(into: buffer)
                if count == 0 { break }
                bytes += buffer[0..<count]
            }
            bodies.append(bytes)
        }
        #expect(names.count == 4)
        #expect(bodies[1] == Self.binary)
        #expect(reader.wasComplete)
    }
}
