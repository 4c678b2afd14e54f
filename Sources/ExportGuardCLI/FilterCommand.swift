import ArgumentParser
import ExportGuardCore
import ExportGuardGateway
import ExportGuardInspection
import ExportGuardPolicy
import ExportGuardReporting
import ExportGuardScanning
import Glibc

struct FilterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter",
        abstract: "Filter one message (or any content) from standard input, as a Postfix content filter.",
        discussion: """
            allow: the input, byte for byte, goes to standard output or into the command after --. \
            review: passed with X-ExportGuard-* headers, or held in --quarantine (see --review). \
            block: nothing is passed on; a short reason (categories, reference) is printed and the exit \
            status is 69 (Postfix bounces). Internal failures, and blocks only because content could not \
            be inspected, exit 75 (Postfix retries later).
            """
    )

    @OptionGroup var policyOptions: PolicyOptions

    @Option(name: .long, help: "What review does: pass (with X-ExportGuard-* headers), hold (quarantine) or block (bounce); default: the policy's review-action.")
    var review: String?

    @Option(name: .long, help: "Directory for held messages and their verdicts (files are mode 0600).")
    var quarantine: String?

    @Option(name: .long, help: "Write the verdict JSON here: a path, or fd:N for an open descriptor.")
    var jsonOutput: String?

    @Option(name: .long, help: "Bytes of a message kept in memory before the spool moves to a private temporary file.")
    var spoolMemory: Int = 16 << 20

    @OptionGroup var limits: LimitOptions

    @Argument(parsing: .postTerminator, help: "Command that receives passed messages on its standard input (e.g. /usr/sbin/sendmail -G -i -f SENDER -- RECIPIENTS).")
    var command: [String] = []

    func validate() throws {
        if let review, ReviewAction(setting: review) == nil {
            throw ValidationError("--review must be \(ReviewAction.settings)")
        }
    }

    func run() throws {
        // A broken policy is an operator error: defer rather than bounce mail.
        let compiled = CompiledPolicy(try policyOptions.load(failureStatus: GatewayDecision.exitTemporaryFailure))
        let gateway = Gateway(compiled: compiled, limits: try limits.settings(), review: review.flatMap(ReviewAction.init(setting:)))
        if gateway.review == .hold && quarantine == nil {
            StandardStreams.error("exportguard: holding messages for review needs --quarantine DIR")
            throw ExitCode(ExitStatus.usage)
        }
        let spool = MessageSpool(memoryLimit: spoolMemory)
        let outcome = gateway.scan(FileByteSource(descriptor: 0, name: "-"), name: "message", spool: spool)
        if let failure = outcome.failure {
            StandardStreams.error("exportguard: \(failure)")
            throw ExitCode(GatewayDecision.exitTemporaryFailure)
        }
        if let spoolError = outcome.spoolFailure {
            StandardStreams.error("exportguard: \(spoolError)")
            throw ExitCode(GatewayDecision.exitTemporaryFailure)
        }
        guard let report = outcome.reports.first else { throw ExitCode(GatewayDecision.exitTemporaryFailure) }
        let json = JSONReporter.line(for: report, reference: outcome.reference)
        if let jsonOutput { try writeJSON(json, to: jsonOutput) }

        switch outcome.decision {
        case .pass:
            try passOn(spool, headers: nil)
        case .passWithHeaders:
            let head = spool.prefix(4096)
            let headers = HeaderInsertion.startsWithHeader(head)
                ? HeaderInsertion.lines(verdict: report.verdict.rawValue, score: report.assessment.score, reference: outcome.reference, crlf: HeaderInsertion.usesCRLF(head))
                : nil
            try passOn(spool, headers: headers)
        case .hold:
            try hold(spool, json: json, reference: outcome.reference)
        case .reject:
            StandardStreams.out(BlockReason.text(for: report.assessment, reference: outcome.reference))
            throw ExitCode(GatewayDecision.exitUnavailable)
        case .deferDelivery:
            StandardStreams.out(BlockReason.text(for: report.assessment, reference: outcome.reference))
            throw ExitCode(GatewayDecision.exitTemporaryFailure)
        }
    }

    /// Writes the message (after any added headers) to standard output or the command.
    private func passOn(_ spool: MessageSpool, headers: [UInt8]?) throws {
        do {
            if command.isEmpty {
                if let headers { try writeAll(1, headers) }
                try spool.replay(to: 1)
                return
            }
            let pipe = try CommandPipe(command)
            var failure: MessageSpool.SpoolError?
            do {
                if let headers { try writeAll(pipe.input, headers) }
                try spool.replay(to: pipe.input)
            } catch {
                failure = error
            }
            let status = pipe.finish()
            if let failure {
                StandardStreams.error("exportguard: passing the message on failed: \(failure)")
                throw ExitCode(GatewayDecision.exitTemporaryFailure)
            }
            if status != 0 {
                StandardStreams.error("exportguard: \(command[0]) exited with status \(status)")
                throw ExitCode(status)
            }
        } catch let error as MessageSpool.SpoolError {
            StandardStreams.error("exportguard: \(error)")
            throw ExitCode(GatewayDecision.exitTemporaryFailure)
        } catch let error as CommandPipe.LaunchError {
            StandardStreams.error("exportguard: \(error)")
            throw ExitCode(GatewayDecision.exitTemporaryFailure)
        }
    }

    private func hold(_ spool: MessageSpool, json: String, reference: String) throws {
        do {
            try Quarantine(directory: quarantine!).hold(spool, verdictJSON: json, reference: reference)
            StandardStreams.error("exportguard: held for review as \(reference)")
        } catch {
            StandardStreams.error("exportguard: cannot quarantine the message: \(error)")
            throw ExitCode(GatewayDecision.exitTemporaryFailure)
        }
    }

    private func writeJSON(_ json: String, to target: String) throws {
        do {
            try VerdictLog.append(json, to: target)
        } catch {
            StandardStreams.error("exportguard: cannot write the verdict JSON: \(error)")
            throw ExitCode(GatewayDecision.exitTemporaryFailure)
        }
    }
}
