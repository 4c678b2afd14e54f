/// A CMap (§9.7.5, §9.10.3; Adobe technical note 5014): how a string's bytes split into
/// character codes, and what each code is — Unicode text (a font's `/ToUnicode`) or a CID
/// (the predefined CMaps such as `UniGB-UCS2-H`, read from poppler-data).
struct PDFCMap: Sendable {
    /// The most codes one CMap maps (a hostile range must not allocate without end).
    static let maxMappings = 1 << 20
    /// Codespace ranges and CID ranges at most (lookups scan them per glyph).
    static let maxCodespaces = 256
    static let maxCIDRanges = 1 << 16
    /// Operands kept before an operator (a block holds at most 100 entries).
    static let maxOperands = 1 << 16

    /// Codespace ranges (codes of 1–4 bytes): each byte of a code lies between the range's
    /// bytes at its position.
    private(set) var codespaces: [(low: [UInt8], high: [UInt8])] = []
    /// Code (with its length, ``key(_:length:)``) → Unicode text.
    private(set) var unicode: [UInt64: String] = [:]
    /// Code → CID: single codes, and ranges.
    private(set) var cidCodes: [UInt64: Int] = [:]
    private(set) var cidRanges: [(low: UInt64, high: UInt64, cid: Int)] = []
    /// The CMap this one builds on (`/UniGB-UCS2-H usecmap`).
    private(set) var parent: String?

    static func key(_ code: UInt32, length: Int) -> UInt64 { UInt64(length) << 32 | UInt64(code) }

    init() {}

    private enum Operand {
        case string([UInt8])
        case integer(Int)
        case name(String)
        case array([[UInt8]])
    }

