/// Reads the text fields of an EXIF block (a TIFF structure: byte order, IFD0, the Exif
/// IFD): ASCII tags such as ImageDescription, Artist and Copyright, UserComment with its
/// charset prefix, and Windows' XPTitle/XPComment/XPAuthor/XPKeywords/XPSubject in UTF-16.
/// Every offset is checked; a damaged block yields what could be read.
enum EXIFReader {
    struct Field: Equatable {
        var name: String
        var text: [UInt8]
    }

    static let names: [Int: String] = [
        0x010D: "DocumentName", 0x010E: "ImageDescription", 0x010F: "Make", 0x0110: "Model", 0x0131: "Software",
        0x013B: "Artist", 0x8298: "Copyright", 0x9286: "UserComment", 0x9C9B: "XPTitle", 0x9C9C: "XPComment",
        0x9C9D: "XPAuthor", 0x9C9E: "XPKeywords", 0x9C9F: "XPSubject", 0xA420: "ImageUniqueID",
    ]
    /// IFDs are followed at most this deep and this often (a loop of offsets ends here).
    static let maxDirectories = 8

    static func texts(_ data: [UInt8]) -> [Field] {
        guard data.count >= 8 else { return [] }
        let bigEndian: Bool
        switch (data[0], data[1]) {
        case (0x49, 0x49): bigEndian = false
        case (0x4D, 0x4D): bigEndian = true
        default: return []
        }
        let reader = ByteReader(bytes: data, bigEndian: bigEndian)
        guard (try? reader.u16(2)) == 42, let first = try? reader.u32(4) else { return [] }
        var fields: [Field] = []
        var pending = [first]
        var visited: Set<Int> = []
        while let offset = pending.popLast(), visited.count < maxDirectories {
            guard offset > 0, visited.insert(offset).inserted, let count = try? reader.u16(offset) else { continue }
            for index in 0..<min(count, 1024) {
                let entry = offset + 2 + index * 12
                guard let tag = try? reader.u16(entry), let type = try? reader.u16(entry + 2),
                      let number = try? reader.u32(entry + 4) else { break }
                if tag == 0x8769, let exif = try? reader.u32(entry + 8) {
                    pending.append(exif)
                    continue
                }
                guard let name = names[tag], let value = value(reader, entry: entry, type: type, count: number) else { continue }
                let text: [UInt8] =
                    switch tag {
                    case 0x9C9B...0x9C9F: MetadataText.utf8(value, encoding: .utf16LittleEndian)
                    case 0x9286: userComment(value)
                    default: MetadataText.utf8(value, encoding: .undeclared)
                    }
                fields.append(Field(name: name, text: text))
            }
            if let next = try? reader.u32(offset + 2 + min(count, 1024) * 12) { pending.append(next) }
        }
        return fields
    }

    /// The bytes of an entry's value: inline when four bytes or fewer, else at its offset.
    /// Only byte-sized types are text (ASCII 2, BYTE 1, UNDEFINED 7).
    private static func value(_ reader: ByteReader, entry: Int, type: Int, count: Int) -> ArraySlice<UInt8>? {
        guard [1, 2, 7].contains(type), count > 0, count <= 1 << 20 else { return nil }
        if count <= 4 { return try? reader.slice((entry + 8)..<(entry + 8 + count)) }
        guard let offset = try? reader.u32(entry + 8) else { return nil }
        return try? reader.slice(offset..<(offset + count))
    }

    /// UserComment: an 8-byte charset code (`ASCII`, `UNICODE`, `JIS`, or zeros) then the text.
    private static func userComment(_ value: ArraySlice<UInt8>) -> [UInt8] {
        guard value.count >= 8 else { return [] }
        let code = String(decoding: value.prefix(8).filter { $0 != 0 }, as: UTF8.self)
        let text = value.dropFirst(8)
        // UNICODE is UCS-2 in the block's byte order; little-endian writers dominate.
        if code == "UNICODE" { return MetadataText.utf8(text, encoding: .utf16LittleEndian) }
        return MetadataText.utf8(text, encoding: .undeclared)
    }
}
