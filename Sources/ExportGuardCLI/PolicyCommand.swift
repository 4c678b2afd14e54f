import ArgumentParser
import ExportGuardCore
import ExportGuardPolicy

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check policy files and show the effective policy.",
        subcommands: [Check.self, Show.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate policy files: every problem with file:line:column; exit 65 if any.")

        @Argument(help: "Policy files (YAML).")
        var files: [String]

        func validate() throws {
            if files.isEmpty { throw ValidationError("give at least one policy file") }
        }

        func run() throws {
            var failed = false
            for file in files {
                do {
                    let policy = try PolicyLoader.load(path: file)
                    let keywords = policy.categories.reduce(0) { $0 + $1.keywords.count }
                    StandardStreams.out("\(file): ok — policy '\(policy.name)', \(policy.categories.count) categories, \(keywords) keywords, \(policy.rules.count) rules")
                } catch {
                    failed = true
                    for problem in error.problems { StandardStreams.error("exportguard: \(problem)") }
                }
            }
            if failed { throw ExitCode(ExitStatus.dataError) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the effective policy (after extends) as YAML.")

        @OptionGroup var policyOptions: PolicyOptions

        @Option(name: .long, help: "Show only this category (and its rules).")
        var category: String?

        func run() throws {
            let loaded = try policyOptions.load()
            var only: Set<CategoryID>?
            if let category {
                guard CategoryID.builtIn.contains(CategoryID(category)) else {
                    StandardStreams.error("exportguard: unknown category '\(category)' (known: \(CategoryID.builtIn.map(\.rawValue).joined(separator: ", ")))")
                    throw ExitCode(ExitStatus.usage)
                }
                only = [CategoryID(category)]
            }
            StandardStreams.out(PolicyWriter.yaml(loaded, categories: only), terminator: "")
        }
    }
}
