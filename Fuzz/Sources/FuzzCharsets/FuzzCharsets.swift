@_spi(Fuzzing) import ExportGuardInspection
@_spi(Fuzzing) import FuzzSupport

/// Any bytes read as text in one of the charsets ExportGuard meets (the first byte picks
/// which), through iconv and the validator; whole and trickled must agree.
@main
struct FuzzCharsets {
    static let charsets = [
        "GB18030", "BIG5", "GBK", "UTF-16LE", "UTF-16BE", "UTF-32LE", "ISO-8859-1", "SHIFT_JIS", "EUC-KR", "UTF-8",
        // Added later, after the first ten: the committed seeds pick by index.
        "BIG5-HKSCS", "HZ", "UTF-7", "CP932", "ISO-2022-JP",
    ]

    static func main() {
        let harness = InspectionHarness()
        Fuzzer.run { input in
            guard let selector = input.first else { return }
            let charset = charsets[Int(selector) % charsets.count]
            harness.checkChunkInvariance(Array(input.dropFirst()), as: .charset(charset))
        }
    }
}
