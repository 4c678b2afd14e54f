@_spi(Fuzzing) import ExportGuardInspection
@_spi(Fuzzing) import FuzzSupport

/// Any bytes read as gzip, xz, legacy lzma, bzip2 or zstd (the first byte picks which),
/// through zlib, liblzma, libbz2 and libzstd: whole and trickled must agree.
@main
struct FuzzCompression {
    static let formats: [ForcedFormat] = [.gzip, .xz, .lzma, .bzip2, .zstd]

    static func main() {
        let harness = InspectionHarness()
        Fuzzer.run { input in
            guard let selector = input.first else { return }
            harness.checkChunkInvariance(Array(input.dropFirst()), as: formats[Int(selector) % formats.count])
        }
    }
}
