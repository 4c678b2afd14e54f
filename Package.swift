// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "ExportGuard",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "exportguard", targets: ["ExportGuardCLI"]),
        .library(name: "ExportGuardMatching", targets: ["ExportGuardMatching"]),
        .library(name: "ExportGuardInspection", targets: ["ExportGuardInspection"]),
        .library(name: "ExportGuardPolicy", targets: ["ExportGuardPolicy"]),
        .library(name: "ExportGuardScanning", targets: ["ExportGuardScanning"]),
        .library(name: "ExportGuardReporting", targets: ["ExportGuardReporting"]),
        .library(name: "ExportGuardGateway", targets: ["ExportGuardGateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // System libraries, each behind a tiny shim so Swift sees one clean module.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),

        // Shared value types every stage speaks: locations, confidence, verdicts.
        .target(name: "ExportGuardCore"),

        // The matching core: no I/O, no YAML, no policy format.
        .target(name: "ExportGuardMatching"),

        // Source bytes → decoders → text segments with a Location.
        .target(
            name: "ExportGuardInspection",
            dependencies: ["ExportGuardCore", "CZlib", "CLibXML2"]
        ),

        // Policy model, YAML loading, compiled policy and the scorer.
        .target(
            name: "ExportGuardPolicy",
            dependencies: [
                "ExportGuardCore",
                "ExportGuardMatching",
                .product(name: "Yams", package: "Yams"),
            ],
            plugins: ["EmbedDefaultPolicy"]
        ),

        // The searcher: feeds inspected text to the matcher and findings to the scorer.
        .target(
            name: "ExportGuardScanning",
            dependencies: ["ExportGuardCore", "ExportGuardInspection", "ExportGuardMatching", "ExportGuardPolicy"]
        ),

        // Printers: text and JSON lines.
        .target(
            name: "ExportGuardReporting",
            dependencies: ["ExportGuardCore", "ExportGuardScanning", "ExportGuardPolicy"]
        ),

        // Gateways: the mail filter now; the ICAP and HTTP service later.
        .target(
            name: "ExportGuardGateway",
            dependencies: ["ExportGuardCore", "ExportGuardInspection", "ExportGuardPolicy", "ExportGuardScanning", "ExportGuardReporting"]
        ),

        .executableTarget(
            name: "ExportGuardCLI",
            dependencies: [
                "ExportGuardCore",
                "ExportGuardInspection",
                "ExportGuardPolicy",
                "ExportGuardScanning",
                "ExportGuardReporting",
                "ExportGuardGateway",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Build-time tool and plugin that compile Policies/default.yaml into the binary.
        .executableTarget(name: "EmbedResourceTool"),
        .plugin(
            name: "EmbedDefaultPolicy",
            capability: .buildTool(),
            dependencies: ["EmbedResourceTool"]
        ),

        .testTarget(name: "ExportGuardMatchingTests", dependencies: ["ExportGuardMatching"]),
        .testTarget(name: "ExportGuardInspectionTests", dependencies: ["ExportGuardInspection", "ExportGuardCore"]),
        .testTarget(name: "ExportGuardPolicyTests", dependencies: ["ExportGuardPolicy", "ExportGuardCore", "ExportGuardMatching"]),
        .testTarget(
            name: "ExportGuardScanningTests",
            dependencies: ["ExportGuardScanning", "ExportGuardReporting", "ExportGuardPolicy", "ExportGuardInspection", "ExportGuardCore"]
        ),
        .testTarget(
            name: "ExportGuardCLITests",
            // Depends on the executable so `swift test` builds it; the tests run the binary.
            dependencies: ["ExportGuardCLI"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
