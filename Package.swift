// swift-tools-version:6.1
import PackageDescription

/// The modules every byte of an input passes through (decoding, matching, scanning, scoring)
/// are built for release without Swift's dynamic exclusivity checks: the decoders' and the
/// scanner's state lives in class properties, and checking each access cost a quarter of
/// an XML scan (Benchmarks/README.md, "End to end"). The checks stay on in debug builds,
/// which is what the tests, the sanitizer runs and `.ci/run` build, so a violation still
/// fails there; the compile-time checks are unchanged everywhere. Unsafe flags keep this
/// package from being a versioned dependency of another; it is an application, which
/// Benchmarks/ and Fuzz/ use by path.
let hotPathSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "ExportGuard",
    // Linux is the target (Glibc, O_TMPFILE, iconv): no other platform is claimed.
    products: [
        .executable(name: "exportguard", targets: ["ExportGuardCLI"]),
        .library(name: "ExportGuardMatching", targets: ["ExportGuardMatching"]),
        .library(name: "ExportGuardInspection", targets: ["ExportGuardInspection"]),
        .library(name: "ExportGuardPolicy", targets: ["ExportGuardPolicy"]),
        .library(name: "ExportGuardScanning", targets: ["ExportGuardScanning"]),
        .library(name: "ExportGuardReporting", targets: ["ExportGuardReporting"]),
        .library(name: "ExportGuardGateway", targets: ["ExportGuardGateway"]),
        .library(name: "ExportGuardService", targets: ["ExportGuardService"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
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
        .systemLibrary(
            name: "CLZMA",
            pkgConfig: "liblzma",
            providers: [.apt(["liblzma-dev"])]
        ),
        .systemLibrary(
            name: "CBZip2",
            providers: [.apt(["libbz2-dev"])]
        ),
        // ICU's charset detector and converters (libicu-dev), behind a C shim: ICU renames
        // its functions per version with macros only a C compiler sees.
        .target(name: "CCharsetDetection", linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc")]),
        // libzstd, loaded at run time: machines of this kind have the library, not its headers.
        .target(name: "CZstd", linkerSettings: [.linkedLibrary("dl")]),

        // Shared value types every stage speaks: locations, confidence, verdicts.
        .target(name: "ExportGuardCore"),

        // Bit masks of byte classes (SSE2 movemask) for the matching core's hot loops.
        .target(name: "CByteMasks"),

        // The shift-or literal filter (the matching core's fast path for large chunks).
        .target(name: "CLiteralFilter"),

        // The matching core: no I/O, no YAML, no policy format.
        .target(name: "ExportGuardMatching", dependencies: ["ExportGuardCore", "CByteMasks", "CLiteralFilter"], swiftSettings: hotPathSettings),

        // Source bytes → decoders → text segments with a Location.
        .target(
            name: "ExportGuardInspection",
            dependencies: [
                "ExportGuardCore", "CZlib", "CLibXML2", "CLZMA", "CBZip2", "CZstd", "CCharsetDetection", "CByteMasks",
                // PDF's standard security handler: MD5, SHA-2 and AES-CBC.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: hotPathSettings
        ),

        // Policy model, YAML loading, compiled policy and the scorer.
        .target(
            name: "ExportGuardPolicy",
            dependencies: [
                "ExportGuardCore",
                "ExportGuardMatching",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: hotPathSettings,
            plugins: ["EmbedDefaultPolicy"]
        ),

        // The searcher: feeds inspected text to the matcher and findings to the scorer.
        .target(
            name: "ExportGuardScanning",
            dependencies: ["ExportGuardCore", "ExportGuardInspection", "ExportGuardMatching", "ExportGuardPolicy"],
            swiftSettings: hotPathSettings
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

        // The service: ICAP (RFC 3507) for proxies and an HTTP scan API, on SwiftNIO.
        .target(
            name: "ExportGuardService",
            dependencies: [
                "ExportGuardCore",
                "ExportGuardInspection",
                "ExportGuardPolicy",
                "ExportGuardScanning",
                "ExportGuardReporting",
                "ExportGuardGateway",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
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
                "ExportGuardService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
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
            name: "ExportGuardServiceTests",
            dependencies: [
                "ExportGuardService", "ExportGuardGateway", "ExportGuardScanning", "ExportGuardPolicy", "ExportGuardCore", "ExportGuardInspection",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ExportGuardCLITests",
            // Depends on the executable so `swift test` builds it; the tests run the binary.
            dependencies: ["ExportGuardCLI"],
            exclude: ["samples-manifest.tsv"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
