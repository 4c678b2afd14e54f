/// What a zip entry's compression method (APPNOTE 4.4.5) means for reading it: stored,
/// a decompressor from a maintained library, or a reason it cannot be read.
enum ZipCompressionMethod {
    case stored
    case compressed(any Decompressor)
    case unreadable(UninspectedReason)

    /// The method of an entry with general-purpose `flags`; `size` is the uncompressed
    /// length when the header knows it (LZMA data may then end without an end marker).
    init(method: Int, flags: Int, size: Int?) {
        if flags & 0x01 != 0 {
            self = .unreadable(.encrypted)
            return
        }
        switch method {
        case 0: self = .stored
        case 8: self = .compressed(InflateStream(.raw))
        case 12: self = .compressed(BZip2Stream())
        case 14: self = .compressed(LZMAStream(.zip(size: size)))
        case 93:
            if let zstd = ZstdStream() {
                self = .compressed(zstd)
            } else {
                self = .unreadable(.unsupported("zip compression method 93 (zstd): no libzstd on this machine"))
            }
        case 95: self = .compressed(LZMAStream(.xz))
        // WinZip AES: the real method is inside the encrypted entry's extra field.
        case 99: self = .unreadable(.encrypted)
        default: self = .unreadable(.unsupported("zip compression method \(method)\(Self.names[method].map { " (\($0))" } ?? "")"))
        }
    }

    private static let names: [Int: String] = [
        1: "Shrink", 6: "Implode", 9: "Deflate64", 10: "PKWARE DCL Implode", 18: "IBM TERSE",
        19: "IBM LZ77", 96: "JPEG", 97: "WavPack", 98: "PPMd",
    ]
}
