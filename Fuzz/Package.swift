// swift-tools-version: 6.1
//
// Coverage-guided fuzzing of ExportGuard's parsers with libFuzzer. A package of its own,
// so the root package never builds with fuzzing flags by accident.
//
//   Fuzz/run.sh SECONDS [TARGET...]      # build with libFuzzer + AddressSanitizer and run each target
import PackageDescription

/// A libFuzzer target: an executable whose entry point starts the driver (FuzzSupport).
func fuzzTarget(_ name: String, _ products: [String], extra: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: "ExportGuard") } + extra
    )
}

let package = Package(
    name: "ExportGuardFuzz",
    dependencies: [
        .package(name: "ExportGuard", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // libFuzzer's driver entry (the runtime itself is linked by run.sh).
        .target(name: "CFuzzer"),
        // The driver wrapper, a recording sink and the whole-versus-trickled check.
        .target(
            name: "FuzzSupport",
            dependencies: ["CFuzzer", .product(name: "ExportGuardInspection", package: "ExportGuard")]
        ),

        // Everything a scan reads: sniffing and every decoder, through the searcher with the default policy.
        fuzzTarget("FuzzContent", ["ExportGuardScanning", "ExportGuardPolicy", "ExportGuardInspection"]),
        // One decoder each, forced on the input (no magic numbers to find first).
        fuzzTarget("FuzzZip", ["ExportGuardInspection"]),
        fuzzTarget("FuzzArchives", ["ExportGuardInspection"]),
        fuzzTarget("FuzzSevenZip", ["ExportGuardInspection"]),
        fuzzTarget("FuzzPDF", ["ExportGuardInspection"]),
        fuzzTarget("FuzzCompoundFile", ["ExportGuardInspection"]),
        fuzzTarget("FuzzCompression", ["ExportGuardInspection"]),
        fuzzTarget("FuzzMarkup", ["ExportGuardInspection"]),
        fuzzTarget("FuzzMail", ["ExportGuardInspection"]),
        fuzzTarget("FuzzTransferEncodings", ["ExportGuardInspection"]),
        fuzzTarget("FuzzCharsets", ["ExportGuardInspection"]),
        // The parsers content does not reach.
        fuzzTarget("FuzzPolicy", ["ExportGuardPolicy"]),
        fuzzTarget("FuzzICAP", ["ExportGuardService"], extra: [.product(name: "NIOCore", package: "swift-nio")]),
        fuzzTarget("FuzzMultipart", ["ExportGuardGateway"]),
        // The matcher against a naive search: finds wrong answers, not only crashes.
        fuzzTarget("FuzzMatcher", ["ExportGuardMatching"]),
    ],
    swiftLanguageModes: [.v6]
)
