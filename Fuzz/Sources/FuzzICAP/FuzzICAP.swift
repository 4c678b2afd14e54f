import ExportGuardService
import FuzzSupport
import NIOCore

/// Any bytes as ICAP requests on one connection, arriving in pieces whose size the first
/// byte picks: requests or an error, never a trap.
@main
struct FuzzICAP {
    static func main() {
        Fuzzer.run { input in
            guard let selector = input.first else { return }
            let bytes = Array(input.dropFirst())
            let piece = 1 + Int(selector) % 61
            var parser = ICAPParser(maxHeaderBytes: 8 << 10)
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + piece, bytes.count)
                parser.append(ByteBuffer(bytes: bytes[offset..<end]))
                offset = end
                do {
                    while try parser.next() != nil {}
                } catch {
                    return
                }
            }
        }
    }
}
