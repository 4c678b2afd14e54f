import ArgumentParser

@main
struct ExportGuardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exportguard",
        abstract: "Classifies outbound data against national-security transfer categories: allow, review or block.",
        version: "0.1.0",
        subcommands: [ScanCommand.self, FilterCommand.self, PolicyCommand.self, ServeCommand.self, TextCommand.self]
    )

    /// Parses and runs, turning usage mistakes into one clear line and exit status 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let status = exitCode(for: error)
            if status == .success || error is ExitCode {
                exit(withError: error)
            }
            if status.rawValue == ExitCode.validationFailure.rawValue || error is ValidationError {
                let message = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "invalid usage"
                StandardStreams.error("exportguard: \(message.replacingPrefix("Error: ", with: "")) (see 'exportguard --help')")
                exit(withError: ExitCode(ExitStatus.usage))
            }
            StandardStreams.error("exportguard: internal error: \(error)")
            exit(withError: ExitCode(ExitStatus.software))
        }
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
