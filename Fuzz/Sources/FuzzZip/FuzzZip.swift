@_spi(Fuzzing) import ExportGuardInspection
@_spi(Fuzzing) import FuzzSupport

/// Zip both ways: as a file read through its central directory, and as a stream read
/// through its local headers (whole and trickled, which must agree).
@main
struct FuzzZip {
    static func main() {
        let harness = InspectionHarness()
        Fuzzer.run { input in
            let bytes = Array(input)
            _ = harness.recordSeekable(bytes)
            harness.checkChunkInvariance(bytes, as: .zip)
        }
    }
}
