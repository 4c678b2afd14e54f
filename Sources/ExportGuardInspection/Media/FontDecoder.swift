import CZlib

/// Reads a font whole: TrueType/OpenType (`sfnt`), a collection of them (`ttcf`), or WOFF
/// (its tables zlib-compressed). The table directory must lie inside the file and each
/// table within it; the `name` table's strings (family, copyright, designer, description
/// …) are read as the part's text, and the font is reported as media. WOFF2 (Brotli) is
/// named as not read.
struct FontDecoder: WholeFormat {
    static let maximumBytes = 32 << 20
    static let partName = "font"
    static let name = "font"

    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        guard head.count >= 12 else { return false }
        let tag = Array(head.prefix(4))
        if tag == [0, 1, 0, 0] || tag == Array("OTTO".utf8) || tag == Array("true".utf8) || tag == Array("ttcf".utf8) {
            // A plausible table count after the version.
            let tables = head.field(at: 4, size: 2, bigEndian: true)
            return tag == Array("ttcf".utf8) || (1...200).contains(tables)
        }
        return tag == Array("wOFF".utf8) || tag == Array("wOF2".utf8)
    }

    func read(_ bytes: [UInt8], in stream: StreamDispatcher) {
        let font = ByteReader(bytes: bytes, bigEndian: true)
        do {
            var names: [String] = []
            switch Array(bytes.prefix(4)) {
            case Array("wOF2".utf8):
                stream.uninspected(.unsupported("font: WOFF2 (Brotli-compressed) is not read"))
                return
            case Array("wOFF".utf8):
                names = try Self.woffNames(font)
            case Array("ttcf".utf8):
                let count = try font.u32(8)
                guard count <= 256 else { throw FontError("a collection of \(count) fonts") }
                for index in 0..<count where names.reduce(0, { $0 + $1.utf8.count }) < Self.maxNameBytes {
                    names += try Self.sfntNames(font, at: try font.u32(12 + index * 4))
                }
            default:
                names = try Self.sfntNames(font, at: 0)
            }
            Self.report(names, format: Self.name, bytes: bytes.count, in: stream)
        } catch let error as FontError {
            stream.uninspected(.corrupt("font: \(error.detail)"))
        } catch {
            stream.uninspected(.corrupt("font: a table lies past the end of the file"))
        }
    }

    /// Emits a font's names, each once (a name is often stored for two platforms), and
    /// reports the font as media.
    static func report(_ names: [String], format: String, bytes: Int, in stream: StreamDispatcher) {
        var seen = Set<String>()
        let text = names.filter { seen.insert($0).inserted }.joined(separator: "\n")
        if !text.isEmpty { Array(text.utf8).withUnsafeBytes { stream.emitText($0) } }
        stream.reportMedia(format: format, bytes: bytes)
    }

    struct FontError: Error {
        let detail: String
        init(_ detail: String) { self.detail = detail }
    }

    /// The strings of the `name` table of the font whose offset table is at `start`.
    private static func sfntNames(_ font: ByteReader, at start: Int) throws -> [String] {
        let tables = try font.u16(start + 4)
        var names: [String] = []
        for index in 0..<tables {
            let record = start + 12 + index * 16
            let tag = try font.string(record..<(record + 4))
            let offset = try font.u32(record + 8), length = try font.u32(record + 12)
            guard font.contains(offset, length: length) else { throw FontError("the \(tag) table lies past the end of the file") }
            // One name table a font: a directory may name it again and again.
            if tag == "name", names.isEmpty { names = try nameStrings(ByteReader(bytes: Array(try font.slice(offset..<(offset + length))), bigEndian: true)) }
        }
        return names
    }

    /// WOFF: a 44-byte header, then (tag, offset, compressed length, length, checksum)
    /// entries; a table shorter than its length is zlib data.
    private static func woffNames(_ font: ByteReader) throws -> [String] {
        let tables = try font.u16(12)
        var names: [String] = []
        for index in 0..<tables {
            let entry = 44 + index * 20
            let tag = try font.string(entry..<(entry + 4))
            let offset = try font.u32(entry + 4), packed = try font.u32(entry + 8), length = try font.u32(entry + 12)
            guard font.contains(offset, length: packed), packed <= length, length <= maximumBytes else {
                throw FontError("the \(tag) table lies past the end of the file")
            }
            guard tag == "name", names.isEmpty else { continue }
            var table = Array(try font.slice(offset..<(offset + packed)))
            if packed < length {
                var output = [UInt8](repeating: 0, count: length)
                var produced = uLongf(length)
                let status = output.withUnsafeMutableBufferPointer { target in
                    table.withUnsafeBufferPointer { uncompress(target.baseAddress, &produced, $0.baseAddress, uLong(packed)) }
                }
                guard status == Z_OK, Int(produced) == length else { throw FontError("the name table does not inflate") }
                table = output
            }
            names += try nameStrings(ByteReader(bytes: table, bigEndian: true))
        }
        return names
    }

    /// The strings of a `name` table: UTF-16BE for the Unicode and Windows platforms,
    /// single bytes (Mac Roman, read as Latin-1) for the Macintosh platform.
    /// The most bytes of names read from one table: records may all point at one string.
    static let maxNameBytes = 1 << 20

    static func nameStrings(_ table: ByteReader) throws -> [String] {
        let count = try table.u16(2), storage = try table.u16(4)
        var strings: [String] = []
        var seen = Set<ArraySlice<UInt8>>()
        var total = 0
        for index in 0..<count {
            let record = 6 + index * 12
            let platform = try table.u16(record)
            let length = try table.u16(record + 8), offset = try table.u16(record + 10)
            guard let raw = try? table.slice((storage + offset)..<(storage + offset + length)) else {
                throw FontError("a name lies past the end of the name table")
            }
            total += raw.count
            guard total <= maxNameBytes else { break }
            guard seen.insert(raw).inserted else { continue }
            let string: String
            if platform == 0 || platform == 3 {
                string = String(decoding: MetadataText.utf8(raw, encoding: .utf16BigEndian), as: UTF8.self)
            } else {
                string = String(decoding: MetadataText.utf8(raw, encoding: .latin1), as: UTF8.self)
            }
            if string.contains(where: { !$0.isWhitespace }) { strings.append(string) }
        }
        return strings
    }
}
