import CFuzzer
import ExportGuardGateway
import ExportGuardPolicy
import ExportGuardService
import Glibc
import NIOCore

/// The parsers a scan does not reach through content: the policy loader (YAML), the ICAP
/// request parser and the multipart parser. The first byte picks the parser; the rest is
/// its input, fed in pieces whose sizes the input also chooses.
func fuzzParsers(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data, count >= 2 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: count - 1))
    let piece = 1 + Int(data[0] >> 2) % 61
    switch data[0] % 3 {
    case 0:
        // Any text as a policy: an error with positions, or a policy, never a trap.
        let text = String(decoding: bytes, as: UTF8.self)
        if let policy = try? PolicyLoader.load(yaml: text, file: "fuzz.yaml") {
            _ = PolicyWriter.yaml(policy)
        }
    case 1:
        var parser = ICAPParser(maxHeaderBytes: 8 << 10)
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + piece, bytes.count)
            parser.append(ByteBuffer(bytes: bytes[offset..<end]))
            offset = end
            do {
                while try parser.next() != nil {}
            } catch {
                return 0
            }
        }
    default:
        var parser = MultipartParser(boundary: "b0undary", maxPartHeadBytes: 4 << 10, maxParts: 64)
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + piece, bytes.count)
            _ = parser.feed(bytes[offset..<end])
            offset = end
        }
        _ = parser.finish()
    }
    return 0
}

@main
struct FuzzParsersMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzParsers))
    }
}
