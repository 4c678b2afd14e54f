import ExportGuardMatching

/// Masks identifiers for display: the first four and last four characters stay, the
/// rest become `*` (`1101**********123X`). Short values keep less.
public enum Redactor {
    /// A matched value as reports show it, under its detector's redaction.
    public static func excerpt(_ value: [UInt8], _ redaction: Redaction) -> String {
        switch redaction {
        case .none: String(decoding: value, as: UTF8.self)
        case .masked: redact(value)
        case .maskedWithSuffix(let suffix): redact(value) + suffix
        }
    }

    public static func redact(_ value: [UInt8]) -> String {
        let text = Array(String(decoding: value, as: UTF8.self))
        let keep: Int
        switch text.count {
        case ..<6: keep = 1
        case 6..<12: keep = 3
        default: keep = 4
        }
        guard text.count > keep * 2 else { return String(repeating: "*", count: text.count) }
        return String(text.prefix(keep)) + String(repeating: "*", count: text.count - keep * 2) + String(text.suffix(keep))
    }
}
