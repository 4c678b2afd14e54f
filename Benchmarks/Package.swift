// swift-tools-version: 6.1
//
// Benchmarks for ExportGuard's matching core. A package of its own, so that the root
// package never depends on the benchmark tooling.
//
//   swift package --package-path Benchmarks benchmark            # ordo-one benchmarks
//   swift build --package-path Benchmarks -c release --product match-count
//   Benchmarks/compare.sh 64M                                     # against Hyperscan, ripgrep, grep
import PackageDescription

let package = Package(
    name: "ExportGuardBenchmarks",
    dependencies: [
        .package(name: "ExportGuard", path: ".."),
        // Only the malloc interposer trait: the default trait set also pulls in a runtime
        // interposer on Linux with Swift 6.3 that we neither need nor mirror.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // `match-count --patterns FILE [--detectors] [--chunk BYTES] CORPUS`: streams a corpus
        // through the matcher and prints counts and throughput (used by compare.sh).
        .executableTarget(
            name: "match-count",
            dependencies: [.product(name: "ExportGuardMatching", package: "ExportGuard")],
            path: "Sources/MatchCount"
        ),

        // ordo-one benchmarks on a corpus generated in memory.
        .executableTarget(
            name: "MatcherBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ExportGuardMatching", package: "ExportGuard"),
            ],
            path: "Benchmarks/MatcherBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
