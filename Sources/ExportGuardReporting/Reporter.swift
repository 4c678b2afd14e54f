import ExportGuardCore
import ExportGuardScanning

/// A printer of scan reports, with a lifecycle: ``begin()`` before the first input,
/// ``report(_:)`` once per input in order, ``finish(_:)`` after the last with the run's
/// summary. Text and JSON Lines print as they go; formats that need the whole run (a
/// document with a header and totals) write in `finish`. Reporters write through the
/// output they were given, so one run can print to a terminal, a file or a buffer.
public protocol Reporter {
    mutating func begin()
    mutating func report(_ report: ScanReport)
    mutating func finish(_ summary: ScanSummary)
}

/// What a whole run came to.
public struct ScanSummary: Sendable, Hashable {
    /// Inputs with a report.
    public var inputs = 0
    /// Inputs that could not be read at all (missing, I/O errors).
    public var failures = 0
    public var verdicts: [Verdict: Int] = [:]
    public var worst = Verdict.allow

    public init() {}

    /// Counts one report.
    public mutating func add(_ report: ScanReport) {
        inputs += 1
        verdicts[report.verdict, default: 0] += 1
        worst = max(worst, report.verdict)
    }
}

/// Where a reporter's text goes: one call per piece of output, newline included.
public typealias ReportOutput = (String) -> Void
