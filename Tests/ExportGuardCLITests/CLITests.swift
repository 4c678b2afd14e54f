import Foundation
import Testing

/// Runs the built `exportguard` binary, as users and CI do.
struct CLI {
    static let binary: URL = {
        // The test bundle and the executable are built into the same directory.
        let tests = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = tests.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("exportguard").path) && directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("exportguard")
    }()

    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Result {
        var status: Int32
        var stdoutData: Data
        var stderr: String
        var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    }

    static func run(_ arguments: [String], stdin: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        // Read both outputs while writing the input, so no pipe fills up and blocks.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        DispatchQueue.global().async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdoutData: outData, stderr: String(decoding: errData, as: UTF8.self))
    }
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("exportguard-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("The exportguard command")
struct CLITests {
    @Test("a file with a secret marking: JSON with block, a state-secret finding, exit 2")
    func jsonBlock() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("memo.txt")
        let text = "会议纪要\n机密★10年\n联系人身份证 110101199003074514\n"
        try text.write(to: file, atomically: true, encoding: .utf8)
        let result = try CLI.run(["scan", "--format", "json", file.path])
        #expect(result.status == 2)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["path"] as? String == file.path)
        #expect(object["verdict"] as? String == "block")
        let score = try #require(object["score"] as? Int)
        #expect((0...100).contains(score))
        let categories = try #require(object["categories"] as? [[String: Any]])
        #expect(categories.contains { $0["category"] as? String == "state-secret" && $0["score"] is Int })
        let findings = try #require(object["findings"] as? [[String: Any]])
        for key in ["category", "detector", "confidence", "location", "excerpt"] {
            #expect(findings.allSatisfy { $0[key] is String }, "finding key \(key)")
        }
        #expect(findings.contains { $0["category"] as? String == "state-secret" && $0["detector"] as? String == "classification-marking" })
        #expect(object["uninspected"] is [Any])
        let decidedBy = try #require(object["decidedBy"] as? [String: Any])
        #expect(decidedBy["kind"] as? String == "rule" && decidedBy["rule"] as? String == "state-secret-marking")
        let regulatory = try #require(object["regulatory"] as? [String: Any])
        #expect(regulatory["band"] as? String == "standard-contract" && regulatory["sensitivePersons"] as? Int == 1)
        let stats = try #require(object["stats"] as? [String: Any])
        #expect(stats["bytes"] as? Int == text.utf8.count)
        #expect(stats["decodedBytes"] as? Int == text.utf8.count)
        #expect(stats["elapsedMs"] is NSNumber)
        #expect(!result.stdout.contains("110101199003074514"))
    }

    @Test("exit status follows the worst verdict across inputs; standard input is '-'")
    func exitStatus() throws {
        #expect(try CLI.run(["scan", "-"], stdin: Data("新产品发布会将于下周举行。".utf8)).status == 0)
        #expect(try CLI.run(["scan", "-"], stdin: Data("61398部队".utf8)).status == 1)
        #expect(try CLI.run(["scan", "--quiet", "-"], stdin: Data("绝密★长期".utf8)).stdout.isEmpty)
        #expect(try CLI.run(["scan", "--quiet", "-"], stdin: Data("绝密★长期".utf8)).status == 2)
    }

    @Test("directories are scanned recursively in a stable order")
    func directories() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("b"), withIntermediateDirectories: true)
        try "x".write(to: dir.appendingPathComponent("b/z.txt"), atomically: true, encoding: .utf8)
        try "x".write(to: dir.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try "x".write(to: dir.appendingPathComponent("c.txt"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["scan", "--format", "json", dir.path])
        let paths = result.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["path"] as? String
        }
        #expect(paths.map { URL(fileURLWithPath: $0).path.replacingOccurrences(of: dir.path + "/", with: "") } == ["a.txt", "b/z.txt", "c.txt"])
    }

    @Test("a missing file: one clear line and exit 66")
    func missingFile() throws {
        let result = try CLI.run(["scan", "/nonexistent/file.txt"])
        #expect(result.status == 66)
        #expect(result.stderr == "exportguard: /nonexistent/file.txt: no such file or directory\n")
    }

    @Test("a bad flag: one clear line and exit 64")
    func badFlag() throws {
        let result = try CLI.run(["scan", "--colour", "x"])
        #expect(result.status == 64)
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test("a malformed policy: every problem with its position and exit 65")
    func malformedPolicy() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("bad.yaml")
        try "name: bad\nthresholds:\n  review: 0\ncategories:\n  spies: {}\n".write(to: policy, atomically: true, encoding: .utf8)
        let result = try CLI.run(["scan", "--policy", policy.path, "-"], stdin: Data())
        #expect(result.status == 65)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.contains("exportguard: \(policy.path):3:11: thresholds.review must be between 1 and 100, not 0"))
        #expect(lines.contains { $0.hasPrefix("exportguard: \(policy.path):5:3: unknown category 'spies'") })
    }

    @Test("every sample gets the verdict and categories its manifest expects")
    func samples() throws {
        let samples = CLI.packageRoot.appendingPathComponent("Samples")
        let manifest = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("samples-manifest.tsv"), encoding: .utf8)
        let rows = manifest.split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
        #expect(rows.count >= 12)
        // Every file in Samples/ is in the manifest, so the README's scan shows only known verdicts.
        let files = try FileManager.default.contentsOfDirectory(atPath: samples.path).sorted()
        #expect(files == rows.map { $0[0] }.sorted())
        for row in rows {
            let result = try CLI.run(["scan", "--format", "json", samples.appendingPathComponent(row[0]).path])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(row[0])")
            #expect(object["verdict"] as? String == row[1], "\(row[0])")
            let categories = Set(((object["categories"] as? [[String: Any]]) ?? []).compactMap { $0["category"] as? String })
            for expected in row[2].split(separator: ",") where expected != "-" {
                #expect(categories.contains(String(expected)), "\(row[0]) should show \(expected)")
            }
        }
    }
}

