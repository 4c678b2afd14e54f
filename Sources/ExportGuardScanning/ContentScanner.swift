import ExportGuardCore
import ExportGuardInspection
import ExportGuardPolicy
import Glibc

/// The searcher: runs one input through inspection, matching and the policy, and
/// returns its report. One instance serves any number of inputs, one at a time each.
public struct ContentScanner: Sendable {
    public let compiled: CompiledPolicy
    public let inspector: Inspector

    public init(compiled: CompiledPolicy, limits: InspectionLimits = .default) {
        self.compiled = compiled
        self.inspector = Inspector(limits: limits)
    }

    /// A scanner whose limits are the policy's, then `overrides` (from the command line).
    public init(compiled: CompiledPolicy, overrides: LimitSettings) {
        let settings = overrides.overriding(compiled.policy.limits)
        var limits = InspectionLimits()
        if let value = settings.maxDepth { limits.maxDepth = value }
        if let value = settings.maxDecodedBytes { limits.maxDecodedBytes = value }
        if let value = settings.maxEntries { limits.maxEntries = value }
        if let value = settings.maxExpansionRatio { limits.maxExpansionRatio = value }
        if let value = settings.maxXMLTextLength { limits.maxXMLTextLength = value }
        if let value = settings.maxSeconds { limits.maxSeconds = value }
        self.init(compiled: compiled, limits: limits)
    }

    /// Scans a source. `name` is how locations and the report name it.
    /// - Parameters:
    ///   - stopAtBlock: stop inspecting once the verdict is a final block (gateways; the
    ///     CLI's `--first-block`). The report then holds the findings up to that point.
    ///   - drain: after such a stop, still read the source to its end without inspecting it.
    ///   - pipelined: match and score on a second thread while this one reads and decodes
    ///     (``PipelinedSink``): one input on two cores. For a lone input on an idle machine;
    ///     where inputs already run side by side (a directory, a gateway), it only adds threads.
    ///     Ignored with `stopAtBlock`, which needs each verdict as soon as the text is read.
    public func scan(
        _ source: inout some ByteSource, name: String, stopAtBlock: Bool = false, drain: Bool = false, pipelined: Bool = false
    ) throws(InspectionError) -> ScanReport {
        let started = Self.now()
        let sink = ScanSink(compiled: compiled, stopAtBlock: stopAtBlock)
        let stats: InspectionStats
        // A stop at the first block must come as soon as the block does, not a batch later.
        if pipelined && !stopAtBlock {
            let pipeline = PipelinedSink(sink)
            // On a read error too, the worker finishes before the sink is read (`deinit`).
            stats = try inspector.inspect(&source, name: name, into: pipeline, drain: drain)
            pipeline.finish()
        } else {
            stats = try inspector.inspect(&source, name: name, into: sink, drain: drain)
        }
        let assessment = sink.collector.assess()
        let elapsed = Double(Self.now() - started) / 1_000_000
        return ScanReport(
            path: name, assessment: assessment,
            stats: .init(bytes: stats.bytes, decodedBytes: stats.decodedBytes, elapsedMilliseconds: elapsed, stoppedAtBlock: stats.stoppedEarly,
                replacedSequences: stats.replacedSequences))
    }

    /// Scans a file by path.
    public func scan(path: String, stopAtBlock: Bool = false, pipelined: Bool = false) throws(InspectionError) -> ScanReport {
        var source = try FileByteSource(path: path)
        defer { source.close() }
        return try scan(&source, name: path, stopAtBlock: stopAtBlock, pipelined: pipelined)
    }

    /// Scans bytes in memory (tests, small bodies).
    public func scan(bytes: [UInt8], name: String) -> ScanReport {
        var source = MemoryByteSource(bytes)
        do {
            return try scan(&source, name: name)
        } catch {
            // A memory source cannot fail to read.
            preconditionFailure("memory source failed: \(error)")
        }
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
