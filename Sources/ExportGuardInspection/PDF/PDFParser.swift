/// Builds objects from tokens (§7.3): arrays, dictionaries, `N G R` references, and the
/// `N G obj … endobj` wrapper of indirect objects with their stream data.
struct PDFParser {
    /// Arrays and dictionaries nested deeper than this are corrupt (or hostile).
    static let maxNesting = 64

    var lexer: PDFLexer

    init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0) {
        lexer = PDFLexer(bytes, at: position)
    }

    var position: Int {
        get { lexer.position }
        set { lexer.position = newValue }
    }

    /// The next token, where the bytes must go on: their end means the window was too short.
    mutating func requiredToken() throws(PDFError) -> PDFLexer.Token {
        let token = try lexer.next()
        if case .end = token { throw .needMoreBytes }
        return token
    }

    /// The next object; throws at the end of the bytes or on a keyword where an object must be.
    mutating func object() throws(PDFError) -> PDFObject {
        let token = try lexer.next()
        return try object(startingWith: token, depth: 0)
    }

    mutating func object(startingWith token: PDFLexer.Token, depth: Int) throws(PDFError) -> PDFObject {
        guard depth < Self.maxNesting else { throw .limitExceeded("arrays or dictionaries nested more than \(Self.maxNesting) deep") }
        switch token {
        case .integer(let number):
            // `N G R` is a reference; anything else leaves the integer alone.
            let saved = lexer.position
            if number >= 0, case .integer(let generation) = try? lexer.next(), generation >= 0,
               case .keyword(let keyword) = try? lexer.next(), keyword == .reference {
                return .reference(PDFReference(number: number, generation: generation))
            }
            lexer.position = saved
            return .integer(number)
        case .real(let value):
            return .real(value)
        case .string(let bytes):
            return .string(bytes)
        case .name(let name):
            return .name(name)
        case .arrayStart:
            var items: [PDFObject] = []
            while true {
                let next = try lexer.next()
                switch next {
                case .arrayEnd: return .array(items)
                case .end: throw .needMoreBytes
                case .dictionaryEnd: continue
                case .keyword(let keyword) where !Self.isValueKeyword(keyword): continue
                default: items.append(try object(startingWith: next, depth: depth + 1))
                }
            }
        case .dictionaryStart:
            return .dictionary(try dictionaryBody(depth: depth))
        case .keyword(let keyword):
            switch keyword {
            case .trueValue: return .boolean(true)
            case .falseValue: return .boolean(false)
            case .null: return .null
            default: throw .corrupt("a keyword where an object should be")
            }
        case .arrayEnd, .dictionaryEnd:
            throw .corrupt("a closing bracket where an object should be")
        case .end:
            throw .needMoreBytes
        }
    }

    /// The entries after `<<`, up to `>>`. Keys that are not names, and values missing
    /// before `>>`, are skipped as readers do.
    mutating func dictionaryBody(depth: Int) throws(PDFError) -> PDFDictionary {
        var dictionary = PDFDictionary()
        while true {
            let token = try lexer.next()
            switch token {
            case .dictionaryEnd:
                return dictionary
            case .end:
                throw .needMoreBytes
            case .name(let key):
                let valueToken = try lexer.next()
                if case .dictionaryEnd = valueToken { return dictionary }
                if case .keyword(let keyword) = valueToken, !Self.isValueKeyword(keyword) { continue }
                dictionary[key] = try object(startingWith: valueToken, depth: depth + 1)
            case .keyword(let keyword) where keyword == .stream || keyword == .endobj:
                throw .corrupt("a dictionary is not closed")
            default:
                // A stray value without a key: skip it.
                _ = try object(startingWith: token, depth: depth + 1)
            }
        }
    }

    static func isValueKeyword(_ keyword: PDFLexer.Keyword) -> Bool {
        keyword == .trueValue || keyword == .falseValue || keyword == .null
    }

    /// An indirect object at the current position: `N G obj`, the object, and for a stream
    /// where its data starts (after `stream` and its end of line).
    mutating func indirectObject() throws(PDFError) -> (reference: PDFReference, object: PDFObject, streamStart: Int?) {
        guard case .integer(let number) = try requiredToken(), case .integer(let generation) = try requiredToken(),
              case .keyword(let keyword) = try requiredToken(), keyword == .obj else {
            throw .corrupt("no object where the cross-reference table points")
        }
        let reference = PDFReference(number: number, generation: generation)
        let first = try requiredToken()
        if case .keyword(let keyword) = first, keyword == .endobj { return (reference, .null, nil) }
        let value = try object(startingWith: first, depth: 0)
        let saved = lexer.position
        // What follows decides whether this is a stream: it must be in the window, or a
        // stream cut by the window's end would pass for a dictionary.
        let next = try requiredToken()
        if case .dictionary = value, case .keyword(let keyword) = next, keyword == .stream {
            var start = lexer.position
            let bytes = lexer.bytes
            guard start + 2 <= bytes.count else { throw .needMoreBytes }
            if bytes[start] == 0x0D { start += 1 }
            if bytes[start] == 0x0A { start += 1 }
            return (reference, value, start)
        }
        lexer.position = saved
        return (reference, value, nil)
    }
}
