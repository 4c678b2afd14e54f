import CLZMA

/// A 7z coder's method id (7-Zip's Methods.txt) and what reads it here.
struct SevenZipMethod {
    enum Kind: Equatable {
        case copy
        /// A filter liblzma decodes (LZMA, LZMA2, BCJ, delta), with its liblzma id.
        case lzma(UInt64)
        case deflate
        case bzip2
        case zstd
        case aes
        case unsupported
    }

    let id: [UInt8]
    let kind: Kind
    let name: String

    init(_ id: [UInt8]) {
        self.id = id
        (kind, name) = switch id {
        case [0x00]: (.copy, "Copy")
        case [0x03, 0x01, 0x01]: (.lzma(eg_lzma_filter_lzma1), "LZMA")
        case [0x21]: (.lzma(eg_lzma_filter_lzma2), "LZMA2")
        case [0x03]: (.lzma(eg_lzma_filter_delta), "Delta")
        case [0x03, 0x03, 0x01, 0x03]: (.lzma(eg_lzma_filter_x86), "BCJ")
        case [0x03, 0x03, 0x02, 0x05]: (.lzma(eg_lzma_filter_powerpc), "PPC")
        case [0x03, 0x03, 0x04, 0x01]: (.lzma(eg_lzma_filter_ia64), "IA64")
        case [0x03, 0x03, 0x05, 0x01]: (.lzma(eg_lzma_filter_arm), "ARM")
        case [0x03, 0x03, 0x07, 0x01]: (.lzma(eg_lzma_filter_armthumb), "ARMT")
        case [0x03, 0x03, 0x08, 0x05]: (.lzma(eg_lzma_filter_sparc), "SPARC")
        case [0x0A]: eg_lzma_filter_arm64 != 0 ? (.lzma(eg_lzma_filter_arm64), "ARM64") : (.unsupported, "ARM64")
        case [0x04, 0x01, 0x08]: (.deflate, "Deflate")
        case [0x04, 0x02, 0x02]: (.bzip2, "BZip2")
        case [0x04, 0xF7, 0x11, 0x01]: (.zstd, "ZSTD")
        case [0x06, 0xF1, 0x07, 0x01]: (.aes, "7zAES")
        case [0x03, 0x03, 0x01, 0x1B]: (.unsupported, "BCJ2")
        case [0x03, 0x04, 0x01]: (.unsupported, "PPMD")
        case [0x04, 0x01, 0x09]: (.unsupported, "Deflate64")
        default: (.unsupported, "method " + id.map { String($0, radix: 16, uppercase: true) }.joined(separator: " "))
        }
    }

    /// The decompressor for a chain of coders (output first), nil for data stored as is.
    static func decompressor(for chain: [(coder: SevenZipFolder.Coder, unpackSize: Int)]) throws(SevenZipError) -> (any Decompressor)? {
        let methods = chain.map { SevenZipMethod($0.coder.method) }
        if methods.contains(where: { $0.kind == .aes }) { throw .encrypted }
        if let unknown = methods.first(where: { $0.kind == .unsupported }) { throw .unsupported("the \(unknown.name) coder") }
        // (BCJ2 takes four inputs: SevenZipReader reads it before any chain.)
        // Copy coders change nothing: drop them.
        let working = zip(chain, methods).filter { $0.1.kind != .copy }
        if working.isEmpty { return nil }
        if working.count == 1 {
            switch working[0].1.kind {
            case .deflate: return InflateStream(.raw)
            case .bzip2: return BZip2Stream()
            case .zstd:
                guard let zstd = ZstdStream() else { throw .unsupported("zstd data (no libzstd on this machine)") }
                return zstd
            default: break
            }
        }
        var filters: [LZMAFilter] = []
        for (link, method) in working {
            guard case .lzma(let id) = method.kind else {
                throw .unsupported("a chain of coders " + methods.map(\.name).joined(separator: "+"))
            }
            filters.append(LZMAFilter(id: id, properties: link.coder.properties, unpackSize: link.unpackSize))
        }
        return LZMAStream(.chain(filters))
    }
}
