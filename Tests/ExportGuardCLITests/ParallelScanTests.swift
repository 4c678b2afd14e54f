import Foundation
import Testing

@Suite("scan --jobs: directories on every core, reports in the same order")
struct ParallelScanTests {
    /// Forty inputs of different kinds and speeds (a gzip, a marking, a broken zip, plain
    /// text, a large allow), some of them blocks, so workers finish out of order.
    private func makeTree() throws -> URL {
        let dir = try temporaryDirectory()
        for k in 0..<40 {
            let name = String(format: "f%02d", k)
            switch k % 5 {
            case 0:
                try Data("会议纪要 \(k)：绝密★长期\n".utf8).write(to: dir.appendingPathComponent("\(name).txt"))
            case 1:
                let plain = dir.appendingPathComponent("\(name).log")
                try Data(String(repeating: "ordinary line \(k) of a log\n", count: 20_000).utf8).write(to: plain)
            case 2:
                let text = dir.appendingPathComponent("\(name).txt")
                try Data("内部资料 不得外传 国发〔2023〕5号 \(k)\n".utf8).write(to: text)
                let gzip = Process()
                gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
                gzip.arguments = [text.path]
                try gzip.run()
                gzip.waitUntilExit()
                #expect(gzip.terminationStatus == 0)
            case 3:
                try Data("PK\u{3}\u{4}broken".utf8).write(to: dir.appendingPathComponent("\(name).zip"))
            default:
                try Data("hello \(k)\n".utf8).write(to: dir.appendingPathComponent("\(name).md"))
            }
        }
        return dir
    }

    @Test("text and JSON reports, errors and the exit status are those of --jobs 1")
    func sameAsOneJob() throws {
        let dir = try makeTree()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("missing.txt").path
        let serial = try CLI.run(["scan", "--jobs", "1", dir.path, missing])
        #expect(serial.status == 66)
        #expect(serial.stdout.contains("BLOCK"))
        #expect(serial.stdout.contains("40 input(s)"))
        for jobs in ["2", "5"] {
            let parallel = try CLI.run(["scan", "--jobs", jobs, dir.path, missing])
            #expect(parallel.stdout == serial.stdout)
            #expect(parallel.stderr == serial.stderr)
            #expect(parallel.status == serial.status)
        }
        // JSON carries each scan's time: compare paths and verdicts, in order.
        func verdicts(_ output: String) throws -> [String] {
            try output.split(separator: "\n").compactMap { line in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                guard let path = object?["path"] as? String, let verdict = object?["verdict"] as? String else { return nil }
                return "\(path) \(verdict)"
            }
        }
        let serialJSON = try verdicts(try CLI.run(["scan", "--format", "json", "--jobs", "1", dir.path]).stdout)
        #expect(serialJSON.count == 40)
        #expect(try verdicts(try CLI.run(["scan", "--format", "json", "--jobs", "3", dir.path]).stdout) == serialJSON)
    }

    @Test("standard input named twice is read once, then found empty, as with --jobs 1")
    func standardInputTwice() throws {
        let serial = try CLI.run(["scan", "--jobs", "1", "-", "-"], stdin: Data("绝密★长期\n".utf8))
        let parallel = try CLI.run(["scan", "--jobs", "4", "-", "-"], stdin: Data("绝密★长期\n".utf8))
        #expect(serial.stdout.hasPrefix("BLOCK"))
        #expect(serial.stdout.contains("ALLOW  -"))
        #expect(parallel.stdout == serial.stdout)
        #expect(parallel.status == 2)
    }

    @Test("--jobs outside 1…256 is a usage error")
    func badJobs() throws {
        for value in ["0", "-2", "1000"] {
            let result = try CLI.run(["scan", "--jobs", value, "Samples"])
            #expect(result.status == 64)
            #expect(result.stderr.contains("--jobs"))
        }
    }
}
