import ExportGuardCore

/// Reads RTF (Rich Text Format 1.9.1) as it streams: groups and control words, text in the
/// code page of the document (`\ansicpg`) or of the current font (`\fcharset` in the font
/// table — 134 is GBK, 136 Big5), `\uN` characters with their `\ucN` fallbacks skipped, and
/// `\'hh` bytes. Destinations that hold no text (font and colour tables, style sheets,
/// pictures, `\*` destinations a reader may ignore) are skipped; embedded objects
/// (`\objdata`) are nested streams, sniffed like any member; pictures are media parts.
///
/// Text, headers, footers, footnotes, comments, field results and instructions (a
/// hyperlink's target) and the document information (`\title`, `\author` …) are read.
struct RTFDecoder {
    /// Groups nested deeper than this are corrupt or hostile; what is inside is skipped
    /// and reported.
    static let maxDepth = 1024
    /// Longest control word and parameter (the specification says 32 letters, 10 digits).
    static let maxWord = 32

    private enum State {
        case text
        /// After `\`.
        case escape
        case word
        case parameter
        /// After `\'`, with the first hex digit when seen.
        case hex(UInt8?)
        /// Inside `\binN`: raw bytes to pass over.
        case binary(Int)
    }

    /// What a group does with its text.
    private enum Destination: Equatable {
        case text
        case skip
        case fontTable
        /// Hex digits of a picture or an embedded object, decoded as they come.
        case picture
        case objectData
    }

    private struct Group {
        var destination: Destination = .text
        var unicodeSkip = 1
        var font: Int?
        /// The next control word starts a destination (first in the group).
        var atStart = true
        /// After `\*`: an unknown destination is skipped.
        var ignorable = false
        /// A field of the document information or a field instruction: a line of its own.
        var endsLine = false
    }

    private var state = State.text
    private var word: [UInt8] = []
    private var parameter: [UInt8] = []
    private var groups = [Group()]
    private var tooDeep = 0
    /// Characters of a `\u` fallback still to skip.
    private var pendingSkip = 0
    private var documentCodePage = 1252
    private var fontCharsets: [Int: Int] = [:]
    /// The font-table entry being read: its number and charset.
    private var tableFont: Int?
    /// Bytes in the current code page, converted together (a GBK character is two `\'hh`).
    private var pendingBytes: [UInt8] = []
    private var pendingCodePage = 1252
    private var converters: [Int: any CharsetConverter] = [:]
    private var output: [UInt8] = []
    private var objectData: RTFObjectData?
    /// Hex digits of the picture being read, and pictures so far.
    private var pictureDigits = 0
    private var pictureCount = 0
    private var sawHeader = false

    init() {}

    // MARK: Bytes

    mutating func decode(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        for byte in bytes {
            step(byte, in: stream)
        }
        // A double-byte character cut by the chunk's end stays in the converter.
        flushText(in: stream, final: false)
    }

    private mutating func step(_ byte: UInt8, in stream: StreamDispatcher) {
        switch state {
        case .text:
            switch byte {
            case UInt8(ascii: "\\"):
                state = .escape
            case UInt8(ascii: "{"):
                openGroup()
            case UInt8(ascii: "}"):
                closeGroup(in: stream)
            case 0x0D, 0x0A:
                break
            default:
                character(byte, in: stream)
            }
        case .escape:
            if isLetter(byte) {
                word = [byte]
                parameter = []
                state = .word
            } else {
                state = .text
                symbol(byte, in: stream)
            }
        case .word:
            if isLetter(byte), word.count < Self.maxWord {
                word.append(byte)
            } else if byte == UInt8(ascii: "-") || isDigit(byte) {
                parameter = [byte]
                state = .parameter
            } else {
                endWord(delimiter: byte, in: stream)
            }
        case .parameter:
            if isDigit(byte), parameter.count < 11 {
                parameter.append(byte)
            } else {
                endWord(delimiter: byte, in: stream)
            }
        case .hex(let high):
            guard let value = PDFLexer.hexValue(byte) else {
                // A broken escape: the byte is read as text again.
                state = .text
                step(byte, in: stream)
                return
            }
            if let high {
                state = .text
                hexByte(high << 4 | value, in: stream)
            } else {
                state = .hex(value)
            }
        case .binary(let remaining):
            state = remaining > 1 ? .binary(remaining - 1) : .text
            // Raw bytes: an object's or a picture's data, never text.
            switch current.destination {
            case .objectData: objectData?.byte(byte)
            case .picture: pictureDigits += 2
            default: break
            }
        }
    }