    /// Parses a CMap program. Malformed entries are skipped: a font's map is best effort.
    init(parsing bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var lexer = PDFLexer(buffer)
            var operands: [Operand] = []
            var mappings = 0
            while let token = try? lexer.next() {
                switch token {
                case .end:
                    return
                case .string(let value):
                    operands.append(.string(value))
                case .integer(let value):
                    operands.append(.integer(value))
                case .name(let value):
                    operands.append(.name(value))
                case .arrayStart:
                    // Arrays appear as bfrange targets only: the strings up to `]`.
                    var items: [[UInt8]] = []
                    while let item = try? lexer.next() {
                        if case .string(let value) = item { items.append(value); continue }
                        if case .arrayEnd = item { break }
                        if case .end = item { break }
                    }
                    operands.append(.array(items))
                case .keyword(let keyword):
                    apply(keyword, operands, mappings: &mappings)
                    operands = []
                default:
                    operands = []
                }
                if operands.count > Self.maxOperands { operands = [] }
            }
        }
    }

    private mutating func apply(_ keyword: PDFLexer.Keyword, _ operands: [Operand], mappings: inout Int) {
        switch keyword {
        case PDFLexer.Keyword("usecmap"):
            if case .name(let name)? = operands.last { parent = name }
        case PDFLexer.Keyword("endcodespacerange"):
            for pair in stride(from: 0, to: operands.count - 1, by: 2) {
                if case .string(let low) = operands[pair], case .string(let high) = operands[pair + 1],
                   low.count == high.count, (1...4).contains(low.count), codespaces.count < Self.maxCodespaces {
                    codespaces.append((low, high))
                }
            }
        case PDFLexer.Keyword("endbfchar"):
            for pair in stride(from: 0, to: operands.count - 1, by: 2) where mappings < Self.maxMappings {
                guard case .string(let source) = operands[pair], let code = Self.code(source) else { continue }
                let key = Self.key(code, length: source.count)
                switch operands[pair + 1] {
                case .string(let target): unicode[key] = Self.text(utf16: target)
                case .name(let glyph): if let text = PDFGlyphNames.text(for: glyph) { unicode[key] = text }
                default: continue
                }
                mappings += 1
            }
        case PDFLexer.Keyword("endbfrange"):
            var index = 0
            while index + 2 < operands.count {
                defer { index += 3 }
                guard case .string(let lowBytes) = operands[index], case .string(let highBytes) = operands[index + 1],
                      let low = Self.code(lowBytes), let high = Self.code(highBytes), low <= high,
                      Int(high - low) < Self.maxMappings - mappings else { continue }
                let length = lowBytes.count
                switch operands[index + 2] {
                case .string(let target):
                    // The last UTF-16 unit counts up with the code.
                    var units = Self.utf16Units(target)
                    guard !units.isEmpty else { continue }
                    for code in low...high {
                        unicode[Self.key(code, length: length)] = String(decoding: units, as: UTF16.self)
                        units[units.count - 1] &+= 1
                    }
                    mappings += Int(high - low) + 1
                case .array(let targets):
                    for (offset, target) in targets.enumerated() where UInt32(offset) <= high - low {
                        unicode[Self.key(low + UInt32(offset), length: length)] = Self.text(utf16: target)
                    }
                    mappings += targets.count
                default:
                    continue
                }
            }
        case PDFLexer.Keyword("endcidrange"):
            var index = 0
            while index + 2 < operands.count {
                defer { index += 3 }
                guard case .string(let lowBytes) = operands[index], case .string(let highBytes) = operands[index + 1],
                      case .integer(let cid) = operands[index + 2], let low = Self.code(lowBytes), let high = Self.code(highBytes),
                      lowBytes.count == highBytes.count, low <= high, (0...0xFFFF).contains(cid), cidRanges.count < Self.maxCIDRanges else { continue }
                cidRanges.append((Self.key(low, length: lowBytes.count), Self.key(high, length: highBytes.count), cid))
            }
        case PDFLexer.Keyword("endcidchar"):
            for pair in stride(from: 0, to: operands.count - 1, by: 2) {
                guard case .string(let source) = operands[pair], case .integer(let cid) = operands[pair + 1],
                      let code = Self.code(source), (0...0xFFFF).contains(cid), cidCodes.count < Self.maxMappings else { continue }
                cidCodes[Self.key(code, length: source.count)] = cid
            }
        default:
            break
        }
    }

    /// Adds what `parent` maps and this CMap does not.
    mutating func inherit(from parent: PDFCMap) {
        if codespaces.isEmpty { codespaces = parent.codespaces }
        unicode.merge(parent.unicode) { own, _ in own }
        cidCodes.merge(parent.cidCodes) { own, _ in own }
        cidRanges += parent.cidRanges
        self.parent = parent.parent
    }

    /// Ranges expanded into single codes, for fast lookup (predefined CMaps, loaded once).
    mutating func flatten() {
        let total = cidRanges.reduce(0) { $0 + Int($1.high - $1.low) + 1 }
        guard total + cidCodes.count <= Self.maxMappings else { return }
        for range in cidRanges {
            for key in range.low...range.high where cidCodes[key] == nil {
                let cid = range.cid + Int(key - range.low)
                if cid <= 0xFFFF { cidCodes[key] = cid }
            }
        }
        cidRanges = []
    }

    // MARK: Lookup

    /// The length of the code at the start of `bytes` by the codespace ranges; nil when no
    /// range holds it (or the CMap declares none).
    func codeLength(_ bytes: UnsafeRawBufferPointer) -> Int? {
        for length in 1...4 where length <= bytes.count {
            for range in codespaces where range.low.count == length {
                var inside = true
                for position in 0..<length where bytes[position] < range.low[position] || bytes[position] > range.high[position] {
                    inside = false
                    break
                }
                if inside { return length }
            }
        }
        return nil
    }

    func cid(for key: UInt64) -> Int? {
        if let cid = cidCodes[key] { return cid }
        for range in cidRanges where key >= range.low && key <= range.high {
            // CIDs are 16-bit: one past the collection is no character.
            let cid = range.cid + Int(min(key - range.low, 0xFFFF))
            return cid <= 0xFFFF ? cid : nil
        }
        return nil
    }

    var isEmpty: Bool { unicode.isEmpty && cidCodes.isEmpty && cidRanges.isEmpty }

    // MARK: Helpers

    static func code(_ bytes: [UInt8]) -> UInt32? {
        guard (1...4).contains(bytes.count) else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func utf16Units(_ bytes: [UInt8]) -> [UInt16] {
        stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
    }

    /// UTF-16BE (as ToUnicode targets are); a single byte is read as its code point.
    static func text(utf16 bytes: [UInt8]) -> String {
        if bytes.count == 1 { return String(UnicodeScalar(bytes[0])) }
        return String(decoding: utf16Units(bytes), as: UTF16.self)
    }
}
