/// What a stream holds, decided from its first bytes, never from its name.
public enum ContentKind: Sendable, Hashable {
    case empty
    case utf8Text
    case gzip
    case zip
    case pdf
    case image(String)
    case binary
}

extension ContentKind {
    /// Sniffs the start of a stream. `complete` says the stream has no more bytes.
    public static func sniff(_ head: UnsafeRawBufferPointer) -> ContentKind {
        if head.isEmpty { return .empty }
        func starts(with magic: [UInt8]) -> Bool {
            head.count >= magic.count && Swift.zip(head, magic).allSatisfy { $0 == $1 }
        }
        if starts(with: [0x1F, 0x8B]) { return .gzip }
        if starts(with: [0x50, 0x4B, 0x03, 0x04]) || starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if starts(with: Array("%PDF-".utf8)) { return .pdf }
        if starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .image("png") }
        if starts(with: [0xFF, 0xD8, 0xFF]) { return .image("jpeg") }
        if starts(with: Array("GIF8".utf8)) { return .image("gif") }
        return UTF8Validator.looksLikeText(head) ? .utf8Text : .binary
    }
}
