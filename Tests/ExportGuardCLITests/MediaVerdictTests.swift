import Foundation
import Testing

/// Runs a shell command in `directory`; fails the test when it fails.
@discardableResult
func shell(_ command: String, in directory: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    process.currentDirectoryURL = directory
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(command)", sourceLocation: sourceLocation)
    return String(decoding: data, as: UTF8.self)
}

/// Writes a PNG with an optional iTXt chunk, chunk by chunk with Python's zlib (CRCs and all).
let pngWriter = """
    import struct, sys, zlib
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))
    text = sys.argv[2].encode()
    extra = chunk(b'iTXt', b'Comment\\0\\0\\0\\0\\0' + text) if text else b''
    png = b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 0, 0, 0, 0)) + extra \\
        + chunk(b'IDAT', zlib.compress(b'\\0\\0')) + chunk(b'IEND', b'')
    open(sys.argv[1], 'wb').write(png)
    """

@Suite("Images in verdicts: parsed, their metadata scanned, the policy's media setting decides")
struct MediaVerdictTests {
    func json(_ result: CLI.Result) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    @Test("a PNG signature followed by scrambled text inside a zip is reviewed as corrupt, not allowed")
    func scrambledNestedImage() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try shell("python3 -c \"import sys; t='机密★10年 绝密文件'.encode()*100; sys.stdout.buffer.write(b'\\\\x89PNG\\\\r\\\\n\\\\x1a\\\\n'+bytes(b^0x5A for b in t))\" > photo.png && zip -q a.zip photo.png", in: dir)
        let result = try CLI.run(["scan", "--format", "json", dir.appendingPathComponent("a.zip").path])
        #expect(result.status == 1)
        let uninspected = try json(result)["uninspected"] as? [[String: Any]] ?? []
        #expect(uninspected.map { $0["code"] as? String } == ["corrupt"])
        #expect((uninspected.first?["location"] as? String)?.hasSuffix("a.zip!photo.png") == true)
    }

    @Test("a valid PNG whose iTXt carries a marking blocks, with the chunk in the location")
    func markingInMetadata() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try pngWriter.write(to: dir.appendingPathComponent("w.py"), atomically: true, encoding: .utf8)
        try shell("python3 w.py photo.png '机密★10年' && zip -q a.zip photo.png", in: dir)
        let result = try CLI.run(["scan", "--format", "json", dir.appendingPathComponent("a.zip").path])
        #expect(result.status == 2, "\(result.stdout)")
        let findings = try json(result)["findings"] as? [[String: Any]] ?? []
        #expect(findings.contains { ($0["location"] as? String)?.hasSuffix("a.zip!photo.png#iTXt:Comment") == true }, "\(findings)")
    }

    @Test("pictures without text in a document are allowed; a picture on its own is reviewed unless the policy says otherwise")
    func mediaSetting() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try pngWriter.write(to: dir.appendingPathComponent("w.py"), atomically: true, encoding: .utf8)
        try shell("""
            mkdir -p doc/word/media && python3 w.py doc/word/media/image1.png '' \
            && convert -size 8x8 xc:white doc/word/media/image2.jpeg \
            && printf '<w:document xmlns:w="urn:w"><w:body><w:p>季度报告</w:p></w:body></w:document>' > doc/word/document.xml \
            && (cd doc && zip -q -r ../report.docx .) && cp doc/word/media/image1.png alone.png
            """, in: dir)
        let document = try CLI.run(["scan", "--format", "json", dir.appendingPathComponent("report.docx").path])
        #expect(document.status == 0, "\(document.stdout)")
        #expect((try json(document)["media"] as? [[String: Any]])?.count == 2)

        let alone = try CLI.run(["scan", "--format", "json", dir.appendingPathComponent("alone.png").path])
        #expect(alone.status == 1)
        let decided = try json(alone)["decidedBy"] as? [String: Any]
        #expect(decided?["kind"] as? String == "media")

        try "extends: default\nname: pictures allowed\nmedia: { top-level: allow }\n".write(to: dir.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let allowed = try CLI.run(["scan", "--policy", dir.appendingPathComponent("p.yaml").path, dir.appendingPathComponent("alone.png").path])
        #expect(allowed.status == 0, "\(allowed.stdout)\(allowed.stderr)")
    }
}

@Suite("Policy limits on the command line")
struct PolicyLimitTests {
    @Test("scan --policy with max-decoded-bytes 1KiB reports a 10 KiB text as limit-exceeded, like POST /v1/scan")
    func policyLimits() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "extends: default\nname: small\nlimits: { max-decoded-bytes: 1KiB }\n".write(to: dir.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        try String(repeating: "季度报告 quarterly figures\n", count: 340).write(to: dir.appendingPathComponent("report.txt"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["scan", "--format", "json", "--policy", dir.appendingPathComponent("p.yaml").path, dir.appendingPathComponent("report.txt").path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\"code\":\"limit-exceeded\""), "\(result.stdout)")
    }
}
