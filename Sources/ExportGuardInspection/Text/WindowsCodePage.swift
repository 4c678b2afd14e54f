/// Windows code pages, as RTF (`\ansicpg`, `\fcharset`), VBA projects and OLE property
/// sets name the charset of their bytes.
enum WindowsCodePage {
    /// ISO-8859-1 as Unicode scalars by byte, control characters but tab and line ends as 0.
    static let latin1: [UInt32] = (0..<256).map { (code: Int) -> UInt32 in
        code < 0x20 && code != 0x09 && code != 0x0A && code != 0x0D ? 0 : UInt32(code)
    }

    /// Code page 1252 as Unicode scalars by byte (0 where the page has no character), for
    /// readers that map byte by byte: PDF's WinAnsiEncoding, Word's 8-bit text pieces.
    static let windows1252: [UInt32] = {
        var table = latin1
        let high: [UInt32] = [
            0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
            0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
        ]
        for (offset, value) in high.enumerated() { table[0x80 + offset] = value }
        return table
    }()

    /// iconv's name for a code page (936 is read as GB18030, GBK's superset).
    static func charsetName(_ codePage: Int) -> String {
        switch codePage {
        case 936: "GB18030"
        case 950: "BIG5-HKSCS"
        case 932: "CP932"
        case 949: "CP949"
        case 1361: "JOHAB"
        case 10000: "MACINTOSH"
        case 65001: "UTF-8"
        case 1200: "UTF-16LE"
        case 1201: "UTF-16BE"
        case 12000: "UTF-32LE"
        case 12001: "UTF-32BE"
        default: "CP\(codePage)"
        }
    }

    /// Bytes in a code page as text; invalid sequences become U+FFFD.
    static func decode(_ bytes: some Collection<UInt8>, codePage: Int) -> String {
        let array = Array(bytes)
        // UTF-16 and UTF-32 pages are never ASCII-compatible.
        if ![1200, 1201, 12000, 12001].contains(codePage), array.allSatisfy({ $0 < 0x80 }) { return String(decoding: array, as: UTF8.self) }
        return MailCharset.decode(array, charset: charsetName(codePage))
    }
}
