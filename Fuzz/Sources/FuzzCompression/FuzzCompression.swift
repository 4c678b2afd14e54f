@_spi(Fuzzing) import ExportGuardInspection
@_spi(Fuzzing) import FuzzSupport

/// Any bytes read as gzip (members one after another, header fields, trailers), whole and trickled: the two must agree.
@main
struct FuzzGzip {
    static func main() {
        let harness = InspectionHarness()
        Fuzzer.run { input in
            harness.checkChunkInvariance(Array(input), as: .gzip)
        }
    }
}
