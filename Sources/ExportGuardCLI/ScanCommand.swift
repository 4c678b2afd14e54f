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

    @OptionGroup var limits: LimitOptions

    @Argument(help: "Files or directories to scan; - reads standard input.")
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one file, directory or - for standard input") }
    }

    func run() throws {
        let loaded = try policyOptions.load()
        let scanner = ContentScanner(compiled: CompiledPolicy(loaded), overrides: try limits.settings())
        let reporter = TextReporter(colour: StandardStreams.outputIsTerminal, explain: explain)

        var worst = Verdict.allow
        var failure: Int32?
        for input in InputCollector.expand(paths) {
            let report: ScanReport
            do {
                switch input {
                case .standardInput:
                    var source = FileByteSource(descriptor: 0, name: "-")
                    report = try scanner.scan(&source, name: "-")
                case .file(let path):
                    report = try scanner.scan(path: path)
                case .missing(let path, let reason):
                    StandardStreams.error("exportguard: \(path): \(reason)")
                    failure = failure ?? ExitStatus.noInput
                    continue
                }
            } catch {
                StandardStreams.error("exportguard: \(error)")
                switch error {
                case .cannotOpen: failure = failure ?? ExitStatus.noInput
                case .readFailed: failure = failure ?? ExitStatus.ioError
                }
                continue
            }
            worst = max(worst, report.verdict)
            guard !quiet else { continue }
            switch format {
            case .json: StandardStreams.out(JSONReporter.line(for: report))
            case .text: StandardStreams.out(reporter.render(report))
            }
        }
        if let failure { throw ExitCode(failure) }
        let status = ExitStatus.forVerdict(worst)
        if status != 0 { throw ExitCode(status) }
    }
}
