/// The single-stream compressors ExportGuard unpacks, each by its maintained library.
enum Compression: Sendable, Hashable, CaseIterable {
    case gzip, xz, lzma, bzip2, zstd

    /// The format's name in reasons and reports.
    var name: String {
        switch self {
        case .gzip: "gzip"
        case .xz: "xz"
        case .lzma: "lzma"
        case .bzip2: "bzip2"
        case .zstd: "zstd"
        }
    }

    /// How a further member begins, for formats whose files may hold several one after
    /// another (`cat a.gz b.gz`, `pbzip2`, `xz` with several streams, zstd frames); nil for
    /// a format that holds one stream only. An empty magic lets the library judge.
    var memberMagic: [UInt8]? {
        switch self {
        case .gzip: [0x1F, 0x8B]
        case .xz: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]
        case .bzip2: Array("BZh".utf8)
        // Data frames (28 B5 2F FD) and skippable ones (5? 2A 4D 18) both follow.
        case .zstd: []
        case .lzma: nil
        }
    }

    /// A decompressor, or nil when this machine has no library for the format.
    func makeDecompressor() -> (any Decompressor)? {
        switch self {
        case .gzip: InflateStream(.gzipOrZlib)
        case .xz: LZMAStream(.xz)
        case .lzma: LZMAStream(.lzmaAlone)
        case .bzip2: BZip2Stream()
        case .zstd: ZstdStream()
        }
    }

    /// The format whose magic number `head` starts with.
    static func sniff(_ head: UnsafeRawBufferPointer) -> Compression? {
        func starts(with magic: [UInt8]) -> Bool {
            head.count >= magic.count && (0..<magic.count).allSatisfy { head[$0] == magic[$0] }
        }
        if starts(with: [0x1F, 0x8B]) { return .gzip }
        if starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
        if starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        if head.count >= 4, head[0] & 0xF0 == 0x50, head[1] == 0x2A, head[2] == 0x4D, head[3] == 0x18 { return .zstd }
        // "BZh", a block size digit, then a block or the end-of-stream magic (π or √π).
        if head.count >= 10, starts(with: Array("BZh".utf8)), (0x31...0x39).contains(head[3]),
           starts(with: Array("BZh".utf8) + [head[3], 0x31, 0x41, 0x59, 0x26, 0x53, 0x59])
            || starts(with: Array("BZh".utf8) + [head[3], 0x17, 0x72, 0x45, 0x38, 0x50, 0x90]) {
            return .bzip2
        }
        if looksLikeLZMAAlone(head) { return .lzma }
        return nil
    }

    /// The legacy `.lzma` header: a properties byte (lc + lp·9 + pb·45, 0x5D from every
    /// common tool), a power-of-two-like dictionary size, and a length that is unknown
    /// (all ones) or plausible. Loose magic, so all three must hold.
    private static func looksLikeLZMAAlone(_ head: UnsafeRawBufferPointer) -> Bool {
        guard head.count >= 13, head[0] == 0x5D else { return false }
        let dictionary = (1...4).reduce(UInt32(0)) { $0 | UInt32(head[$1]) << (8 * UInt32($1 - 1)) }
        let isPowerLike = dictionary.nonzeroBitCount == 1 || (dictionary.nonzeroBitCount == 2 && dictionary & (dictionary >> 1) != 0)
        guard dictionary >= 1 << 12, isPowerLike else { return false }
        let length = (5...12).reduce(UInt64(0)) { $0 | UInt64(head[$1]) << (8 * UInt64($1 - 5)) }
        return length == .max || length < 1 << 48
    }
}
