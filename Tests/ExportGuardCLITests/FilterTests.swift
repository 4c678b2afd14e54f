import Foundation
import Testing

@Suite("exportguard filter")
struct FilterTests {
    static let message = Array("From: a@example.com\r\nTo: b@example.com\r\nSubject: hello\r\n\r\nQuarterly numbers attached.\r\n\u{00}\u{FF}\u{80} binary tail without newline".utf8)

    func sha256(_ bytes: [UInt8]) throws -> String {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("x")
        try Data(bytes).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }

    @Test("an allowed message leaves byte for byte: CRLF, 8-bit bytes, no trailing newline", arguments: [16 << 20, 8])
    func allowIsByteExact(spoolMemory: Int) throws {
        let result = try CLI.run(["filter", "--spool-memory", String(spoolMemory)], stdin: Data(Self.message))
        #expect(result.status == 0)
        #expect(try sha256(Array(result.stdoutData)) == sha256(Self.message))
    }

    @Test("an allowed message is piped unchanged into the command after --")
    func allowIntoCommand() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("delivered")
        let result = try CLI.run(["filter", "--", "/bin/sh", "-c", "cat > '\(out.path)'"], stdin: Data(Self.message))
        #expect(result.status == 0)
        #expect(Array(try Data(contentsOf: out)) == Self.message)
        // A failing command's status is passed back, so Postfix sees the failure.
        #expect(try CLI.run(["filter", "--", "/bin/sh", "-c", "cat >/dev/null; exit 73"], stdin: Data(Self.message)).status == 73)
    }

    @Test("block: nothing passed on, a short reason without excerpts, exit 69")
    func block() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("delivered")
        let body = "Subject: x\n\n机密★10年 联系人身份证 110101199003074514\n"
        let result = try CLI.run(["filter", "--", "/bin/sh", "-c", "cat > '\(out.path)'"], stdin: Data(body.utf8))
        #expect(result.status == 69)
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(result.stdout.hasPrefix("ExportGuard refused this content (reference EG-"))
        #expect(result.stdout.contains("state-secret"))
        #expect(!result.stdout.contains("机密★") && !result.stdout.contains("110101"))
    }

    @Test("review passes with X-ExportGuard headers in the message's own line ending")
    func reviewHeaders() throws {
        let crlf = "From: a@example.com\r\nSubject: x\r\n\r\n驻地61398部队\r\n"
        let result = try CLI.run(["filter"], stdin: Data(crlf.utf8))
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("X-ExportGuard-Verdict: review\r\nX-ExportGuard-Score: "))
        #expect(result.stdout.hasSuffix(crlf))
    }

    @Test("review with --review hold keeps message and verdict in the quarantine, mode 0600, and passes nothing")
    func reviewHold() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let body = "Subject: x\n\n驻地61398部队\n"
        let result = try CLI.run(["filter", "--review", "hold", "--quarantine", dir.path], stdin: Data(body.utf8))
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(files.count == 2)
        let message = try #require(files.first { $0.hasSuffix(".eml") })
        #expect(try Data(contentsOf: dir.appendingPathComponent(message)) == Data(body.utf8))
        for file in files {
            let mode = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(file).path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file)")
        }
        let verdict = try String(contentsOf: dir.appendingPathComponent(try #require(files.first { $0.hasSuffix(".json") })), encoding: .utf8)
        #expect(verdict.contains("\"verdict\":\"review\""))
        #expect(try CLI.run(["filter", "--review", "hold"], stdin: Data()).status == 64)
    }

    @Test("the policy's review-action decides when --review is not given")
    func reviewActionFromPolicy() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("hold.yaml")
        try "extends: default\nname: hold\nreview-action: hold\n".write(to: policy, atomically: true, encoding: .utf8)
        let quarantine = dir.appendingPathComponent("q")
        try FileManager.default.createDirectory(at: quarantine, withIntermediateDirectories: true)
        let result = try CLI.run(["filter", "--policy", policy.path, "--quarantine", quarantine.path], stdin: Data("Subject: x\n\n驻地61398部队\n".utf8))
        #expect(result.status == 0 && result.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: quarantine.path).count == 2)
        // Without a quarantine directory, holding is a usage error, before anything is read.
        #expect(try CLI.run(["filter", "--policy", policy.path], stdin: Data()).status == 64)
    }

    @Test("content blocked only because it cannot be inspected defers (75); the verdict JSON goes to the given file")
    func uninspectableDefers() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("strict.yaml")
        try "extends: default\nname: strict\nuninspectable: block\n".write(to: policy, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("verdicts.jsonl")
        let result = try CLI.run(["filter", "--policy", policy.path, "--json-output", log.path], stdin: Data([0, 1, 2, 3, 4, 5, 0, 0, 0, 0]))
        #expect(result.status == 75)
        let line = try String(contentsOf: log, encoding: .utf8)
        #expect(line.contains("\"verdict\":\"block\""))
        #expect(line.contains("\"reference\":\"EG-"))
    }
}
