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

    @OptionGroup var limits: LimitOptions

    @Argument(help: "Files or directories to scan; - reads standard input.")
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one file, directory or - for standard input") }
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
        reporter.begin()
        for input in InputCollector.expand(paths) {
            let report: ScanReport
            do {
                switch input {
                case .standardInput:
                    var source = FileByteSource(descriptor: 0, name: "-")
                    report = try scanner.scan(&source, name: "-", stopAtBlock: firstBlock)
                case .file(let path):
                    report = try scanner.scan(path: path, stopAtBlock: firstBlock)
                case .missing(let path, let reason):
                    StandardStreams.error("exportguard: \(path): \(reason)")
                    failure = failure ?? ExitStatus.noInput
                    summary.failures += 1
                    continue
                }
            } catch {
                StandardStreams.error("exportguard: \(error)")
                switch error {
                case .cannotOpen: failure = failure ?? ExitStatus.noInput
                case .readFailed: failure = failure ?? ExitStatus.ioError
                }
                summary.failures += 1
                continue
            }
            summary.add(report)
            reporter.report(report)
        }
        reporter.finish(summary)
        if let failure { throw ExitCode(failure) }
        let status = ExitStatus.forVerdict(summary.worst)
        if status != 0 { throw ExitCode(status) }
    }
}

/// Prints nothing (`--quiet`): the exit status answers.
struct SilentReporter: Reporter {
    func begin() {}
    func report(_ report: ScanReport) {}
    func finish(_ summary: ScanSummary) {}
}
