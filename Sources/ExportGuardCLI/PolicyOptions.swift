import ArgumentParser
import ExportGuardPolicy

/// `--policy FILE`, shared by the commands that scan.
struct PolicyOptions: ParsableArguments {
    @Option(name: .long, help: "Policy file (YAML); the built-in default policy when omitted.")
    var policy: String?

    /// The policy, or every problem in it on standard error and `ExitCode(failureStatus)`.
    func load(failureStatus: Int32 = ExitStatus.dataError) throws -> Policy {
        guard let policy else { return PolicyLoader.defaultPolicy() }
        do {
            return try PolicyLoader.load(path: policy)
        } catch {
            for problem in error.problems { StandardStreams.error("exportguard: \(problem)") }
            throw ExitCode(failureStatus)
        }
    }
}