    private func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// The control word is complete; `delimiter` ends it (a space is part of the word).
    private mutating func endWord(delimiter: UInt8, in stream: StreamDispatcher) {
        state = .text
        let name = String(decoding: word, as: UTF8.self)
        let value = parameter.isEmpty ? nil : Int(String(decoding: parameter.prefix(11), as: UTF8.self)).map { max(-1 << 31, min($0, 1 << 31)) }
        controlWord(name, value, in: stream)
        // A delimiter other than a space is read as what follows (for \bin, its first byte).
        if delimiter != UInt8(ascii: " ") { step(delimiter, in: stream) }
    }

    // MARK: Groups

    private mutating func openGroup() {
        guard groups.count < Self.maxDepth else {
            // Deeper groups are counted, not kept: their text is read as the deepest one's.
            tooDeep += 1
            wentTooDeep = true
            return
        }
        var group = groups[groups.count - 1]
        group.atStart = true
        group.ignorable = false
        group.endsLine = false
        groups.append(group)
    }

    private mutating func closeGroup(in stream: StreamDispatcher) {
        if tooDeep > 0 {
            tooDeep -= 1
            return
        }
        guard groups.count > 1 else { return }
        let closed = groups.removeLast()
        pendingSkip = 0
        if highSurrogate != nil {
            highSurrogate = nil
            emitScalar(0xFFFD, in: stream)
        }
        switch closed.destination {
        case .fontTable where groups.last?.destination != .fontTable:
            tableFont = nil
        case .objectData where groups.last?.destination != .objectData:
            flushText(in: stream)
            stream.closeText()
            objectData?.finish()
            objectData = nil
        case .picture where groups.last?.destination != .picture:
            if pictureDigits > 0 {
                flushText(in: stream)
                stream.closeText()
                pictureCount += 1
                let location = stream.location.at(.element("picture \(pictureCount)"))
                stream.session.sink.media(MediaPart(location: location, format: "rtf-picture", bytes: pictureDigits / 2, nested: true))
            }
            pictureDigits = 0
        default:
            break
        }
        if closed.destination == .text, closed.endsLine {
            emitASCII(0x0A, in: stream)
        }
        if closed.destination == .text, groups.last?.destination == .text, closed.font != groups.last?.font {
            flushText(in: stream)
        }
    }

    private var current: Group {
        get { groups[groups.count - 1] }
        set { groups[groups.count - 1] = newValue }
    }

    // MARK: Control words and symbols

    private mutating func controlWord(_ name: String, _ value: Int?, in stream: StreamDispatcher) {
        // Past the depth limit, words change no destination (the group they would open is not kept).
        let first = current.atStart && tooDeep == 0
        current.atStart = false
        if name == "bin" {
            // Raw bytes follow the word's delimiter: never text, never a delimiter.
            if let count = value, count > 0 { state = .binary(count) }
            return
        }
        if first || current.ignorable, Self.lineFields.contains(name) {
            current.endsLine = true
        }
        if first || current.ignorable, let destination = Self.destinations[name] {
            flushText(in: stream)
            current.destination = current.destination == .text || destination == .skip ? destination : current.destination
            if current.destination == .objectData, destination == .objectData, objectData == nil {
                // The object's part must not interleave with the document's text.
                stream.closeText()
                objectData = RTFObjectData(child: stream.child(named: "object \(objectCount + 1)"))
                objectCount += 1
            }
            current.ignorable = false
            return
        }
        if current.ignorable, tooDeep == 0 {
            // `{\*\unknown …}`: a destination this reader does not know; skip it.
            current.destination = .skip
            current.ignorable = false
            return
        }
        switch name {
        case "rtf":
            sawHeader = true
        case "ansicpg":
            if let value, value > 0 { documentCodePage = value }
        case "deff":
            defaultFont = value
        case "mac": documentCodePage = 10000
        case "pc": documentCodePage = 437
        case "pca": documentCodePage = 850
        case "uc":
            if let value, value >= 0, value <= 16 { current.unicodeSkip = value }
        case "u":
            if let value { unicode(value, in: stream) }
        case "f":
            if current.destination == .fontTable {
                tableFont = value
            } else if current.destination == .text {
                flushText(in: stream)
                current.font = value
            }
        case "fcharset":
            if current.destination == .fontTable, let tableFont, let value { fontCharsets[tableFont] = value }
        default:
            break
        }
        guard current.destination == .text else { return }
        switch name {
        case "par", "line", "sect", "page", "row", "lbr":
            emitASCII(0x0A, in: stream)
        case "tab", "cell", "nestcell":
            emitASCII(0x09, in: stream)
        case "emdash": emitScalar(0x2014, in: stream)
        case "endash": emitScalar(0x2013, in: stream)
        case "emspace", "enspace", "qmspace": emitASCII(0x20, in: stream)
        case "bullet": emitScalar(0x2022, in: stream)
        case "lquote": emitScalar(0x2018, in: stream)
        case "rquote": emitScalar(0x2019, in: stream)
        case "ldblquote": emitScalar(0x201C, in: stream)
        case "rdblquote": emitScalar(0x201D, in: stream)
        default: break
        }
    }

