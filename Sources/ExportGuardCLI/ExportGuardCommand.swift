import ArgumentParser

@main
struct ExportGuardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exportguard",
        abstract: "Classifies outbound data against national-security transfer categories: allow, review or block.",
        version: "0.1.0",
        subcommands: [ScanCommand.self]
    )
}
