// Throughput of ExportGuard's matching core, measured with ordo-one/benchmark.
//
//   swift package --package-path Benchmarks benchmark
//   swift package --package-path Benchmarks benchmark --filter "Scan.*"
//
// The corpus is 16 MiB generated in memory (BenchmarkCorpus), streamed through one
// long-lived MatchScanner. Each benchmark iteration feeds the next 1,000,000 bytes (the
// stream wraps around the corpus), and the scaling factor is .mega, so the throughput
// metric is in bytes per second: "Throughput (# / s) (M)" reads as MB/s (10^6 bytes/s),
// and the wall clock, scaled the same way, is nanoseconds per byte. One benchmark scans the
// same corpus with every paragraph indented by U+3000, to watch the cost of normalisation.

import Benchmark
import ExportGuardMatching

/// Generated once per process, on first use.
let corpus = BenchmarkCorpus.generate(size: 16 << 20)

/// The same corpus with every paragraph indented by two ideographic spaces (U+3000), as
/// formal Chinese documents are: every chunk then holds text that normalisation changes, so
/// every chunk takes the slow path (normalised copy, second literal scan).
let indentedCorpus: [UInt8] = {
    var result: [UInt8] = []
    result.reserveCapacity(corpus.count + corpus.count / 16)
    let indent: [UInt8] = Array("\u{3000}\u{3000}".utf8)
    for byte in corpus {
        result.append(byte)
        if byte == UInt8(ascii: "\n") { result.append(contentsOf: indent) }
    }
    return result
}()

/// Bytes per benchmark iteration: 10^6, so the .mega scaling factor turns the throughput
/// metric into bytes per second.
let bytesPerIteration = 1_000_000

/// One stream through a matcher, continued across iterations.
final class StreamState {
    let matcher: Matcher
    var scanner: MatchScanner
    var matches: [Match] = []
    var slice = 0
    var literals = 0
    var detectors = 0

    let text: [UInt8]

    init(keywords: Int, detectors: Bool, text: [UInt8] = corpus) {
        matcher = Matcher(BenchmarkCorpus.patternSet(keywords: BenchmarkCorpus.keywords(count: keywords), detectors: detectors))
        scanner = matcher.makeScanner()
        matches.reserveCapacity(1024)
        self.text = text
    }

    /// Feeds the next 10^6 bytes of the stream and counts what they held.
    func scanNext() {
        let slices = text.count / bytesPerIteration
        let start = slice * bytesPerIteration
        slice = (slice + 1) % slices
        text.withUnsafeBytes { bytes in
            scanner.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + bytesPerIteration)]), into: &matches)
        }
        for match in matches {
            switch match {
            case .literal: literals += 1
            case .detector: detectors += 1
            }
        }
        matches.removeAll(keepingCapacity: true)
    }
}

let benchmarks: @Sendable () -> Void = {
    // Tolerances for `baseline check` / `thresholds check`: the median may move 10% before a
    // run counts as a regression. Shared two-core machines are noisy; tighten on quiet ones.
    let tolerance = BenchmarkThresholds(relative: [.p50: 10.0])

    let scanConfiguration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock],
        // Wall clock is shown scaled, per byte; nanoseconds is the finest unit.
        timeUnits: .nanoseconds,
        warmupIterations: 5,
        scalingFactor: .mega,
        maxDuration: .seconds(3),
        maxIterations: 2_000,
        thresholds: [.throughput: tolerance, .wallClock: tolerance]
    )

    for keywordCount in [100, 1000] {
        for withDetectors in [false, true] {
            let name = "Scan \(keywordCount) keywords" + (withDetectors ? " + detectors" : "")
            Benchmark(name, configuration: scanConfiguration) { (_, state: StreamState) in
                state.scanNext()
                blackHole(state.literals &+ state.detectors)
            } setup: {
                _ = corpus.count  // generate outside the measurement
                return StreamState(keywords: keywordCount, detectors: withDetectors)
            }
        }
    }

    Benchmark("Scan 1000 keywords + detectors, indented with U+3000", configuration: scanConfiguration) { (_, state: StreamState) in
        state.scanNext()
        blackHole(state.literals &+ state.detectors)
    } setup: {
        _ = indentedCorpus.count
        return StreamState(keywords: 1000, detectors: true, text: indentedCorpus)
    }

    let compileConfiguration = Benchmark.Configuration(
        metrics: [.wallClock],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(2),
        maxIterations: 200,
        thresholds: [.wallClock: tolerance]
    )
    for keywordCount in [100, 1000] {
        let patterns = BenchmarkCorpus.patternSet(keywords: BenchmarkCorpus.keywords(count: keywordCount), detectors: true)
        Benchmark("Compile \(keywordCount) keywords + detectors", configuration: compileConfiguration) { _ in
            blackHole(Matcher(patterns))
        }
    }
}
