/// Turns the text fields of media metadata (PNG text chunks, JPEG comments, EXIF tags)
/// into UTF-8 for the matcher. Their encodings are fixed by each format, or unknown (a JPEG
/// comment), in which case UTF-8 is taken when valid and GB18030 or Big5 when they fit.
enum MetadataText {
    enum Encoding {
        /// ISO-8859-1 (PNG tEXt and zTXt).
        case latin1
        /// UTF-16, little-endian (EXIF XP* tags).
        case utf16LittleEndian
        /// UTF-16, big-endian (font names, MP4 metadata, ASN.1 BMPString).
        case utf16BigEndian
        /// Not declared: UTF-8 when valid, else UTF-16 or a legacy Chinese charset when one
        /// fits, else Latin-1.
        case undeclared
    }

    /// The text of a payload no decoder reads (a private chunk, an unknown segment), when it
    /// reads as text — UTF-8, UTF-16 or GB18030/Big5 — so nothing readable passes unread
    /// inside a picture; nil for binary data.
    static func probe(_ bytes: some Collection<UInt8>) -> [UInt8]? {
        let raw = Array(bytes)
        guard raw.count >= 4, isReadable(raw) else { return nil }
        let text = utf8(raw, encoding: .undeclared)
        return text.contains(where: { $0 > 0x20 }) ? text : nil
    }

    /// Whether bytes read as text: UTF-8, UTF-16 (little-endian, without a BOM) or a legacy
    /// Chinese charset. What pictures hold in places no decoder reads is judged by this.
    static func isReadable(_ raw: [UInt8]) -> Bool {
        raw.withUnsafeBytes { head in
            UTF8Validator.looksLikeText(head) || ContentKind.bomlessUTF16(head) == false || ContentKind.legacyChineseCharset(head) != nil
        }
    }

    static func utf8(_ bytes: some Collection<UInt8>, encoding: Encoding) -> [UInt8] {
        var raw = Array(bytes)
        if encoding != .utf16LittleEndian && encoding != .utf16BigEndian {
            while raw.last == 0 { raw.removeLast() }
        }
        switch encoding {
        case .latin1:
            return Array(String(decoding: raw.map { UInt16($0) }, as: UTF16.self).utf8)
        case .utf16LittleEndian, .utf16BigEndian:
            let (high, low) = encoding == .utf16BigEndian ? (0, 1) : (1, 0)
            var units: [UInt16] = []
            units.reserveCapacity(raw.count / 2)
            var index = 0
            while index + 1 < raw.count {
                units.append(UInt16(raw[index + high]) << 8 | UInt16(raw[index + low]))
                index += 2
            }
            while units.last == 0 { units.removeLast() }
            return Array(String(decoding: units, as: UTF16.self).utf8)
        case .undeclared:
            if let text = String(validating: raw, as: UTF8.self) { return Array(text.utf8) }
            if raw.withUnsafeBytes({ ContentKind.bomlessUTF16($0) }) == false { return utf8(raw, encoding: .utf16LittleEndian) }
            let charset = raw.withUnsafeBytes { ContentKind.legacyChineseCharset($0) }
            if let charset, let converter = IconvConverter(from: charset) {
                var out: [UInt8] = []
                raw.withUnsafeBytes { input in
                    converter.convert(input, final: true) { out.append(contentsOf: $0) }
                }
                return out
            }
            return utf8(raw, encoding: .latin1)
        }
    }
}
