import Foundation
import ArgumentParser
import ExportGuardCore
import ExportGuardInspection
import ExportGuardPolicy
import ExportGuardReporting
import ExportGuardScanning

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan files, directories or standard input and print a verdict for each.",
        discussion: """
            Exit status: 0 when every input is allowed, 1 when the worst verdict is review, \
            2 when it is block; 64 usage, 65 bad policy, 66 missing or unreadable input, \
            70 internal error, 74 I/O error.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @OptionGroup var policyOptions: PolicyOptions

    @Option(name: .long, help: "Output format: text (for people) or json (one object per line).")
    var format: Format = .text

    @Flag(name: .long, help: "Print nothing; answer with the exit status only.")
    var quiet = false

    @Flag(name: .long, help: "In text format, print every category, its findings and what decided the verdict.")
    var explain = false

    @Flag(name: .long, help: "Stop reading an input once its verdict is block and can no longer change (its report then lists the findings up to there).")
    var firstBlock = false

    @Option(name: .long, help: "Threads to use (default: one per core this process may use): inputs side by side, reported in their order; a lone input matches on one thread while it is decoded on another.")
    var jobs: Int?

    @OptionGroup var limits: LimitOptions

    @Argument(help: "Files or directories to scan; - reads standard input.")
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one file, directory or - for standard input") }
        if let jobs, !(1...256).contains(jobs) { throw ValidationError("--jobs must be between 1 and 256") }
    }

    func run() throws {
        let loaded = try policyOptions.load()
        let scanner = ContentScanner(compiled: CompiledPolicy(loaded), overrides: try limits.settings())
        let write: ReportOutput = { StandardStreams.out($0, terminator: "") }
        var reporter: any Reporter =
            switch (quiet, format) {
            case (true, _): SilentReporter()
            case (false, .json): JSONReporter(output: write)
            case (false, .text): TextReporter(colour: StandardStreams.outputIsTerminal, explain: explain, output: write)
            }

        var summary = ScanSummary()
        var failure: Int32?
        let inputs = InputCollector.expand(paths)
        let stopAtBlock = firstBlock
        // Standard input named twice is read once, then found empty: in order, on one thread.
        let jobs = inputs.filter({ $0 == .standardInput }).count > 1 ? 1 : self.jobs ?? ProcessorCores.available
        // Cores the inputs leave idle go to matching beside decoding, input by input.
        let pipelined = jobs > inputs.count
        let scanOne: @Sendable (Int) -> Outcome = { Self.scan(inputs[$0], with: scanner, stopAtBlock: stopAtBlock, pipelined: pipelined) }
        let deliver = { (outcome: Outcome) in
            switch outcome {
            case .report(let report):
                summary.add(report)
                reporter.report(report)
            case .failed(let message, let status):
                StandardStreams.error("exportguard: \(message)")
                failure = failure ?? status
                summary.failures += 1
            }
        }
        reporter.begin()
        if jobs <= 1 || inputs.count <= 1 {
            for index in inputs.indices { deliver(scanOne(index)) }
        } else {
            ParallelScan(count: inputs.count, jobs: jobs, job: scanOne).forEachInOrder { deliver($1) }
        }
        reporter.finish(summary)
        if let failure { throw ExitCode(failure) }
        let status = ExitStatus.forVerdict(summary.worst)
        if status != 0 { throw ExitCode(status) }
    }
}

extension ScanCommand {
    /// What scanning one input came to: its report, or why there is none.
    enum Outcome: Sendable {
        case report(ScanReport)
        case failed(String, status: Int32)
    }

    static func scan(_ input: InputCollector.Input, with scanner: ContentScanner, stopAtBlock: Bool, pipelined: Bool) -> Outcome {
        do {
            switch input {
            case .standardInput:
                var source = FileByteSource(descriptor: 0, name: "-")
                return .report(try scanner.scan(&source, name: "-", stopAtBlock: stopAtBlock, pipelined: pipelined))
            case .file(let path):
                return .report(try scanner.scan(path: path, stopAtBlock: stopAtBlock, pipelined: pipelined))
            case .missing(let path, let reason):
                return .failed("\(path): \(reason)", status: ExitStatus.noInput)
            }
        } catch {
            switch error {
            case .cannotOpen: return .failed("\(error)", status: ExitStatus.noInput)
            case .readFailed: return .failed("\(error)", status: ExitStatus.ioError)
            }
        }
    }
}

/// Prints nothing (`--quiet`): the exit status answers.
struct SilentReporter: Reporter {
    func begin() {}
    func report(_ report: ScanReport) {}
    func finish(_ summary: ScanSummary) {}
}
