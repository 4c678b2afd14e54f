import ArgumentParser
import ExportGuardPolicy

/// Inspection limits on the command line; they win over the policy's `limits`.
struct LimitOptions: ParsableArguments {
    @Option(name: .long, help: "Deepest nesting of containers (default 16).")
    var maxDepth: Int?

    @Option(name: .long, help: "Decoded bytes per input, e.g. 512MiB (default 4GiB).")
    var maxDecodedBytes: String?

    @Option(name: .long, help: "Seconds per input; 0 for none (default 0).")
    var maxSeconds: Double?

    func settings() throws -> LimitSettings {
        var settings = LimitSettings()
        if let maxDepth {
            guard (1...64).contains(maxDepth) else { throw ValidationError("--max-depth must be between 1 and 64") }
            settings.maxDepth = maxDepth
        }
        if let maxDecodedBytes {
            guard let size = LimitSettings.parseSize(maxDecodedBytes), size > 0 else {
                throw ValidationError("--max-decoded-bytes must be a size such as 65536, 64MiB or 4GiB")
            }
            settings.maxDecodedBytes = size
        }
        if let maxSeconds {
            guard maxSeconds >= 0 else { throw ValidationError("--max-seconds must not be negative") }
            settings.maxSeconds = maxSeconds
        }
        return settings
    }
}