@Suite("The policy command")
struct PolicyCommandTests {
    @Test("policy check accepts the shipped policies and rejects a broken one with positions")
    func check() throws {
        let good = try CLI.run(["policy", "check", "Policies/default.yaml", "Policies/example-firm.yaml"])
        #expect(good.status == 0)
        #expect(good.stdout.hasPrefix("Policies/default.yaml: ok — policy 'default', 9 categories"))
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.yaml")
        try "name: bad\nuninspectable: maybe\n".write(to: bad, atomically: true, encoding: .utf8)
        let result = try CLI.run(["policy", "check", bad.path])
        #expect(result.status == 65)
        #expect(result.stderr == "exportguard: \(bad.path):2:16: uninspectable must be allow, review or block, not 'maybe'\n")
    }

    @Test("policy check rejects a misspelt tag with its line, column and the known tags (exit 65)")
    func misspeltTag() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("typo.yaml")
        try """
            extends: default
            name: typo
            rules:
              - { id: marked, category: state-secret, detector: classification-marking, require-tags: [perod], verdict: block }
            """.write(to: policy, atomically: true, encoding: .utf8)
        let result = try CLI.run(["policy", "check", policy.path])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("exportguard: \(policy.path):4:"), "\(result.stderr)")
        #expect(result.stderr.contains("unknown tag 'perod' in require-tags for classification-marking (known: condition, confidential, default-period, exam-condition, hotword, paragraph-mark, period, secret, top-secret)"), "\(result.stderr)")
    }

    @Test("policy show prints the effective policy, which checks clean")
    func show() throws {
        let shown = try CLI.run(["policy", "show", "--policy", "Policies/example-firm.yaml", "--category", "export-control"])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("name: \"acme-trading\""))
        #expect(shown.stdout.contains("\"Project Falcon\""))
        #expect(!shown.stdout.contains("  military:"))
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("effective.yaml")
        try CLI.run(["policy", "show"]).stdout.write(to: file, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["policy", "check", file.path]).status == 0)
        #expect(try CLI.run(["policy", "show", "--category", "spies"]).status == 64)
    }
}

@Suite("Limits on the command line")
struct LimitFlagTests {
    @Test("--max-decoded-bytes cuts inspection short and the part is reported, never allowed")
    func decodedLimit() throws {
        let text = String(repeating: "普通的文字内容。", count: 2000)
        let result = try CLI.run(["scan", "--format", "json", "--max-decoded-bytes", "1KiB", "-"], stdin: Data(text.utf8))
        #expect(result.status == 1)
        #expect(result.stdout.contains("limit exceeded: more than 1024 bytes decoded or unpacked from the input"))
        #expect(try CLI.run(["scan", "--max-depth", "0", "-"], stdin: Data()).status == 64)
    }
}
