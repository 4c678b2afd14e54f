@_spi(Fuzzing) import ExportGuardInspection
@_spi(Fuzzing) import FuzzSupport

/// Any bytes read as XML (libxml2's push parser and the text collector) or as HTML; the
/// first byte picks which. Whole and trickled must agree.
@main
struct FuzzMarkup {
    static func main() {
        let harness = InspectionHarness()
        Fuzzer.run { input in
            guard let selector = input.first else { return }
            harness.checkChunkInvariance(Array(input.dropFirst()), as: selector & 1 == 0 ? .xml : .html)
        }
    }
}
