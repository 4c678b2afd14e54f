@_spi(Fuzzing) import ExportGuardInspection
@_spi(Fuzzing) import FuzzSupport

/// Any bytes read as XML (libxml2's push parser and the text collector), as HTML or as
/// RTF; the first byte picks which (modulo 3). Whole and trickled must agree.
@main
struct FuzzMarkup {
    static func main() {
        let harness = InspectionHarness()
        Fuzzer.run { input in
            guard let selector = input.first else { return }
            let formats: [ForcedFormat] = [.xml, .html, .rtf]
            harness.checkChunkInvariance(Array(input.dropFirst()), as: formats[Int(selector) % 3])
        }
    }
}
