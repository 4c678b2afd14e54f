// swift-tools-version: 6.1
//
// Coverage-guided fuzzing of ExportGuard's parsers with libFuzzer. A package of its own,
// so the root package never builds with fuzzing flags by accident.
//
//   Fuzz/run.sh SECONDS [TARGET...]      # build with --sanitize=fuzzer and run each target
import PackageDescription

let package = Package(
    name: "ExportGuardFuzz",
    dependencies: [
        .package(name: "ExportGuard", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // libFuzzer's driver entry (the runtime itself is linked by run.sh).
        .target(name: "CFuzzer"),

        // Everything a scan reads: sniffing and every decoder, through the searcher with the
        // default policy (zip, tar, gzip, XML, mail, HTML, charsets, pictures, metafiles …).
        .executableTarget(
            name: "FuzzContent",
            dependencies: [
                "CFuzzer",
                .product(name: "ExportGuardScanning", package: "ExportGuard"),
                .product(name: "ExportGuardPolicy", package: "ExportGuard"),
                .product(name: "ExportGuardInspection", package: "ExportGuard"),
            ]
        ),
        // The parsers content does not reach: policy YAML, ICAP requests, multipart bodies.
        .executableTarget(
            name: "FuzzParsers",
            dependencies: [
                "CFuzzer",
                .product(name: "ExportGuardPolicy", package: "ExportGuard"),
                .product(name: "ExportGuardGateway", package: "ExportGuard"),
                .product(name: "ExportGuardService", package: "ExportGuard"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The matcher against a naive search: finds wrong answers, not only crashes.
        .executableTarget(
            name: "FuzzMatcher",
            dependencies: ["CFuzzer", .product(name: "ExportGuardMatching", package: "ExportGuard")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