    private var objectCount = 0

    private mutating func symbol(_ byte: UInt8, in stream: StreamDispatcher) {
        switch byte {
        case UInt8(ascii: "'"):
            state = .hex(nil)
        case UInt8(ascii: "*"):
            if tooDeep == 0 { current.ignorable = true }
        case UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}"):
            character(byte, in: stream)
        case UInt8(ascii: "~"):
            if current.destination == .text { emitScalar(0xA0, in: stream) }
        case UInt8(ascii: "_"):
            if current.destination == .text { emitScalar(0x2011, in: stream) }
        case 0x0A, 0x0D:
            if current.destination == .text { emitASCII(0x0A, in: stream) }
        default:
            // `\-` (an optional hyphen), `\|`, `\:`: nothing to read.
            break
        }
        current.atStart = false
    }

    // MARK: Text

    /// A character of the stream as it is written (not escaped).
    private mutating func character(_ byte: UInt8, in stream: StreamDispatcher) {
        current.atStart = false
        switch current.destination {
        case .text:
            if skipFallback() { return }
            appendByte(byte, in: stream)
        case .picture, .objectData:
            guard let value = PDFLexer.hexValue(byte) else { return }
            if current.destination == .picture {
                pictureDigits += 1
            } else {
                objectData?.hexDigit(value)
            }
        case .fontTable, .skip:
            break
        }
    }

    private mutating func hexByte(_ byte: UInt8, in stream: StreamDispatcher) {
        guard current.destination == .text else { return }
        if skipFallback() { return }
        appendByte(byte, in: stream)
    }

    /// True when the character is part of a `\u` fallback, which is dropped.
    private mutating func skipFallback() -> Bool {
        guard pendingSkip > 0 else { return false }
        pendingSkip -= 1
        return true
    }

    private mutating func unicode(_ value: Int, in stream: StreamDispatcher) {
        guard current.destination == .text else { return }
        var scalar = value < 0 ? value + 65536 : value
        if scalar < 0 || scalar > 0xFFFF { scalar = 0xFFFD }
        // Surrogate pairs arrive as two \u words; a lone half becomes U+FFFD.
        if (0xDC00...0xDFFF).contains(scalar), let high = highSurrogate {
            emitScalar(0x10000 + ((high - 0xD800) << 10) + (scalar - 0xDC00), in: stream)
            highSurrogate = nil
        } else {
            // A high surrogate not followed by its low half is no character.
            if highSurrogate != nil { emitScalar(0xFFFD, in: stream) }
            highSurrogate = nil
            if (0xD800...0xDBFF).contains(scalar) {
                highSurrogate = scalar
            } else {
                emitScalar((0xDC00...0xDFFF).contains(scalar) ? 0xFFFD : scalar, in: stream)
            }
        }
        pendingSkip = current.unicodeSkip
    }

    private var highSurrogate: Int?
    private var defaultFont: Int?
    private var wentTooDeep = false
    private var reportedCodePage = false

    private mutating func appendByte(_ byte: UInt8, in stream: StreamDispatcher) {
        let codePage = codePage
        if codePage != pendingCodePage {
            flushText(in: stream)
            pendingCodePage = codePage
        }
        pendingBytes.append(byte)
        if pendingBytes.count >= 4096 { flushText(in: stream, final: false) }
    }

    /// The code page of the current font, or the document's.
    private var codePage: Int {
        guard let font = current.font ?? defaultFont, let charset = fontCharsets[font] else { return documentCodePage }
        return Self.codePages[charset] ?? documentCodePage
    }

    private mutating func emitASCII(_ byte: UInt8, in stream: StreamDispatcher) {
        flushText(in: stream)
        output.append(byte)
    }

    private mutating func emitScalar(_ value: Int, in stream: StreamDispatcher) {
        flushText(in: stream)
        let scalar = Unicode.Scalar(UInt32(value)) ?? "\u{FFFD}"
        output.append(contentsOf: Array(String(scalar).utf8))
    }

    /// Converts the bytes gathered in the current code page, then passes all text on. Not
    /// `final`, a lead byte at the end waits in the converter for its trail byte.
    private mutating func flushText(in stream: StreamDispatcher, final: Bool = true) {
        if !pendingBytes.isEmpty || final {
            let page = pendingCodePage
            if converters[page] == nil, let made = CharsetConverters.make(from: WindowsCodePage.charsetName(page)) { converters[page] = made }
            if let converter = converters[page] {
                let before = converter.replaced
                pendingBytes.withUnsafeBytes { converter.convert($0, final: final) { output.append(contentsOf: $0) } }
                stream.session.stats.replacedSequences += converter.replaced - before
            } else if !pendingBytes.isEmpty {
                if !reportedCodePage {
                    reportedCodePage = true
                    stream.uninspected(.unknownCharset("RTF: code page \(page) cannot be converted; its bytes are read as UTF-8"))
                }
                // Read as UTF-8; a sequence cut by the chunk's end waits for the rest.
                let cut = final ? pendingBytes.count : Self.completeUTF8Prefix(pendingBytes)
                output.append(contentsOf: String(decoding: pendingBytes[..<cut], as: UTF8.self).utf8)
                pendingBytes.removeSubrange(..<cut)
                return flushOutput(in: stream)
            }
            pendingBytes.removeAll(keepingCapacity: true)
        }
        flushOutput(in: stream)
    }

    private mutating func flushOutput(in stream: StreamDispatcher) {
        guard !output.isEmpty else { return }
        output.withUnsafeBytes { stream.emitText($0) }
        output.removeAll(keepingCapacity: true)
    }

    /// How many bytes from the start end on a whole UTF-8 sequence: a lead byte in the last
    /// three whose sequence runs past the end starts what is left.
    static func completeUTF8Prefix(_ bytes: [UInt8]) -> Int {
        for back in 1...min(3, bytes.count) {
            let byte = bytes[bytes.count - back]
            guard byte & 0xC0 == 0x80 else {
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                return length > back ? bytes.count - back : bytes.count
            }
        }
        return bytes.count
    }

    mutating func finish(in stream: StreamDispatcher) {
        flushText(in: stream)
        // An object's part is closed even when the input was stopped inside it.
        stream.closeText()
        objectData?.finish()
        objectData = nil
        guard !stream.isStopped else { return }
        if wentTooDeep {
            stream.uninspected(.limitExceeded("RTF: groups nested deeper than \(Self.maxDepth) (read as the deepest kept group)"))
        }
        if !sawHeader {
            stream.uninspected(.corrupt("RTF: no \\rtf header"))
        } else if groups.count > 1 || tooDeep > 0 {
            stream.uninspected(.corrupt("RTF: the document ends inside \(groups.count - 1 + tooDeep) open groups (truncated?)"))
        }
    }

    // MARK: Tables

    /// Destinations by control word: what their group holds.
    private static let destinations: [String: Destination] = {
        var table: [String: Destination] = [:]
        for skipped in ["colortbl", "stylesheet", "listtable", "listoverridetable", "revtbl", "rsidtbl", "filetbl",
                        "themedata", "colorschememapping", "datastore", "latentstyles", "xmlnstbl", "generator",
                        "pgdsctbl", "mmathPr", "defchp", "defpap", "operator", "version", "edmins",
                        "nofpages", "nofwords", "nofchars", "nofcharsws", "vern", "creatim", "revtim", "printim",
                        "buptim", "xmlopen", "wgrffmtfilter", "passwordhash", "panose", "falt", "fname",
                        "objclass", "objname", "objalias", "objsect", "objtime", "blipuid",
                        "nonshppict", "bkmkstart", "bkmkend", "ftnsep", "ftnsepc", "aftnsep", "aftnsepc"] {
            table[skipped] = .skip
        }
        // Text a reader shows or a person wrote, behind `\*`: field instructions (a link's
        // target), comments and their authors, text boxes of shapes.
        for text in ["fldinst", "annotation", "atnauthor", "atnid", "shpinst", "shptxt", "shppict", "ud", "docvar",
                     "userprops", "ffdeftext", "ffl", "ffstattext", "ffhelptext", "ffentrymcr", "company", "manager",
                     "category", "hlinkbase", "sp", "sv"] {
            table[text] = .text
        }
        // A shape property's name is not text; its value (alt text, WordArt, a picture) is.
        table["sn"] = .skip
        table["fonttbl"] = .fontTable
        table["pict"] = .picture
        table["objdata"] = .objectData
        return table
    }()

    /// Groups that hold one field of text: the document information, field instructions.
    private static let lineFields: Set<String> = [
        "title", "subject", "author", "keywords", "comment", "doccomm", "company", "manager", "category", "hlinkbase", "fldinst",
    ]

    /// Windows code pages of the `\fcharset` values.
    static let codePages: [Int: Int] = [
        0: 1252, 128: 932, 129: 949, 130: 1361, 134: 936, 136: 950, 161: 1253, 162: 1254, 163: 1258,
        177: 1255, 178: 1256, 186: 1257, 204: 1251, 222: 874, 238: 1250, 77: 10000,
    ]
}

extension RTFDecoder: StreamDecoder {}
