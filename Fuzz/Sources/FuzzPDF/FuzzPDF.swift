@_spi(Fuzzing) import ExportGuardInspection
@_spi(Fuzzing) import FuzzSupport

/// PDF both ways: as a file read in place, and held whole from a stream (whole and
/// trickled, which must agree). Both go through one reader, so all three must agree.
@main
struct FuzzPDF {
    static func main() {
        let harness = InspectionHarness()
        Fuzzer.run { input in
            harness.checkInPlaceAgainstStream(Array(input), as: .pdf, signature: Array("%PDF-".utf8))
        }
    }
}
