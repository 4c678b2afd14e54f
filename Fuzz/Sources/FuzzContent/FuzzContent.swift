import ExportGuardPolicy
import ExportGuardScanning
@_spi(Fuzzing) import FuzzSupport

/// Everything a scan reads: sniffing and every decoder, through the searcher with the
/// default policy; and the inspector alone, whole and trickled, which must agree.
@main
struct FuzzContent {
    static func main() {
        let compiled = CompiledPolicy.makeDefault()
        let harness = InspectionHarness()
        let scanner = ContentScanner(compiled: compiled, limits: harness.limits)
        Fuzzer.run { input in
            let bytes = Array(input)
            _ = scanner.scan(bytes: bytes, name: "fuzz")
            harness.checkChunkInvariance(bytes, as: nil)
        }
    }
}
