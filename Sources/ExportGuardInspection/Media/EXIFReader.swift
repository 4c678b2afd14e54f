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
        guard let tiff = TIFFStructure(data) else { return [] }
        var fields: [Field] = []
        var pending = [tiff.firstDirectory]
        var visited: Set<Int> = []
        while let offset = pending.popLast(), visited.count < maxDirectories {
            guard offset > 0, visited.insert(offset).inserted, let count = tiff.entryCount(offset) else { continue }
            let entries = min(count, 1024)
            for index in 0..<entries {
                guard let entry = tiff.entry(index, in: offset) else { break }
                if entry.tag == 0x8769, let exif = try? tiff.reader.u32(entry.position + 8) {
                    pending.append(exif)
                    continue
                }
                // Only byte-sized types are text (BYTE 1, ASCII 2, UNDEFINED 7).
                guard let name = names[entry.tag], [1, 2, 7].contains(entry.type), entry.count > 0,
                      let range = tiff.valueRange(entry, elementSize: 1) else { continue }
                let value = tiff.reader.bytes[range]
                let text: [UInt8] =
                    switch entry.tag {
                    case 0x9C9B...0x9C9F: MetadataText.utf8(value, encoding: .utf16LittleEndian)
                    case 0x9286: userComment(value)
                    default: MetadataText.utf8(value, encoding: .undeclared)
                    }
                fields.append(Field(name: name, text: text))
            }
            if let next = tiff.nextDirectory(after: offset, entries: entries) { pending.append(next) }
        }
        return fields
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
