import CFuzzer
import Glibc
import ExportGuardInspection
import ExportGuardPolicy
import ExportGuardScanning

/// Small limits so each input stays fast; every code path is still reachable.
let scanner = ContentScanner(
    compiled: CompiledPolicy.makeDefault(),
    limits: InspectionLimits(chunkSize: 4096, maxDecodedBytes: 4 << 20, sniffBytes: 512, maxEntries: 200, ratioFloor: 1 << 20))

/// One input: scanned whole, and again through a source that hands it over a few bytes at a
/// time, so chunk boundaries fall everywhere.
func fuzzContent(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    _ = scanner.scan(bytes: bytes, name: "fuzz")
    var trickle = TrickleSource(bytes: bytes, step: 1 + Int(bytes.first ?? 0) % 13)
    _ = try? scanner.scan(&trickle, name: "fuzz")
    return 0
}

struct TrickleSource: ByteSource {
    let bytes: [UInt8]
    let step: Int
    var position = 0

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InspectionError) -> Int {
        let count = min(step, buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[position..<(position + count)])) }
        position += count
        return count
    }
}

@main
struct FuzzContentMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzContent))
    }
}
