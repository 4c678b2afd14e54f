import ExportGuardCore
import ExportGuardPolicy

/// The result of scanning one input: the policy's assessment and what it took.
public struct ScanReport: Sendable, Hashable {
    /// The input as the user named it (`-` for standard input).
    public var path: String
    public var assessment: Assessment
    public var stats: Stats

    public var verdict: Verdict { assessment.verdict }

    public struct Stats: Sendable, Hashable {
        public var bytes: Int
        public var decodedBytes: Int
        public var elapsedMilliseconds: Double
        /// Inspection stopped early because the verdict was a final block.
        public var stoppedAtBlock = false
        /// Invalid byte sequences replaced (U+FFFD) while decoding text: damage or a wrong charset.
        public var replacedSequences = 0
    }
}
