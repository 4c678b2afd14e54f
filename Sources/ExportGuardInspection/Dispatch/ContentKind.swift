/// What a stream holds, decided from its first bytes, never from its name.
enum ContentKind: Sendable, Hashable {
    case empty
    case utf8Text
    case utf16(bigEndian: Bool)
    case utf32(bigEndian: Bool)
    /// Text in another charset (GB18030, Big5, Shift-JIS, HZ, windows-1252 …), as detected.
    case legacyText(DetectedCharset)
    case xml
    /// An HTML page (`<!DOCTYPE html` or `<html` first): read for its text, with character
    /// references decoded, like an HTML part of a mail.
    case html
    /// An RFC 5322 mail message (a `.eml`) or an mbox of them.
    case mail
    /// A single-stream compressed file (gzip, xz, lzma, bzip2, zstd).
    case compressed(Compression)
    case zip
    case tar
    /// A Unix `ar` archive (Debian packages, static libraries).
    case ar
    /// A cpio archive (newc or odc: initramfs, RPM payloads).
    case cpio
    /// A 7z archive met inside a stream (read whole, up to a bound: its header is at its end).
    case sevenZip
    /// An archive format recognised but not read (RAR, CAB, binary cpio): named in the reason.
    case unreadableArchive(String)
    case pdf
    /// An OLE2 compound file: legacy Office and WPS documents, VBA projects, OLE objects.
    case compoundFile
    /// Outlook's TNEF (`winmail.dat`): a message's body and attachments.
    case tnef
    /// Rich Text Format (`{\rtf`): text in code pages and Unicode escapes, embedded objects.
    case rtf
    case image(String)
    /// LibreOffice Writer's layout cache (numbers only), checked whole.
    case layoutCache
    /// Zero bytes (a hole, padding): nothing to read until another byte comes.
    case zeros
    /// Printer settings of an office package (a Windows DEVMODE or a macOS print record).
    case printerSettings
    case binary
}

