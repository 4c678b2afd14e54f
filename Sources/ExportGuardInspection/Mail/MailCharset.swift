import Glibc

/// Charsets as mail declares them, mapped to what glibc's iconv (or ICU, for HZ) converts.
enum MailCharset {
    /// The iconv name to convert a declared charset from, or nil when no conversion is
    /// needed (UTF-8, US-ASCII) or iconv does not know the charset (the content is then
    /// sniffed like any other). GB2312 and GBK are read as GB18030, their superset:
    /// mail labelled GB2312 often holds GBK characters.
    static func converterName(_ declared: String) -> String? {
        var name = declared.lowercased()
        name.removeAll { $0 == "\"" || $0 == "'" || $0 == " " || $0 == "\t" }
        if let star = name.firstIndex(of: "*") { name = String(name[..<star]) }  // RFC 2231 language
        switch name {
        case "", "utf-8", "utf8", "us-ascii", "ascii", "iso646-us", "ansi_x3.4-1968", "unicode-1-1-utf-8", "x-unknown", "unknown-8bit":
            return nil
        case "gb2312", "gbk", "gb18030", "cp936", "x-gbk", "euc-cn", "x-euc-cn", "gb_2312-80", "csgb2312", "ms936", "windows-936", "chinese":
            return "GB18030"
        case "big5", "x-big5", "cn-big5", "csbig5", "big-5":
            return "BIG5-HKSCS"  // its superset: Hong Kong mail labelled Big5 holds HKSCS characters
        case "ks_c_5601-1987":
            return "CP949"
        case "hz-gb-2312", "hz", "x-hz":
            return "HZ"  // ICU's converter: glibc has none
        default:
            let upper = name.uppercased()
            guard upper.utf8.count <= 40, upper.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
            let handle = iconv_open("UTF-8", upper)
            if handle == iconv_t(bitPattern: -1) { return nil }
            iconv_close(handle)
            return upper
        }
    }

    /// Decodes bytes in a declared charset; invalid sequences become U+FFFD.
    static func decode(_ bytes: [UInt8], charset: String?) -> String {
        if let name = charset.flatMap(converterName), let converter = CharsetConverters.make(from: name) {
            var output: [UInt8] = []
            bytes.withUnsafeBytes { converter.convert($0, final: true) { output.append(contentsOf: $0) } }
            return String(decoding: output, as: UTF8.self)
        }
        return decodeRaw(bytes)
    }

    /// Bytes with no declared charset (raw 8-bit header text): UTF-8 when valid, else
    /// GB18030 when it converts cleanly (Chinese mail often carries raw GBK headers), else
    /// UTF-8 with invalid bytes replaced.
    static func decodeRaw(_ bytes: [UInt8]) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) || String(validating: bytes, as: UTF8.self) != nil {
            return String(decoding: bytes, as: UTF8.self)
        }
        if let converter = IconvConverter(from: "GB18030") {
            var output: [UInt8] = []
            bytes.withUnsafeBytes { converter.convert($0, final: true) { output.append(contentsOf: $0) } }
            if converter.replaced == 0 { return String(decoding: output, as: UTF8.self) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
