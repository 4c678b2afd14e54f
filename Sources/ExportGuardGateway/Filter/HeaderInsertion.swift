/// Builds the `X-ExportGuard-*` header lines added to a reviewed message, in the line
/// ending the message itself uses.
public enum HeaderInsertion {
    /// Whether the message's first line ends in CRLF.
    public static func usesCRLF(_ head: [UInt8]) -> Bool {
        guard let newline = head.firstIndex(of: 0x0A) else { return false }
        return newline > 0 && head[newline - 1] == 0x0D
    }

    /// Whether the bytes start with a header field (`Name: value`), so headers can be added.
    public static func startsWithHeader(_ head: [UInt8]) -> Bool {
        guard let colon = head.prefix(80).firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return false }
        return head[..<colon].allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    public static func lines(verdict: String, score: Int, reference: String, crlf: Bool) -> [UInt8] {
        let end = crlf ? "\r\n" : "\n"
        return Array("X-ExportGuard-Verdict: \(verdict)\(end)X-ExportGuard-Score: \(score)\(end)X-ExportGuard-Reference: \(reference)\(end)".utf8)
    }
}