extension ContentKind {
    /// Sniffs the start of a stream (up to the sniff window; less if the stream is shorter).
    static func sniff(_ head: UnsafeRawBufferPointer) -> ContentKind {
        if head.isEmpty { return .empty }
        func starts(with magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && (0..<magic.count).allSatisfy { head[offset + $0] == magic[$0] }
        }
        if let compression = Compression.sniff(head) { return .compressed(compression) }
        if ArDecoder.recognises(head) { return .ar }
        if CpioDecoder.recognises(head) { return .cpio }
        if SevenZipReader.recognises(head) { return .sevenZip }
        if let name = unreadableArchive(head) { return .unreadableArchive(name) }
        if starts(with: [0x50, 0x4B, 0x03, 0x04]) || starts(with: [0x50, 0x4B, 0x05, 0x06]) || starts(with: [0x50, 0x4B, 0x07, 0x08]) {
            return .zip
        }
        if starts(with: Array("%PDF-".utf8)) { return .pdf }
        if CompoundFile.recognises(head) { return .compoundFile }
        if TNEFDecoder.recognises(head) { return .tnef }
        if starts(with: Array("{\\rtf".utf8)) { return .rtf }
        if starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .image("png") }
        if starts(with: [0xFF, 0xD8, 0xFF]) { return .image("jpeg") }
        if starts(with: Array("GIF8".utf8)) { return .image("gif") }
        if starts(with: Array("RIFF".utf8)), starts(with: Array("WEBP".utf8), at: 8) { return .image("webp") }
        if starts(with: Array("RIFF".utf8)), starts(with: Array("WAVE".utf8), at: 8) { return .image("wav") }
        if SVMDecoder.recognises(head) { return .image("svm") }
        if MP4Decoder.recognises(head) { return .image("mp4") }
        if MP3Decoder.recognises(head) { return .image("mp3") }
        if FontDecoder.recognises(head) { return .image("font") }
        if CMSDecoder.recognises(head) { return .image("pkcs7") }
        if ObfuscatedFontDecoder.recognises(head) { return .image("obfuscated-font") }
        if LayoutCacheDecoder.recognises(head) { return .layoutCache }
        if BMPDecoder.recognises(head) { return .image("bmp") }
        if EMFDecoder.recognises(head) { return .image("emf") }
        if TIFFDecoder.recognises(head) { return .image("tiff") }
        if WMFDecoder.recognises(head) { return .image("wmf") }
        if PrinterSettingsDecoder.recognises(head) { return .printerSettings }
        if starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return .utf32(bigEndian: true) }
        if starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return .utf32(bigEndian: false) }
        if starts(with: [0xFE, 0xFF]) { return .utf16(bigEndian: true) }
        if starts(with: [0xFF, 0xFE]) { return .utf16(bigEndian: false) }
        if TarHeader.looksLikeTar(head) { return .tar }
        if looksLikeMail(head) { return .mail }
        // XML in any charset goes to libxml2, which reads its declaration (ISO-8859-5,
        // GB18030, EBCDIC …).
        if looksLikeXML(head) || starts(with: [0x4C, 0x6F, 0xA7, 0x94]) { return .xml }
        // Text is judged without the NULs that end it (a C string written whole, padding)
        // or a DOS end-of-file mark.
        let text = UTF8Validator.trimmingTextEnd(head)
        if text.isEmpty { return head.contains(0x1A) ? .binary : .zeros }
        if let census = UTF8Validator.census(text) {
            if looksLikeHTML(text) { return .html }
            return textKind(text, multibyte: census.multibyte, invalid: census.invalid)
        }
        if pastedUTF16(text, textBefore: true) { return .utf8Text }
        if let bigEndian = CharsetDetector.bomlessUTF32(head) { return .utf32(bigEndian: bigEndian) }
        // A confident detector first: Shift-JIS lead bytes also pass for UTF-16's high bytes.
        let detected = CharsetDetector.detect(head)
        if let detected, detected.doubt == nil { return .legacyText(detected) }
        if let bigEndian = bomlessUTF16(head) { return .utf16(bigEndian: bigEndian) }
        if let detected { return .legacyText(detected) }
        // Last, as it is the loosest signature: a DER structure (a certificate, a seal).
        if ASN1Decoder.recognises(head) { return .image("asn1") }
        return .binary
    }

    /// Text that reads as UTF-8 (at most one invalid byte in 64): UTF-8, unless it is all
    /// 7-bit with the shift sequences of HZ, UTF-7 or ISO-2022, or ASCII with a few bytes of
    /// another charset (an English list with a column of GBK names) — there every byte
    /// outside ASCII is invalid UTF-8 — or another charset by ICU's confident guess.
    private static func textKind(_ head: UnsafeRawBufferPointer, multibyte: Int, invalid: Int) -> ContentKind {
        if invalid == 0 {
            if multibyte == 0, let charset = CharsetDetector.detectSevenBit(head) { return .legacyText(charset) }
            return .utf8Text
        }
        if let charset = CharsetDetector.detect(head, mostlyUTF8: multibyte > 0) { return .legacyText(charset) }
        return .utf8Text
    }

    /// Archive formats recognised by their signatures but not read.
    private static func unreadableArchive(_ head: UnsafeRawBufferPointer) -> String? {
        func starts(with magic: [UInt8]) -> Bool {
            head.count >= magic.count && (0..<magic.count).allSatisfy { head[$0] == magic[$0] }
        }
        if starts(with: [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07]) { return "RAR archive" }
        if starts(with: Array("MSCF".utf8) + [0, 0, 0, 0]) { return "Microsoft Cabinet (CAB) archive" }
        if CpioDecoder.recognisesBinary(head) { return "binary cpio archive" }
        return nil
    }

    /// `<?xml`, a KML/GPX root, or a root element that declares a namespace (`<worksheet
    /// xmlns="...">`, as openpyxl and other generators write office parts without an XML
    /// declaration), after an optional BOM and white space. Such parts must go to the XML
    /// parser: read as plain text, their character references (`&#26426;&#23494;` for 机密)
    /// would hide the words from the matcher. Other markup (HTML, also XHTML) stays text:
    /// a strict XML parser would reject much of it.
    static func looksLikeXML(_ head: UnsafeRawBufferPointer) -> Bool {
        let index = markupStart(head)
        let rest = Array(head[index..<min(head.count, index + 8)]).map { $0 | 0x20 }
        for prefix in ["<?xml", "<kml", "<gpx"] where rest.starts(with: Array(prefix.utf8).map { $0 | 0x20 }) {
            return true
        }
        return namespacedRoot(head, from: index)
    }

    /// `<!DOCTYPE html` or `<html` (any case) after an optional BOM and white space.
    static func looksLikeHTML(_ head: UnsafeRawBufferPointer) -> Bool {
        let index = markupStart(head)
        let rest = Array(head[index..<min(head.count, index + 14)]).map { $0 | 0x20 }
        // The byte after `<html` is compared as it is: folded, a tab or line break would not
        // read as one.
        return rest.starts(with: Array("<!doctype html".utf8)) || rest.starts(with: Array("<html".utf8))
            && (rest.count == 5 || [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ">")].contains(head[index + 5]))
    }

    /// Where markup would begin: after an optional UTF-8 BOM and white space.
    private static func markupStart(_ head: UnsafeRawBufferPointer) -> Int {
        var index = 0
        if head.count >= 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { index = 3 }
        while index < head.count, [0x20, 0x09, 0x0A, 0x0D].contains(head[index]) { index += 1 }
        return index
    }

    /// A start tag at `index` whose name begins with a letter or `_`, is not `html`, and
    /// which carries an `xmlns` attribute before its `>` (within the head).
    private static func namespacedRoot(_ head: UnsafeRawBufferPointer, from index: Int) -> Bool {
        guard index + 1 < head.count, head[index] == UInt8(ascii: "<") else { return false }
        let first = head[index + 1]
        guard (first | 0x20) &- UInt8(ascii: "a") < 26 || first == UInt8(ascii: "_") else { return false }
        var nameEnd = index + 1
        while nameEnd < head.count, ![0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ">"), UInt8(ascii: "/")].contains(head[nameEnd]) { nameEnd += 1 }
        let name = head[(index + 1)..<nameEnd].map { $0 | 0x20 }
        if name == Array("html".utf8) { return false }
        guard let close = head[nameEnd...].firstIndex(of: UInt8(ascii: ">")) else { return false }
        let xmlns = Array("xmlns".utf8)
        let tag = Array(head[nameEnd..<close])
        guard tag.count >= xmlns.count else { return false }
        return (0...(tag.count - xmlns.count)).contains { tag[$0..<($0 + xmlns.count)].elementsEqual(xmlns) }
    }

    /// A mail header block at the start: the first line is a `Name: value` field (or an mbox
    /// `From ` line followed by one), every line up to the blank line is a field or a
    /// continuation, and one of them is a field only mail has at its top.
    static func looksLikeMail(_ head: UnsafeRawBufferPointer) -> Bool {
        let known: Set<String> = ["from", "received", "return-path", "message-id", "mime-version", "date", "to", "subject"]
        var index = 0
        var lines = 0
        var sawKnown = false
        // Blank or white-space lines before the header (as iPhone and webmail clients write).
        while let end = head[index...].firstIndex(of: 0x0A), end - index <= 1024,
              head[index..<end].allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            index = end + 1
        }
        if head.count >= index + 5, Array(head[index..<(index + 5)]) == Array("From ".utf8) {
            guard let end = head[(index + 5)...].firstIndex(of: 0x0A) else { return false }
            index = end + 1
        }
        while index < head.count {
            let end = head[index...].firstIndex(of: 0x0A)
            var line = head[index..<(end ?? head.count)]
            if line.last == 0x0D { line = line.dropLast() }
            if line.isEmpty { break }
            if line.contains(where: { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F }) { return false }
            if line.first == 0x20 || line.first == 0x09 {
                if lines == 0 { return false }
            } else if let colon = MailHeaderBlock.fieldNameEnd(line) {
                let name = String(decoding: line.prefix(colon).filter { $0 != 0x20 && $0 != 0x09 }, as: UTF8.self).lowercased()
                if known.contains(name) { sawKnown = true }
            } else if end != nil || lines == 0 {
                // Not a header field (a line cut by the sniff window is not judged).
                return false
            }
            lines += 1
            guard let end else { break }
            index = end + 1
        }
        return lines > 0 && sawKnown
    }

    /// UTF-8 text (with `textBefore`, at least one byte of it), then a UTF-16 block from its
    /// byte-order mark on — an export pasted into a UTF-8 file: the bytes after the mark
    /// must read as UTF-16 in the mark's order.
    static func pastedUTF16(_ head: UnsafeRawBufferPointer, textBefore: Bool) -> Bool {
        guard head.count >= 2, let second = (1..<head.count).first(where: { head[$0] >= 0xFE && head[$0 - 1] == head[$0] ^ 0x01 }) else {
            return false
        }
        let mark = second - 1
        guard mark > 0 || !textBefore, let census = UTF8Validator.census(UnsafeRawBufferPointer(rebasing: head[0..<mark])), census.invalid == 0 else {
            return false
        }
        return bomlessUTF16(UnsafeRawBufferPointer(rebasing: head[(mark + 2)...])) == (head[mark] == 0xFE)
    }

    /// UTF-16 without a BOM: in nine pairs of ten the high byte is zero (ASCII) or a CJK,
    /// CJK-punctuation or full-width row (0x30–0x9F, 0xFF), and it sits on the same side.
    static func bomlessUTF16(_ head: UnsafeRawBufferPointer) -> Bool? {
        let pairs = head.count / 2
        guard pairs >= 4 else { return nil }
        func plausible(high: UInt8, low: UInt8) -> Bool {
            if high == 0 { return low >= 0x20 || low == 0x0A || low == 0x0D || low == 0x09 }
            return (0x30...0x9F).contains(high) || high == 0xFF
        }
        var little = 0, big = 0, zeros = 0
        for pair in 0..<pairs {
            let even = head[pair * 2], odd = head[pair * 2 + 1]
            if plausible(high: odd, low: even) { little += 1 }
            if plausible(high: even, low: odd) { big += 1 }
            if even == 0 || odd == 0 { zeros += 1 }
        }
        if little * 10 >= pairs * 9 && big * 10 < pairs * 9 { return false }
        if big * 10 >= pairs * 9 && little * 10 < pairs * 9 { return true }
        // ASCII-only UTF-16 fits both ways only if it is all zeros; nothing to say then.
        return nil
    }

    /// GB18030 (a superset of GBK and GB2312) or Big5 (as HKSCS, its superset), for text
    /// that is not UTF-8, by structure alone: double-byte
    /// pairs that fit one of them, no control bytes. Big5 uses trail bytes 0x40–0x7E for many
    /// common characters, GB2312 text never does; four-byte sequences are GB18030's own.
    static func legacyChineseCharset(_ head: UnsafeRawBufferPointer) -> String? {
        var index = 0
        var pairs = 0, lowTrail = 0, fourByte = 0, invalid = 0
        while index < head.count {
            let byte = head[index]
            if byte < 0x80 {
                if byte < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D, 0x1B].contains(byte) { return nil }
                index += 1
                continue
            }
            guard index + 1 < head.count else { break }
            let second = head[index + 1]
            if (0x81...0xFE).contains(byte), (0x30...0x39).contains(second) {
                if index + 3 < head.count, (0x81...0xFE).contains(head[index + 2]), (0x30...0x39).contains(head[index + 3]) {
                    fourByte += 1
                    index += 4
                    continue
                }
                invalid += 1
                index += 1
                continue
            }
            if (0x81...0xFE).contains(byte), (0x40...0xFE).contains(second), second != 0x7F {
                pairs += 1
                if second <= 0x7E { lowTrail += 1 }
                index += 2
                continue
            }
            invalid += 1
            index += 1
        }
        guard pairs + fourByte > 0, invalid <= max(1, (pairs + fourByte) / 20) else { return nil }
        if fourByte == 0, lowTrail * 10 >= pairs { return "BIG5-HKSCS" }
        return "GB18030"
    }
}
