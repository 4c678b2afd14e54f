import CFuzzer
import Glibc
import ExportGuardInspection
import ExportGuardPolicy
import ExportGuardScanning

let compiled = CompiledPolicy.makeDefault()
/// Small limits so each input stays fast; every code path is still reachable.
let limits = InspectionLimits(chunkSize: 4096, maxDecodedBytes: 4 << 20, sniffBytes: 512, maxEntries: 200, ratioFloor: 1 << 20)
/// The same, read 1 to 13 bytes at a time, so chunk boundaries fall everywhere.
let trickling = (1...13).map { step in
    var small = limits
    small.chunkSize = step
    return ContentScanner(compiled: compiled, limits: small)
}
let scanner = ContentScanner(compiled: compiled, limits: limits)

/// One input: scanned whole, and again a few bytes at a time (the first byte picks how many).
func fuzzContent(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    _ = scanner.scan(bytes: bytes, name: "fuzz")
    _ = trickling[Int(bytes.first ?? 0) % trickling.count].scan(bytes: bytes, name: "fuzz")
    return 0
}

@main
struct FuzzContentMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzContent))
    }
}
