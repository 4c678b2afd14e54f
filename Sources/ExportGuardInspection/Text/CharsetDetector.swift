import CCharsetDetection

/// The charset a text stream that is not UTF-8 is read in, and how sure that is.
struct DetectedCharset: Sendable, Hashable {
    /// The converter's name for it (iconv's, or ICU's for HZ).
    var name: String
    /// Why the charset is not certain, when it is not: the stream is still read in `name`
    /// (a guess that finds words is better than none) and also reported `unknown-charset`.
    var doubt: String?

    init(_ name: String, doubt: String? = nil) {
        self.name = name
        self.doubt = doubt
    }
}

/// Says what charset text is in when it is not UTF-8, from the sniff window only.
///
/// Structure first, where it is unambiguous: UTF-32 without a byte-order mark (every unit
/// a code point in one byte order only), and the 7-bit charsets that read as ASCII (HZ,
/// UTF-7, ISO-2022). Then ICU's detector (`ucsdet`), which weighs byte statistics and
/// character frequencies per charset and language: confident at 50 or more out of 100 (it
/// reaches 100 on a few lines of GBK, Big5, Shift-JIS, EUC-JP or EUC-KR, and 30 or less on
/// a few words). Below that, double-byte text that fits GB18030 or Big5 is read as that —
/// Chinese is what this product most needs to read — and anything else as ICU's best
/// guess, each with a doubt that reports the part `unknown-charset`.
enum CharsetDetector {
    /// ICU's confidence from which its best candidate is taken as certain.
    static let confident: Int32 = 50

    /// The charset of a window that is not UTF-8 text, or nil when it is not text at all.
    /// `mostlyUTF8` is set for a window of valid UTF-8 sequences and a few invalid bytes:
    /// it stays UTF-8 (nil) unless ICU confidently names another charset.
    static func detect(_ head: UnsafeRawBufferPointer, mostlyUTF8: Bool = false) -> DetectedCharset? {
        guard head.count > 0, !head.contains(where: isControl) else { return nil }
        let candidates = icuCandidates(head)
        if let best = candidates.first, best.confidence >= confident, let name = converterName(icu: best.name) {
            return name == "UTF-8" ? nil : DetectedCharset(name)
        }
        let guesses = candidates.prefix(3).map { "\($0.name) \($0.confidence)" }.joined(separator: ", ")
        let suffix = guesses.isEmpty ? "" : " (ICU's guesses: \(guesses))"
        // Mostly UTF-8: its valid sequences would also pass for GB18030 pairs. And a stray
        // byte or three outside ASCII (junk, one accented letter) is no ground for a guess.
        if mostlyUTF8 || head.count(where: { $0 >= 0x80 }) < 4 { return nil }
        if let chinese = ContentKind.legacyChineseCharset(head) {
            return DetectedCharset(chinese, doubt: "no charset is certain; read as \(chinese)\(suffix)")
        }
        for candidate in candidates where candidate.confidence >= 10 {
            guard let name = converterName(icu: candidate.name), name != "UTF-8", !name.hasPrefix("UTF-") else { continue }
            return DetectedCharset(name, doubt: "no charset is certain; read as \(name)\(suffix)")
        }
        return nil
    }

    /// HZ, UTF-7 or ISO-2022 for a window of 7-bit bytes that holds their shift sequences,
    /// else nil (the window is ASCII, read as UTF-8).
    static func detectSevenBit(_ head: UnsafeRawBufferPointer) -> DetectedCharset? {
        guard !head.contains(where: { $0 >= 0x80 }) else { return nil }
        if head.contains(0x1B) {
            // ESC sequences: ICU's ISO-2022 recognisers count valid designations and shifts.
            if let best = icuCandidates(head).first, best.name.hasPrefix("ISO-2022"), best.confidence >= confident {
                return DetectedCharset(best.name)
            }
            return nil
        }
        if isHZ(head) { return DetectedCharset("HZ") }
        if isUTF7(head) { return DetectedCharset("UTF-7") }
        return nil
    }

    /// The byte order of UTF-32 without a byte-order mark: every whole unit in the window a
    /// Unicode scalar (no NUL, no surrogate) in one order and not in the other.
    static func bomlessUTF32(_ head: UnsafeRawBufferPointer) -> Bool? {
        let units = head.count / 4
        guard units >= 2 else { return nil }
        var little = true, big = true
        for unit in 0..<units {
            let b = (head[unit * 4], head[unit * 4 + 1], head[unit * 4 + 2], head[unit * 4 + 3])
            let le = UInt32(b.0) | UInt32(b.1) << 8 | UInt32(b.2) << 16 | UInt32(b.3) << 24
            let be = UInt32(b.3) | UInt32(b.2) << 8 | UInt32(b.1) << 16 | UInt32(b.0) << 24
            little = little && isTextScalar(le)
            big = big && isTextScalar(be)
            if !little && !big { return nil }
        }
        return little == big ? nil : big
    }

    // MARK: ICU

    struct Candidate {
        var name: String
        var confidence: Int32
    }

