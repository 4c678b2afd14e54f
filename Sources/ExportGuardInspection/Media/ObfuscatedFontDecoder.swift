/// A font embedded in a Word document (`word/fonts/font1.odttf`): an ordinary TrueType or
/// OpenType font whose first 32 bytes are XORed with a key kept in another part
/// (ECMA-376 Part 1, 17.8.1). Those bytes hold the font's header and its first table
/// records; from byte 44 on the table directory is plain. Table records are sorted by
/// tag and `name` is never among the first two, so it is found without the key: the
/// records are walked from there while they stay well formed, the name table's strings
/// are read as text, and the part is reported as a font. Anything else is corrupt.
struct ObfuscatedFontDecoder: WholeFormat {
    static let maximumBytes = FontDecoder.maximumBytes
    static let partName = "font"
    /// The first table record that is not obfuscated (the third).
    static let firstPlainRecord = 12 + 16 * 2

    /// Four plain table records in a row, in tag order, inside a plausible font, after a
    /// header that is not a font's own (it is obfuscated).
    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        guard head.count >= firstPlainRecord + 64, !FontDecoder.recognises(head) else { return false }
        let bytes = ByteReader(bytes: Array(head.prefix(firstPlainRecord + 64)), bigEndian: true)
        var previous: [UInt8] = []
        for index in 0..<4 {
            let record = firstPlainRecord + index * 16
            guard let tag = try? bytes.slice(record..<(record + 4)), tag.allSatisfy({ (0x20...0x7E).contains($0) }),
                  Array(tag).lexicographicallyPrecedes(previous) == false, Array(tag) != previous,
                  let offset = try? bytes.u32(record + 8), offset >= firstPlainRecord + 16, offset < 1 << 28 else { return false }
            previous = Array(tag)
        }
        return true
    }

    func read(_ bytes: [UInt8], in stream: StreamDispatcher) {
        let font = ByteReader(bytes: bytes, bigEndian: true)
        var record = Self.firstPlainRecord
        var previous: [UInt8] = []
        var names: [String] = []
        var records = 0
        while let tag = try? font.slice(record..<(record + 4)), tag.allSatisfy({ (0x20...0x7E).contains($0) }),
              Array(tag).lexicographicallyPrecedes(previous) == false, Array(tag) != previous,
              let offset = try? font.u32(record + 8), let length = try? font.u32(record + 12),
              font.contains(offset, length: length) {
            if Array(tag) == Array("name".utf8) {
                guard let table = try? font.slice(offset..<(offset + length)),
                      let strings = try? FontDecoder.nameStrings(ByteReader(bytes: Array(table), bigEndian: true)) else {
                    stream.uninspected(.corrupt("font: the name table of an obfuscated font is malformed"))
                    return
                }
                names = strings
            }
            previous = Array(tag)
            records += 1
            record += 16
        }
        guard records >= 4 else {
            stream.uninspected(.corrupt("font: an obfuscated font's table directory is malformed"))
            return
        }
        FontDecoder.report(names, format: "font (obfuscated)", bytes: bytes.count, in: stream)
    }
}
