@_spi(Fuzzing) import ExportGuardInspection
@_spi(Fuzzing) import FuzzSupport

/// OLE2 compound files (legacy Office and WPS documents, VBA projects, OLE objects) both
/// ways: read in place, and held whole from a stream (whole and trickled, which must
/// agree). Both go through one reader, so all three must agree.
@main
struct FuzzCompoundFile {
    static func main() {
        let harness = InspectionHarness()
        Fuzzer.run { input in
            harness.checkInPlaceAgainstStream(Array(input), as: .compoundFile, signature: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        }
    }
}