    /// ICU's candidates for the window, best first.
    static func icuCandidates(_ head: UnsafeRawBufferPointer) -> [Candidate] {
        guard let base = head.baseAddress, head.count > 0 else { return [] }
        var matches = [eg_charset_match](repeating: eg_charset_match(), count: 8)
        let found = matches.withUnsafeMutableBufferPointer {
            eg_detect_charsets(base, Int32(min(head.count, Int(Int32.max))), $0.baseAddress, Int32($0.count))
        }
        guard found > 0 else { return [] }
        return matches.prefix(Int(found)).map { match in
            var match = match
            let name = withUnsafeBytes(of: &match.name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            return Candidate(name: name, confidence: match.confidence)
        }
    }

    /// The converter name for a charset as ICU names it: supersets where they are what
    /// the label means in practice (GBK text labelled GB2312, HKSCS in Big5, Windows
    /// additions in Shift-JIS and EUC-KR, windows-1252 for Latin-1), nil for none.
    static func converterName(icu name: String) -> String? {
        switch name {
        case "UTF-8": "UTF-8"
        case "GB18030": "GB18030"
        case "Big5": "BIG5-HKSCS"
        case "Shift_JIS": "CP932"
        case "EUC-KR": "CP949"
        case "ISO-8859-1": "WINDOWS-1252"
        case "ISO-8859-6-I", "ISO-8859-6-E": "ISO-8859-6"
        case "ISO-8859-8-I", "ISO-8859-8-E": "ISO-8859-8"
        case "IBM420_rtl", "IBM420_ltr": "IBM420"
        case "IBM424_rtl", "IBM424_ltr": "IBM424"
        case "EUC-JP", "ISO-2022-JP", "ISO-2022-KR", "ISO-2022-CN", "KOI8-R",
             "ISO-8859-2", "ISO-8859-5", "ISO-8859-6", "ISO-8859-7", "ISO-8859-8", "ISO-8859-9",
             "windows-1250", "windows-1251", "windows-1252", "windows-1253", "windows-1254",
             "windows-1255", "windows-1256", "UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE":
            name.uppercased()
        default: nil
        }
    }

    // MARK: Structure

    /// Control bytes that text does not hold (tab, line breaks, form feed, ESC, and the
    /// shift-out and shift-in of ISO-2022-KR and -CN aside).
    private static func isControl(_ byte: UInt8) -> Bool {
        byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0C && byte != 0x0D && byte != 0x1B && byte != 0x0E && byte != 0x0F
    }

    private static func isTextScalar(_ value: UInt32) -> Bool {
        guard value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return false }
        return value >= 0x20 || value == 0x09 || value == 0x0A || value == 0x0D || value == 0x0C
    }

    /// HZ (RFC 1843): `~{` shifts into GB2312 written as pairs of bytes 0x21–0x7E, `~}`
    /// back. Every shifted run in the window must hold whole GB2312 pairs and end, and at
    /// least two pairs must be seen, so that `~{` in code or prose is not taken for HZ.
    static func isHZ(_ head: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        var pairs = 0
        while index + 1 < head.count {
            guard head[index] == UInt8(ascii: "~") else {
                index += 1
                continue
            }
            let next = head[index + 1]
            if next != UInt8(ascii: "{") {
                index += 2  // `~~`, `~\n` or text
                continue
            }
            index += 2
            while index + 1 < head.count, !(head[index] == UInt8(ascii: "~") && head[index + 1] == UInt8(ascii: "}")) {
                let lead = head[index], trail = head[index + 1]
                // GB2312 rows 1–87 (0xA1–0xF7 once shifted), cells 1–94.
                guard (0x21...0x77).contains(lead), (0x21...0x7E).contains(trail) else { return false }
                pairs += 1
                index += 2
            }
            index += 2
        }
        return pairs >= 2
    }

    /// UTF-7 (RFC 2152): `+` starts base64 of UTF-16 that `-` or any other character ends.
    /// Text is taken as UTF-7 only when every run of three or more base64 characters closed
    /// by `-` decodes cleanly (no leftover bits, no lone surrogate) to characters outside
    /// ASCII, and at least two such characters are seen: `C++`, `a+b` and `+86 138…` are not.
    static func isUTF7(_ head: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        var decoded = 0
        while index < head.count {
            guard head[index] == UInt8(ascii: "+") else {
                index += 1
                continue
            }
            var end = index + 1
            while end < head.count, base64Value(head[end]) != nil { end += 1 }
            let run = UnsafeRawBufferPointer(rebasing: head[(index + 1)..<end])
            index = end
            // Only runs closed by `-`, as encoders write them, are judged: base64 in a
            // config line (`key=+QmFz…==`) decodes cleanly too.
            guard run.count >= 3, end < head.count, head[end] == UInt8(ascii: "-") else { continue }
            guard let units = utf16Units(ofBase64: run) else { return false }
            decoded += units
        }
        return decoded >= 2
    }

    /// How many UTF-16 units a UTF-7 base64 run holds, or nil when it is not clean UTF-7
    /// of non-ASCII text.
    private static func utf16Units(ofBase64 run: UnsafeRawBufferPointer) -> Int? {
        var bits: UInt32 = 0
        var bitCount = 0
        var units = 0
        var pendingHigh = false
        for byte in run {
            bits = bits << 6 | UInt32(base64Value(byte)!)
            bitCount += 6
            if bitCount >= 16 {
                bitCount -= 16
                let unit = (bits >> UInt32(bitCount)) & 0xFFFF
                bits &= (1 << UInt32(bitCount)) - 1
                switch unit {
                case 0xD800...0xDBFF:
                    guard !pendingHigh else { return nil }
                    pendingHigh = true
                case 0xDC00...0xDFFF:
                    guard pendingHigh else { return nil }
                    pendingHigh = false
                case 0..<0x80:
                    return nil  // UTF-7 writes ASCII directly
                default:
                    guard !pendingHigh else { return nil }
                }
                units += 1
            }
        }
        // Leftover bits must be zero and fewer than a base64 character's worth.
        guard bitCount < 6, bits == 0, !pendingHigh else { return nil }
        return units
    }

    private static func base64Value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
