@_spi(Fuzzing) import ExportGuardInspection
@_spi(Fuzzing) import FuzzSupport

/// PDF both ways: as a file read in place, and held whole from a stream (whole and
/// trickled, which must agree). Both go through one reader, so all three must agree.
@main
struct FuzzPDF {
    static func main() {
        let harness = InspectionHarness()
        Fuzzer.run { input in
            let bytes = Array(input)
            let inPlace = harness.recordSeekable(bytes)
            let streamed = harness.checkChunkInvariance(bytes, as: .pdf)
            // Without the header the file is not read as a PDF in place: nothing to compare.
            if bytes.starts(with: Array("%PDF-".utf8)), let difference = inPlace.difference(from: streamed) {
                Fuzzer.fail("a PDF read in place and from a stream differ: \(difference)")
            }
        }
    }
}
