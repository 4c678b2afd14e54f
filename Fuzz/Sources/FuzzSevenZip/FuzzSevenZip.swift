@_spi(Fuzzing) import ExportGuardInspection
@_spi(Fuzzing) import FuzzSupport

/// 7z both ways: as a file read in place, and held whole from a stream (whole and
/// trickled, which must agree). Both go through one reader, so all three must agree.
@main
struct FuzzSevenZip {
    static func main() {
        let harness = InspectionHarness()
        Fuzzer.run { input in
            harness.checkInPlaceAgainstStream(Array(input), as: .sevenZip, signature: [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C])
        }
    }
}
