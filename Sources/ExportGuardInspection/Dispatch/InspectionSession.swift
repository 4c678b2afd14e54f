import ExportGuardCore
import Glibc

/// State shared by every stream of one input: the sink, the limits and the budgets that
/// hold across nesting (decoded bytes, time).
final class InspectionSession {
    let sink: any InspectionSink
    let limits: InspectionLimits
    /// The input itself: where a limit of the whole input is reported.
    let root: Location
    var stats = InspectionStats()
    /// Whether the input's byte budget was found spent (and reported, once).
    var budgetSpent = false
    private let deadline: UInt64?

    init(sink: any InspectionSink, limits: InspectionLimits, root: Location) {
        self.sink = sink
        self.limits = limits
        self.root = root
        self.deadline = limits.maxSeconds > 0 ? Self.now() + UInt64(limits.maxSeconds * 1e9) : nil
    }

    /// Counts unpacked bytes against the input's budget; false once it is spent.
    func charge(_ count: Int) -> Bool {
        stats.unpackedBytes += count
        return stats.unpackedBytes <= limits.maxDecodedBytes
    }

    /// True once the sink asked to stop (asked again only until it has). What is left of the
    /// input is not inspected, and the ends of streams cut short are not reported as damage.
    private(set) var halted = false

    func sinkWantsToStop() -> Bool {
        if !halted && sink.shouldStop {
            halted = true
            stats.stoppedEarly = true
        }
        return halted
    }

    /// The reason to stop, when the input has used up its time.
    var overTime: Bool {
        guard let deadline else { return false }
        return Self.now() > deadline
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
