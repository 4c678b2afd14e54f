/// Windows code pages, as RTF (`\ansicpg`, `\fcharset`), VBA projects and OLE property
/// sets name the charset of their bytes.
enum WindowsCodePage {
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
