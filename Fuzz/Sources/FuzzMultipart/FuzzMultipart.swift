import ExportGuardGateway
import FuzzSupport

/// Any bytes as a multipart/form-data body, in pieces whose size the first byte picks:
/// the parts' bodies must be the same whatever the pieces.
@main
struct FuzzMultipart {
    static func main() {
        Fuzzer.run { input in
            guard let selector = input.first else { return }
            let bytes = Array(input.dropFirst())
            let whole = parse(bytes, piece: max(bytes.count, 1))
            let piece = 1 + Int(selector) % 61
            let pieces = parse(bytes, piece: piece)
            if whole != pieces {
                Fuzzer.fail("multipart whole and in pieces of \(piece) disagree:\n\(whole)\nvs\n\(pieces)")
            }
        }
    }

    /// The parser's events, with each segment's data joined (pieces split it anywhere).
    static func parse(_ bytes: [UInt8], piece: Int) -> [String] {
        var parser = MultipartParser(boundary: "b0undary", maxPartHeadBytes: 4 << 10, maxParts: 64)
        var events: [String] = []
        var data: [UInt8] = []
        func record(_ new: [MultipartParser.Event]) {
            for event in new {
                if case .data(let bytes) = event {
                    data += bytes
                    continue
                }
                if !data.isEmpty { events.append("data \(data)") }
                data = []
                events.append("\(event)")
            }
        }
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + piece, bytes.count)
            record(parser.feed(bytes[offset..<end]))
            offset = end
        }
        record(parser.finish())
        if !data.isEmpty { events.append("data \(data)") }
        return events
    }
}
