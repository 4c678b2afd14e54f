@_spi(Fuzzing) import ExportGuardInspection
@_spi(Fuzzing) import FuzzSupport

/// 7z both ways: as a file read in place, and held whole from a stream (whole and
/// trickled, which must agree). Both go through one reader, so all three must agree.
@main
struct FuzzSevenZip {
    static func main() {
        let harness = InspectionHarness()
        Fuzzer.run { input in
            let bytes = Array(input)
            let inPlace = harness.recordSeekable(bytes)
            let streamed = harness.checkChunkInvariance(bytes, as: .sevenZip)
            // Without 7z's signature the file is not read as 7z in place: nothing to compare.
            if bytes.starts(with: [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]), let difference = inPlace.difference(from: streamed) {
                Fuzzer.fail("a 7z read in place and from a stream differ: \(difference)")
            }
        }
    }
}
