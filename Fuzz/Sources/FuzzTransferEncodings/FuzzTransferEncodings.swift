@_spi(Fuzzing) import ExportGuardInspection
import FuzzSupport

/// Base64, quoted-printable and RFC 2047 encoded words. The first byte picks the decoder
/// and the check: any input decoded whole and in pieces must agree; or the input is taken
/// as raw bytes, encoded by the naive encoders below, and must decode back to itself.
@main
struct FuzzTransferEncodings {
    static func main() {
        Fuzzer.run { input in
            guard let selector = input.first else { return }
            let bytes = Array(input.dropFirst())
            let piece = 1 + Int(selector >> 3)
            switch selector % 5 {
            case 0:
                let whole = TransferDecoding.base64(bytes, pieceSize: bytes.count)
                let pieces = TransferDecoding.base64(bytes, pieceSize: piece)
                if whole.bytes != pieces.bytes || whole.error != pieces.error {
                    Fuzzer.fail("base64 whole and in pieces of \(piece) disagree: \(whole) vs \(pieces)")
                }
            case 1:
                let decoded = TransferDecoding.base64(base64(bytes, lineLength: 4 * piece), pieceSize: piece)
                if decoded.bytes != bytes || decoded.error != nil {
                    Fuzzer.fail("base64 of \(bytes) decoded to \(decoded)")
                }
            case 2:
                let whole = TransferDecoding.quotedPrintable(bytes, pieceSize: bytes.count)
                let pieces = TransferDecoding.quotedPrintable(bytes, pieceSize: piece)
                if whole.bytes != pieces.bytes || whole.malformedEscapes != pieces.malformedEscapes {
                    Fuzzer.fail("quoted-printable whole and in pieces of \(piece) disagree: \(whole) vs \(pieces)")
                }
            case 3:
                let decoded = TransferDecoding.quotedPrintable(quotedPrintable(bytes, lineLength: 3 + piece), pieceSize: piece)
                if decoded.bytes != bytes || decoded.malformedEscapes != 0 {
                    Fuzzer.fail("quoted-printable of \(bytes) decoded to \(decoded)")
                }
            default:
                _ = TransferDecoding.headerValue(bytes)
            }
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The reference: RFC 4648 base64 with `=` padding, broken into CRLF lines.
    static func base64(_ bytes: [UInt8], lineLength: Int) -> [UInt8] {
        var characters: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                characters.append(position <= chunk.count ? alphabet[Int(value >> (18 - 6 * UInt32(position)) & 63)] : UInt8(ascii: "="))
            }
            index += 3
        }
        var output: [UInt8] = []
        for (offset, character) in characters.enumerated() {
            if offset > 0 && offset % lineLength == 0 { output += [13, 10] }
            output.append(character)
        }
        return output
    }

    /// The reference: every byte that is not printable ASCII (and `=`) escaped, with soft
    /// line breaks so no line is longer than `lineLength` characters plus the `=`.
    static func quotedPrintable(_ bytes: [UInt8], lineLength: Int) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        var line = 0
        for byte in bytes {
            let encoded: [UInt8] = (33...126).contains(byte) && byte != UInt8(ascii: "=")
                ? [byte]
                : [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            if line + encoded.count > lineLength {
                output += [UInt8(ascii: "="), 13, 10]
                line = 0
            }
            output += encoded
            line += encoded.count
        }
        return output
    }
}
