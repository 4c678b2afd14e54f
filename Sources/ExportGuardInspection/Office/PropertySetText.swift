/// The strings of an OLE property set stream ([MS-OLEPS]): `\u{5}SummaryInformation`
/// (title, subject, author, keywords, comments …) and `\u{5}DocumentSummaryInformation`
/// (company, manager, category, the titles of parts — sheet and slide names), in the code
/// page the set declares.
enum PropertySetText {
    /// Property values read at most per set.
    static let maxProperties = 4096

    static func strings(_ stream: [UInt8]) -> [String] {
        let reader = ByteReader(bytes: stream)
        // A value is read once, however many properties point at it.
        var seen: Set<Int> = []
        guard let setCount = try? reader.u32(24), setCount <= 16 else { return [] }
        var result: [String] = []
        for set in 0..<setCount {
            guard let setOffset = try? reader.u32(28 + set * 20 + 16), setOffset < stream.count,
                  let count = try? reader.u32(setOffset + 4) else { continue }
            var codePage = 1252
            var properties: [(id: Int, offset: Int)] = []
            for index in 0..<min(count, maxProperties) {
                guard let id = try? reader.u32(setOffset + 8 + index * 8), let offset = try? reader.u32(setOffset + 12 + index * 8) else { break }
                properties.append((id, setOffset + offset))
            }
            // Property 1 is the code page of the set's 8-bit strings.
            if let entry = properties.first(where: { $0.id == 1 }), let type = try? reader.u16(entry.offset), type == 2,
               let value = try? reader.u16(entry.offset + 4) {
                codePage = value == 0xFFFF ? 65001 : value
            }
            for (id, offset) in properties where id > 1 && seen.insert(offset).inserted {
                result += values(reader, at: offset, codePage: codePage)
            }
        }
        return result.filter { $0.unicodeScalars.contains { $0.value > 0x20 } }
    }

    /// The strings of a typed value: LPSTR, LPWSTR, vectors of them and of variants.
    private static func values(_ reader: ByteReader, at offset: Int, codePage: Int) -> [String] {
        guard let type = try? reader.u16(offset) else { return [] }
        var position = offset + 4
        switch type {
        case 0x001E, 0x001F:
            return string(reader, type: type, at: &position, codePage: codePage).map { [$0] } ?? []
        case 0x101E, 0x101F, 0x100C:
            guard let count = try? reader.u32(position) else { return [] }
            position += 4
            var result: [String] = []
            for _ in 0..<min(count, maxProperties) {
                if type == 0x100C {
                    guard let elementType = try? reader.u16(position) else { break }
                    let start = position
                    position += 4
                    if elementType == 0x001E || elementType == 0x001F {
                        guard let text = string(reader, type: elementType, at: &position, codePage: codePage, aligned: false) else { break }
                        result.append(text)
                    } else {
                        // Numbers in a HeadingPairs vector: four bytes (VT_I4).
                        position = start + 8
                    }
                } else {
                    guard let text = string(reader, type: type & 0x00FF, at: &position, codePage: codePage, aligned: false) else { break }
                    result.append(text)
                }
            }
            return result
        default:
            return []
        }
    }

    /// One LPSTR (byte count, bytes in the code page) or LPWSTR (character count, UTF-16),
    /// advancing past its padding to four bytes.
    /// Strings in vectors are not padded (MS-OSHARED's unaligned strings); others are.
    private static func string(_ reader: ByteReader, type: Int, at position: inout Int, codePage: Int, aligned: Bool = true) -> String? {
        guard let length = try? reader.u32(position), length < 1 << 20 else { return nil }
        position += 4
        let size = type == 0x001F ? length * 2 : length
        guard let bytes = try? reader.slice(position..<(position + size)) else { return nil }
        position += aligned ? (size + 3) & ~3 : size
        var text: String
        if type == 0x001F {
            text = String(decoding: MetadataText.utf8(bytes, encoding: .utf16LittleEndian), as: UTF8.self)
        } else {
            text = WindowsCodePage.decode(bytes, codePage: codePage)
        }
        while text.hasSuffix("\0") { text.removeLast() }
        return text
    }
}
