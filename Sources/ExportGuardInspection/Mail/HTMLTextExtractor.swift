/// Reduces HTML (already in UTF-8) to its text as it streams, cut anywhere by chunk
/// boundaries: tags, comments and declarations are dropped, and so is the content of
/// `script` and `style`; common entities (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&nbsp;`,
/// `&#NNN;`, `&#xHH;`) are decoded; white space runs become one space, and block elements
/// (`p`, `div`, `br`, `li`, `tr`, headings …) start a new line. No tree is built: state is
/// a few bytes, whatever the input.
struct HTMLTextExtractor {
    private enum State {
        case text
        /// After `&`; the entity's name so far is in `entity`.
        case entity
        /// After `<`.
        case tagOpen
        /// Reading a tag's name (`isEnd` for `</name`).
        case tagName(isEnd: Bool)
        /// Inside a tag after its name, up to `>`; `quote` while in a quoted attribute value.
        case inTag(quote: UInt8?)
        /// After `<!`: a comment if `--` follows, else a declaration up to `>`.
        case markup(dashes: Int)
        /// Inside `<!-- … -->`; `dashes` counts the `-` just seen.
        case comment(dashes: Int)
        /// A declaration or processing instruction, up to `>`.
        case declaration
        /// Inside script or style: skipping up to the matching end tag (`matched` bytes of
        /// `</name` seen).
        case rawText(matched: Int)
    }

    private var state = State.text
    private var entity: [UInt8] = []
    private var tagName: [UInt8] = []
    private var rawTextEnd: [UInt8] = []
    private var output: [UInt8] = []
    private var wroteText = false
    private var pendingSpace = false
    private var pendingBreaks = 0

    static let maxEntityLength = 32
    static let maxTagName = 16

