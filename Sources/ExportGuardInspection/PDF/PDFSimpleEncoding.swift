/// The base encodings of simple fonts (§9.6.6, Annex D) and PDFDocEncoding for text
/// strings, as 256-entry tables of Unicode scalars (0 = no character).
enum PDFSimpleEncoding {
    /// WinAnsiEncoding: Windows code page 1252.
    static let winAnsi = WindowsCodePage.windows1252

    /// PDFDocEncoding, for text strings without a byte-order mark.
    static let pdfDoc: [UInt32] = {
        var table = WindowsCodePage.latin1
        let low: [UInt32] = [0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC]
        for (offset, value) in low.enumerated() { table[0x18 + offset] = value }
        let high: [UInt32] = [
            0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018,
            0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160, 0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0,
            0x20AC,
        ]
        for (offset, value) in high.enumerated() { table[0x80 + offset] = value }
        return table
    }()

    /// StandardEncoding, as far as text goes: ASCII with typographic quotes.
    static let standard: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        for code in 0x20..<0x7F { table[code] = UInt32(code) }
        table[0x27] = 0x2019
        table[0x60] = 0x2018
        return table
    }()

    /// MacRomanEncoding's upper half (the lower is ASCII).
    static let macRoman: [UInt32] = {
        var table = standard
        table[0x27] = 0x27
        table[0x60] = 0x60
        let high: [UInt32] = [
            0xC4, 0xC5, 0xC7, 0xC9, 0xD1, 0xD6, 0xDC, 0xE1, 0xE0, 0xE2, 0xE4, 0xE3, 0xE5, 0xE7, 0xE9, 0xE8,
            0xEA, 0xEB, 0xED, 0xEC, 0xEE, 0xEF, 0xF1, 0xF3, 0xF2, 0xF4, 0xF6, 0xF5, 0xFA, 0xF9, 0xFB, 0xFC,
            0x2020, 0xB0, 0xA2, 0xA3, 0xA7, 0x2022, 0xB6, 0xDF, 0xAE, 0xA9, 0x2122, 0xB4, 0xA8, 0x2260, 0xC6, 0xD8,
            0x221E, 0xB1, 0x2264, 0x2265, 0xA5, 0xB5, 0x2202, 0x2211, 0x220F, 0x3C0, 0x222B, 0xAA, 0xBA, 0x3A9, 0xE6, 0xF8,
            0xBF, 0xA1, 0xAC, 0x221A, 0x192, 0x2248, 0x2206, 0xAB, 0xBB, 0x2026, 0xA0, 0xC0, 0xC3, 0xD5, 0x152, 0x153,
            0x2013, 0x2014, 0x201C, 0x201D, 0x2018, 0x2019, 0xF7, 0x25CA, 0xFF, 0x178, 0x2044, 0x20AC, 0x2039, 0x203A, 0xFB01, 0xFB02,
            0x2021, 0xB7, 0x201A, 0x201E, 0x2030, 0xC2, 0xCA, 0xC1, 0xCB, 0xC8, 0xCD, 0xCE, 0xCF, 0xCC, 0xD3, 0xD4,
            0xF8FF, 0xD2, 0xDA, 0xDB, 0xD9, 0x131, 0x2C6, 0x2DC, 0xAF, 0x2D8, 0x2D9, 0x2DA, 0xB8, 0x2DD, 0x2DB, 0x2C7,
        ]
        for (offset, value) in high.enumerated() { table[0x80 + offset] = value }
        return table
    }()


    static func table(named name: String?) -> [UInt32]? {
        switch name {
        case "WinAnsiEncoding": winAnsi
        case "MacRomanEncoding": macRoman
        case "StandardEncoding": standard
        case "PDFDocEncoding": pdfDoc
        default: nil
        }
    }

    /// A text string (§7.9.2.2): UTF-16BE or UTF-8 with a byte-order mark, else PDFDocEncoding.
    static func text(_ bytes: [UInt8]) -> String {
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            return String(decoding: PDFCMap.utf16Units(Array(bytes[2...])), as: UTF16.self)
        }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE {
            let units = stride(from: 2, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0 + 1]) << 8 | UInt16(bytes[$0]) }
            return String(decoding: units, as: UTF16.self)
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            return String(decoding: bytes[3...], as: UTF8.self)
        }
        var text = ""
        for byte in bytes {
            let value = pdfDoc[Int(byte)]
            if value != 0, let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) }
        }
        return text
    }
}
