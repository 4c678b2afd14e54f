/// Where each object of a PDF is (§7.5.4, §7.5.8): at an offset in the file, or the n-th
/// object of an object stream. Built from the file's cross-reference tables and streams,
/// newest update first, or rebuilt by scanning the file for `N G obj` when they are broken.
struct PDFCrossReference {
    enum Entry: Equatable {
        case offset(Int)
        case compressed(stream: Int, index: Int)
    }

    /// The most objects a file may declare (a hostile `/Size` or `/W` must not allocate).
    static let maxObjects = 8_000_000

    var entries: [Int: Entry] = [:]
    var trailer = PDFDictionary()

    /// Adds the entries of an older section: newer ones, already present, win.
    mutating func merge(older entries: [Int: Entry], trailer older: PDFDictionary) {
        self.entries.merge(entries) { newer, _ in newer }
        for (key, value) in older.entries where trailer[key] == nil { trailer[key] = value }
    }

    // MARK: Tables

    /// A classic table from `xref` to its trailer dictionary (the lexer at `xref`).
    static func readTable(_ parser: inout PDFParser) throws(PDFError) -> (entries: [Int: Entry], trailer: PDFDictionary) {
        guard case .keyword(let keyword) = try parser.requiredToken(), keyword == .xref else { throw .corrupt("no cross-reference table at startxref") }
        var entries: [Int: Entry] = [:]
        while true {
            let token = try parser.requiredToken()
            switch token {
            case .keyword(let keyword) where keyword == .trailer:
                guard case .dictionaryStart = try parser.requiredToken() else { throw .corrupt("no trailer dictionary") }
                return (entries, try parser.dictionaryBody(depth: 0))
            case .integer(let first):
                guard case .integer(let count) = try parser.requiredToken(), first >= 0, count >= 0,
                      first <= maxObjects, count <= maxObjects - first else {
                    throw .corrupt("a cross-reference subsection header is malformed")
                }
                for number in first..<(first + count) {
                    guard case .integer(let offset) = try parser.requiredToken(), case .integer = try parser.requiredToken(),
                          case .keyword(let kind) = try parser.requiredToken() else {
                        throw .corrupt("a cross-reference entry is malformed")
                    }
                    if kind == PDFLexer.Keyword("n"), offset > 0, entries[number] == nil {
                        entries[number] = .offset(offset)
                    }
                }
            default:
                throw .corrupt("the cross-reference table is malformed")
            }
        }
    }

    /// The entries of a cross-reference stream's decoded data (`/W`, `/Index`, `/Size`).
    static func readStream(_ dictionary: PDFDictionary, data: [UInt8]) throws(PDFError) -> [Int: Entry] {
        guard let widths = dictionary["W"]?.array?.compactMap(\.integer), widths.count == 3,
              widths.allSatisfy({ $0 >= 0 && $0 <= 8 }) else {
            throw .corrupt("a cross-reference stream has no valid /W")
        }
        let rowLength = widths.reduce(0, +)
        guard rowLength > 0 else { throw .corrupt("a cross-reference stream has empty rows") }
        let size = dictionary["Size"]?.integer ?? 0
        var ranges: [(Int, Int)] = []
        if let index = dictionary["Index"]?.array?.compactMap(\.integer), index.count >= 2 {
            for pair in stride(from: 0, to: index.count - 1, by: 2) { ranges.append((index[pair], index[pair + 1])) }
        } else {
            ranges = [(0, size)]
        }
        var entries: [Int: Entry] = [:]
        var row = 0
        func field(_ start: Int, _ width: Int) -> Int {
            var value = 0
            for byte in data[start..<(start + width)] { value = value << 8 | Int(byte) }
            return value
        }
        for (first, count) in ranges {
            guard first >= 0, count >= 0, first <= maxObjects, count <= maxObjects - first else {
                throw .corrupt("a cross-reference stream's /Index is out of range")
            }
            for number in first..<(first + count) {
                let start = row * rowLength
                guard start + rowLength <= data.count else { return entries }
                row += 1
                let type = widths[0] == 0 ? 1 : field(start, widths[0])
                let second = field(start + widths[0], widths[1])
                let third = field(start + widths[0] + widths[1], widths[2])
                guard entries[number] == nil else { continue }
                switch type {
                case 1 where second > 0: entries[number] = .offset(second)
                case 2: entries[number] = .compressed(stream: second, index: third)
                default: break
                }
            }
        }
        return entries
    }
}
