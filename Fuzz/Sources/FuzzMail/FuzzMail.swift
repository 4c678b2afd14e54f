@_spi(Fuzzing) import ExportGuardInspection
@_spi(Fuzzing) import FuzzSupport

/// Any bytes read as mail and mbox (headers, MIME structure, transfer encodings, charsets), whole and trickled: the two must agree.
@main
struct FuzzMail {
    static func main() {
        let harness = InspectionHarness()
        Fuzzer.run { input in
            harness.checkChunkInvariance(Array(input), as: .mail)
        }
    }
}
