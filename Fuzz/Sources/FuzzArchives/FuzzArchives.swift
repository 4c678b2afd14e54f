@_spi(Fuzzing) import ExportGuardInspection
@_spi(Fuzzing) import FuzzSupport

/// Any bytes read as tar (ustar, GNU and PAX headers, long names, members), whole and trickled: the two must agree.
@main
struct FuzzTar {
    static func main() {
        let harness = InspectionHarness()
        Fuzzer.run { input in
            harness.checkChunkInvariance(Array(input), as: .tar)
        }
    }
}