    /// Elements that begin a new line of text.
    static let blockElements: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html",
        "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "tfoot", "thead", "title", "tr", "ul",
    ]
    /// Elements that separate text like a space (table cells).
    static let spaceElements: Set<String> = ["td", "th"]
    /// Elements whose content is not text.
    static let rawTextElements: Set<String> = ["script", "style"]

    init() {}

    mutating func feed(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) -> Void) {
        output.removeAll(keepingCapacity: true)
        for byte in input { step(byte) }
        if !output.isEmpty { output.withUnsafeBytes(emit) }
    }

    /// The input ended: an unfinished entity or a lone `<` is text; an unfinished tag is not.
    mutating func finish(emit: (UnsafeRawBufferPointer) -> Void) {
        output.removeAll(keepingCapacity: true)
        switch state {
        case .entity:
            visible([UInt8(ascii: "&")] + entity)
        case .tagOpen:
            visible([UInt8(ascii: "<")])
        default:
            break
        }
        state = .text
        entity.removeAll()
        if !output.isEmpty { output.withUnsafeBytes(emit) }
    }

    // MARK: Output

    private mutating func visible(_ bytes: [UInt8]) {
        for byte in bytes { visible(byte) }
    }

    private mutating func visible(_ byte: UInt8) {
        if wroteText {
            if pendingBreaks > 0 {
                output.append(contentsOf: repeatElement(0x0A, count: pendingBreaks))
            } else if pendingSpace {
                output.append(0x20)
            }
        }
        pendingBreaks = 0
        pendingSpace = false
        wroteText = true
        output.append(byte)
    }

    private mutating func space() {
        pendingSpace = true
    }

    private mutating func lineBreak(_ count: Int = 1, adding: Bool = false) {
        pendingBreaks = adding ? min(pendingBreaks + count, 2) : max(pendingBreaks, count)
    }

    // MARK: States

    private mutating func step(_ byte: UInt8) {
        switch state {
        case .text:
            text(byte)
        case .entity:
            if byte == UInt8(ascii: ";") {
                state = .text
                if let decoded = Self.decodeEntity(entity) {
                    if decoded == [0x20] { space() } else { visible(decoded) }
                } else {
                    visible([UInt8(ascii: "&")] + entity + [byte])
                }
                entity.removeAll()
            } else if entity.count < Self.maxEntityLength, Self.isEntityByte(byte) {
                entity.append(byte)
            } else {
                state = .text
                visible([UInt8(ascii: "&")] + entity)
                entity.removeAll()
                text(byte)
            }
        case .tagOpen:
            if Self.isLetter(byte) {
                tagName = [byte | 0x20]
                state = .tagName(isEnd: false)
            } else if byte == UInt8(ascii: "/") {
                tagName = []
                state = .tagName(isEnd: true)
            } else if byte == UInt8(ascii: "!") {
                state = .markup(dashes: 0)
            } else if byte == UInt8(ascii: "?") {
                state = .declaration
            } else {
                state = .text
                visible(UInt8(ascii: "<"))
                text(byte)
            }
        case .tagName(let isEnd):
            if Self.isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) {
                if tagName.count < Self.maxTagName { tagName.append(byte | (Self.isLetter(byte) ? 0x20 : 0)) }
            } else if byte == UInt8(ascii: ">") {
                endOfTag(isEnd: isEnd)
            } else {
                state = .inTag(quote: nil)
                if isEnd { tagName.insert(UInt8(ascii: "/"), at: 0) }
            }
        case .inTag(let quote):
            if let quote {
                if byte == quote { state = .inTag(quote: nil) }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                state = .inTag(quote: byte)
            } else if byte == UInt8(ascii: ">") {
                let isEnd = tagName.first == UInt8(ascii: "/")
                if isEnd { tagName.removeFirst() }
                endOfTag(isEnd: isEnd)
            }
        case .markup(let dashes):
            if byte == UInt8(ascii: "-") {
                state = dashes == 1 ? .comment(dashes: 0) : .markup(dashes: dashes + 1)
            } else {
                state = .declaration
                step(byte)
            }
        case .comment(let dashes):
            if byte == UInt8(ascii: "-") {
                state = .comment(dashes: dashes + 1)
            } else if byte == UInt8(ascii: ">") && dashes >= 2 {
                state = .text
            } else {
                state = .comment(dashes: 0)
            }
        case .declaration:
            if byte == UInt8(ascii: ">") { state = .text }
        case .rawText(let matched):
            let lowered = Self.isLetter(byte) ? byte | 0x20 : byte
            if matched == rawTextEnd.count {
                // `</script` seen: the end tag if a delimiter follows.
                if byte == UInt8(ascii: ">") {
                    state = .text
                } else if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C || byte == UInt8(ascii: "/") {
                    tagName = [UInt8(ascii: "/")]
                    state = .inTag(quote: nil)
                } else {
                    state = .rawText(matched: lowered == rawTextEnd[0] ? 1 : 0)
                }
            } else if lowered == rawTextEnd[matched] {
                state = .rawText(matched: matched + 1)
            } else {
                state = .rawText(matched: lowered == rawTextEnd[0] ? 1 : 0)
            }
        }
    }

    private mutating func text(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "<"):
            state = .tagOpen
        case UInt8(ascii: "&"):
            state = .entity
            entity.removeAll()
        case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
            space()
        default:
            visible(byte)
        }
    }

    private mutating func endOfTag(isEnd: Bool) {
        state = .text
        let name = String(decoding: tagName, as: UTF8.self)
        if name == "br" {
            lineBreak(adding: true)
        } else if Self.blockElements.contains(name) {
            lineBreak()
        } else if Self.spaceElements.contains(name) {
            space()
        } else if !isEnd, Self.rawTextElements.contains(name) {
            rawTextEnd = Array("</\(name)".utf8)
            state = .rawText(matched: 0)
        }
    }

    // MARK: Entities

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private static func isEntityByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "#")
    }

    static let namedEntities: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
        "copy": "\u{A9}", "reg": "\u{AE}", "middot": "\u{B7}", "mdash": "\u{2014}", "ndash": "\u{2013}",
        "hellip": "\u{2026}", "ldquo": "\u{201C}", "rdquo": "\u{201D}", "lsquo": "\u{2018}", "rsquo": "\u{2019}",
        "times": "\u{D7}", "yen": "\u{A5}", "laquo": "\u{AB}", "raquo": "\u{BB}", "bull": "\u{2022}", "deg": "\u{B0}",
    ]

    /// The UTF-8 of an entity's name (`amp`, `#26426`, `#x5BC6`), or nil if unknown.
    static func decodeEntity(_ name: [UInt8]) -> [UInt8]? {
        guard let first = name.first else { return nil }
        if first == UInt8(ascii: "#") {
            var digits = name.dropFirst()
            var radix = 10
            if let marker = digits.first, marker | 0x20 == UInt8(ascii: "x") {
                radix = 16
                digits = digits.dropFirst()
            }
            guard !digits.isEmpty, digits.count <= 8, let value = UInt32(String(decoding: digits, as: UTF8.self), radix: radix) else { return nil }
            let scalar = (value == 0 ? nil : Unicode.Scalar(value)) ?? "\u{FFFD}"
            return Array(String(Character(scalar)).utf8)
        }
        let key = String(decoding: name, as: UTF8.self)
        guard let scalar = namedEntities[key] ?? namedEntities[key.lowercased()] else { return nil }
        return Array(String(Character(scalar)).utf8)
    }
}
