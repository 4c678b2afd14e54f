import ExportGuardCore
import ExportGuardInspection
import ExportGuardPolicy
import ExportGuardReporting
import Foundation
import Testing
@testable import ExportGuardScanning

@Suite("A sink that can stop, and the reporter lifecycle")
struct StopAndReportTests {
    static let compiled = CompiledPolicy.makeDefault()
    /// A marking at the start, then 4 MiB of ordinary text.
    static let markedThenLong = Array(("机密★10年\n" + String(repeating: "季度报告 quarterly figures, nothing more.\n", count: 100_000)).utf8)

    @Test("with stopAtBlock the scan stops once the block is final; without it the whole input is read")
    func stopsAtFinalBlock() {
        let scanner = ContentScanner(compiled: Self.compiled)
        var stopping = MemoryByteSource(Self.markedThenLong)
        let stopped = try! scanner.scan(&stopping, name: "memo.txt", stopAtBlock: true)
        #expect(stopped.verdict == .block)
        #expect(stopped.stats.stoppedAtBlock)
        #expect(stopped.stats.decodedBytes < Self.markedThenLong.count / 4, "\(stopped.stats.decodedBytes)")
        #expect(stopped.assessment.uninspected.isEmpty, "a stream cut short by the sink is not damage")

        let whole = scanner.scan(bytes: Self.markedThenLong, name: "memo.txt")
        #expect(whole.verdict == .block)
        #expect(!whole.stats.stoppedAtBlock)
        #expect(whole.stats.decodedBytes == Self.markedThenLong.count)
    }

    @Test("draining reads the source to its end after the stop; review never stops a scan")
    func drainAndReview() throws {
        let scanner = ContentScanner(compiled: Self.compiled)
        var source = MemoryByteSource(Self.markedThenLong)
        let drained = try scanner.scan(&source, name: "memo.txt", stopAtBlock: true, drain: true)
        #expect(drained.stats.stoppedAtBlock)
        #expect(drained.stats.bytes == Self.markedThenLong.count)
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(try buffer.withUnsafeMutableBytes { try source.read(into: $0) } == 0)

        // A review verdict can still become block: never a reason to stop.
        let reviewed = Array(("两用物项 出口管制\n" + String(repeating: "正文\n", count: 200_000)).utf8)
        var reviewSource = MemoryByteSource(reviewed)
        let report = try scanner.scan(&reviewSource, name: "note.txt", stopAtBlock: true)
        #expect(!report.stats.stoppedAtBlock)
        #expect(report.stats.decodedBytes == reviewed.count)
    }

    @Test("a stopped zip stream is not reported as truncated", arguments: [false, true])
    func stoppedArchive(seekable: Bool) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eg-stop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(Self.markedThenLong).write(to: directory.appendingPathComponent("a.txt"))
        try Data(Self.markedThenLong.suffix(100_000)).write(to: directory.appendingPathComponent("b.txt"))
        let zip = Process()
        zip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        zip.arguments = ["zip", "-q", "-0", "a.zip", "a.txt", "b.txt"]
        zip.currentDirectoryURL = directory
        try zip.run()
        zip.waitUntilExit()
        let path = directory.appendingPathComponent("a.zip").path
        let scanner = ContentScanner(compiled: Self.compiled)
        let report: ScanReport
        if seekable {
            report = try scanner.scan(path: path, stopAtBlock: true)
        } else {
            var source = MemoryByteSource(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
            report = try scanner.scan(&source, name: "a.zip", stopAtBlock: true)
        }
        #expect(report.verdict == .block)
        #expect(report.stats.stoppedAtBlock)
        #expect(report.assessment.uninspected.isEmpty, "\(report.assessment.uninspected)")
    }

    @Test("reporters: begin, one report per input, finish with totals; findings carry a stable rule id")
    func reporterLifecycle() {
        let scanner = ContentScanner(compiled: Self.compiled)
        let reports = [scanner.scan(bytes: Array("机密★10年".utf8), name: "a.txt"), scanner.scan(bytes: Array("hello".utf8), name: "b.txt")]
        var text = ""
        var json = ""
        var reporters: [any Reporter] = [
            TextReporter(colour: false, output: { text += $0 }),
            JSONReporter(output: { json += $0 }),
        ]
        var summary = ScanSummary()
        for index in reporters.indices { reporters[index].begin() }
        for report in reports {
            summary.add(report)
            for index in reporters.indices { reporters[index].report(report) }
        }
        for index in reporters.indices { reporters[index].finish(summary) }
        #expect(text.hasPrefix("BLOCK  a.txt"))
        #expect(text.hasSuffix("2 input(s): 1 block, 0 review, 1 allow\n"))
        let lines = json.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains("\"rule\":\"state-secret/classification-marking\""))
        #expect(summary.worst == .block)
    }
}
