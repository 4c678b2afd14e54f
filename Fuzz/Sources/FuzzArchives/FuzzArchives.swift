@_spi(Fuzzing) import ExportGuardInspection
@_spi(Fuzzing) import FuzzSupport

/// Any bytes read as a streamed archive — tar (ustar, GNU, pax, sparse), ar or cpio; the
/// first byte picks which. Whole and trickled must agree.
@main
struct FuzzArchives {
    static let formats: [ForcedFormat] = [.tar, .ar, .cpio]

    static func main() {
        let harness = InspectionHarness()
        Fuzzer.run { input in
            guard let selector = input.first else { return }
            harness.checkChunkInvariance(Array(input.dropFirst()), as: formats[Int(selector) % formats.count])
        }
    }
}
