/// The text of one page (or form) as it is drawn: content-stream operators run with the
/// text state and matrices (§9.3–9.4), each shown glyph placed, and spaces and line breaks
/// put between glyphs from where they are drawn, as text extractors do.
///
/// Text comes out in the order it is drawn, which is the reading order for what office
/// suites and report generators write; it is not reflowed into columns.
struct PDFPageText {
    /// Form XObjects inside forms, at most.
    static let maxFormDepth = 12
    /// Operands kept on the stack at most (a hostile stream pushes without end).
    static let maxOperands = 4096
    /// Operators run on one page at most, forms included (forms drawing forms a thousand
    /// times each would otherwise run without end), and how often the clock is asked.
    static let maxOperators = 20_000_000
    static let clockInterval = 4096
    /// Bytes of text one page may produce.
    static let maxTextBytes = 64 << 20

    private let file: PDFFile
    private let fonts: PDFFontCache
    /// The page's text, in UTF-8.
    private(set) var text: [UInt8] = []
    /// Glyphs shown and glyphs without Unicode text, by font name.
    private(set) var glyphCount = 0
    private(set) var unmapped: [String: Int] = [:]
    /// Image XObjects and inline images drawn, by name (`Im1`, `inline`), with their format.
    private(set) var images: [(name: String, format: String, bytes: Int, reference: PDFReference?)] = []
    /// What went wrong in a stream or resource, reported after the page.
    private(set) var problems: [PDFError] = []

    // Graphics and text state (§8.4, §9.3).
    private struct State {
        var ctm = PDFMatrix.identity
        var font: PDFFont?
        var fontSize = 0.0
        var charSpacing = 0.0
        var wordSpacing = 0.0
        var horizontalScale = 1.0
        var leading = 0.0
        var rise = 0.0
    }

    private var state = State()
    private var saved: [State] = []
    private var textMatrix = PDFMatrix.identity
    private var lineMatrix = PDFMatrix.identity
    // Where the last glyph ended, to decide on a space or a line break before the next.
    private var last: (x: Double, y: Double, size: Double)?
    /// Marked content with `/ActualText`: its text replaces the glyphs inside.
    private var actualText: [(text: String?, said: String, depth: Int)] = []
    private var markedDepth = 0
    private var formChain: [Int] = []
    private var glyphBuffer: [PDFFont.Glyph] = []
    /// Decoded forms of this page, by object: a form drawn many times is decoded once.
    private var forms: [Int: [UInt8]] = [:]
    private var operators = 0
    /// The page stopped early (a limit); what was read stands and the reason is a problem.
    private var exhausted = false
    /// Glyph text drawn inside marked content with /ActualText, to compare with it.
    private var coveredText: [UInt8] = []

    init(file: PDFFile, fonts: PDFFontCache) {
        self.file = file
        self.fonts = fonts
    }

    /// Runs a content stream with its resources.
    mutating func run(_ content: [UInt8], resources: PDFDictionary?) {
        content.withUnsafeBytes { run($0, resources: resources) }
    }

    private mutating func run(_ content: UnsafeRawBufferPointer, resources: PDFDictionary?) {
        var parser = PDFParser(content)
        var operands: [PDFObject] = []
        // Fonts of these resources by name, loaded once (a direct font dictionary has no
        // object number to be cached by).
        var fontsByName: [String: PDFFont?] = [:]
        while !exhausted {
            let token: PDFLexer.Token
            do {
                token = try parser.lexer.next()
            } catch {
                // A string cut off at the end of the stream: what came before stands.
                if error != .needMoreBytes { problems.append(error) }
                return
            }
            switch token {
            case .end:
                return
            case .keyword(let keyword) where !PDFParser.isValueKeyword(keyword):
                operators += 1
                if operators > Self.maxOperators || text.count > Self.maxTextBytes {
                    exhausted = true
                    problems.append(.limitExceeded("a page runs more than \(Self.maxOperators) operators or makes more than \(Self.maxTextBytes) bytes of text"))
                    return
                }
                if operators % Self.clockInterval == 0, file.isOverTime() {
                    exhausted = true
                    problems.append(.limitExceeded("the time for the input ran out on this page"))
                    return
                }
                if keyword == Self.beginInlineImage {
                    skipInlineImage(&parser)
                } else {
                    perform(keyword, operands, resources: resources, fonts: &fontsByName)
                }
                operands.removeAll(keepingCapacity: true)
            default:
                guard let operand = try? parser.object(startingWith: token, depth: 0) else {
                    operands.removeAll(keepingCapacity: true)
                    continue
                }
                if operands.count >= Self.maxOperands { operands.removeAll(keepingCapacity: true) }
                operands.append(operand)
            }
        }
    }

    // MARK: Operators

    private static let beginInlineImage = PDFLexer.Keyword("BI")

    private mutating func perform(_ op: PDFLexer.Keyword, _ operands: [PDFObject], resources: PDFDictionary?, fonts fontsByName: inout [String: PDFFont?]) {
        // Operands count from the end: extra ones before them are ignored, as readers do.
        func number(_ index: Int, of count: Int) -> Double {
            let position = operands.count - count + index
            guard position >= 0, position < operands.count, let value = operands[position].number, value.isFinite else { return 0 }
            return value
        }
        func numbers(_ count: Int) -> [Double]? {
            guard operands.count >= count else { return nil }
            return (0..<count).map { number($0, of: count) }
        }
        switch op {
        case PDFLexer.Keyword("q"):
            if saved.count < 256 { saved.append(state) }
        case PDFLexer.Keyword("Q"):
            if let previous = saved.popLast() { state = previous }
        case PDFLexer.Keyword("cm"):
            if let matrix = numbers(6).flatMap(PDFMatrix.init) { state.ctm = matrix.concatenating(state.ctm) }
        case PDFLexer.Keyword("BT"):
            textMatrix = .identity
            lineMatrix = .identity
        case PDFLexer.Keyword("ET"):
            break
        case PDFLexer.Keyword("Tf"):
            state.fontSize = number(1, of: 2)
            if operands.count >= 2, let name = operands[operands.count - 2].name {
                if let known = fontsByName[name] {
                    state.font = known
                } else {
                    state.font = font(named: name, resources: resources)
                    fontsByName[name] = state.font
                }
            }
        case PDFLexer.Keyword("Tc"): state.charSpacing = number(0, of: 1)
        case PDFLexer.Keyword("Tw"): state.wordSpacing = number(0, of: 1)
        case PDFLexer.Keyword("Tz"): state.horizontalScale = number(0, of: 1) / 100
        case PDFLexer.Keyword("TL"): state.leading = number(0, of: 1)
        case PDFLexer.Keyword("Ts"): state.rise = number(0, of: 1)
        case PDFLexer.Keyword("Td"):
            moveLine(number(0, of: 2), number(1, of: 2))
        case PDFLexer.Keyword("TD"):
            state.leading = -number(1, of: 2)
            moveLine(number(0, of: 2), number(1, of: 2))
        case PDFLexer.Keyword("Tm"):
            if let matrix = numbers(6).flatMap(PDFMatrix.init) {
                textMatrix = matrix
                lineMatrix = matrix
            }
        case PDFLexer.Keyword("T*"):
            moveLine(0, -state.leading)
        case PDFLexer.Keyword("Tj"):
            if let string = operands.last?.string { show(string) }
        case PDFLexer.Keyword("'"):
            moveLine(0, -state.leading)
            if let string = operands.last?.string { show(string) }
        case PDFLexer.Keyword("\""):
            state.wordSpacing = number(0, of: 3)
            state.charSpacing = number(1, of: 3)
            moveLine(0, -state.leading)
            if let string = operands.last?.string { show(string) }
        case PDFLexer.Keyword("TJ"):
            for item in operands.last?.array ?? [] {
                if let string = item.string {
                    show(string)
                } else if let adjustment = item.number, adjustment.isFinite {
                    textMatrix = PDFMatrix.translation(-adjustment / 1000 * state.fontSize * state.horizontalScale, 0).concatenating(textMatrix)
                }
            }
        case PDFLexer.Keyword("Do"):
            if let name = operands.last?.name { drawXObject(named: name, resources: resources) }
        case PDFLexer.Keyword("BMC"):
            markedDepth += 1
        case PDFLexer.Keyword("BDC"):
            markedDepth += 1
            var properties = operands.last?.dictionary
            if let name = operands.last?.name {
                properties = file.resolve(file.resolve(resources?["Properties"])?.dictionary?[name])?.dictionary
            }
            if let actual = file.resolve(properties?["ActualText"])?.string, actualText.count < 64 {
                if actualText.isEmpty { coveredText.removeAll(keepingCapacity: true) }
                let said = PDFSimpleEncoding.text(actual)
                actualText.append((said, said, markedDepth))
            }
        case PDFLexer.Keyword("EMC"):
            if let top = actualText.last, top.depth == markedDepth {
                actualText.removeLast()
                // Marked content that drew no glyph still says what it stands for.
                if let pending = top.text { append(pending) }
                if actualText.isEmpty { appendCoveredText(said: top.said) }
            }
            markedDepth = max(0, markedDepth - 1)
        default:
            break
        }
    }

    private mutating func moveLine(_ x: Double, _ y: Double) {
        lineMatrix = PDFMatrix.translation(x, y).concatenating(lineMatrix)
        textMatrix = lineMatrix
    }

    private func font(named name: String, resources: PDFDictionary?) -> PDFFont? {
        guard let fontObject = file.resolve(resources?["Font"])?.dictionary?[name] else { return nil }
        return fonts.font(fontObject)
    }

    // MARK: Glyphs

    private mutating func show(_ string: [UInt8]) {
        guard let font = state.font else {
            // Text with no font selected cannot be read; a reader shows nothing either.
            return
        }
        font.glyphs(string, into: &glyphBuffer)
        let glyphs = glyphBuffer
        for glyph in glyphs {
            let rendering = PDFMatrix(state.fontSize * state.horizontalScale, 0, 0, state.fontSize, 0, state.rise)
                .concatenating(textMatrix).concatenating(state.ctm)
            let advance = (glyph.width * state.fontSize + state.charSpacing + (glyph.isWordSpace ? state.wordSpacing : 0)) * state.horizontalScale
            let end = PDFMatrix.translation(advance, 0).concatenating(textMatrix).concatenating(state.ctm)
            let size = max(rendering.verticalScale, 0.01)
            place(glyph.text, font: font, x: rendering.e, y: rendering.f, endX: end.e, size: size)
            textMatrix = PDFMatrix.translation(advance, 0).concatenating(textMatrix)
        }
    }

    private mutating func place(_ glyphText: String?, font: PDFFont, x: Double, y: Double, endX: Double, size: Double) {
        glyphCount += 1
        if var top = actualText.last {
            // The glyphs of marked content with /ActualText: its text once, at the first;
            // the glyphs' own text is kept aside, and read too when it says something else.
            if let pending = top.text {
                separate(x: x, y: y, size: size)
                append(pending)
                top.text = nil
                actualText[actualText.count - 1] = top
            }
            if let glyphText { coveredText.append(contentsOf: glyphText.utf8) }
            last = (endX, y, size)
            return
        }
        guard let glyphText else {
            unmapped[font.name, default: 0] += 1
            last = (endX, y, size)
            return
        }
        separate(x: x, y: y, size: size)
        append(glyphText)
        last = (endX, y, size)
    }

    /// A line break when the glyph is on another line, a space when it is apart from the
    /// last one (by more than a fifth of its size), nothing when it follows on.
    private mutating func separate(x: Double, y: Double, size: Double) {
        guard let last, !text.isEmpty else { return }
        let tolerance = max(size, last.size) * 0.5
        if abs(y - last.y) > tolerance {
            if text.last != 0x0A { text.append(0x0A) }
        } else if x - last.x > size * 0.2 || last.x - x > size * 1.5 {
            if text.last != 0x20, text.last != 0x0A { text.append(0x20) }
        }
    }

    private mutating func append(_ string: String) {
        text.append(contentsOf: string.utf8)
    }

    /// The glyphs behind an /ActualText, when they differ from it (white space aside): a
    /// replacement text must not hide what is drawn.
    private mutating func appendCoveredText(said: String) {
        defer { coveredText.removeAll(keepingCapacity: true) }
        let shown = coveredText.filter { !PDFLexer.isWhitespace($0) }
        guard !shown.isEmpty else { return }
        let actual = Array(said.utf8).filter { !PDFLexer.isWhitespace($0) }
        if shown != actual {
            text.append(0x20)
            text.append(contentsOf: coveredText)
        }
    }

    // MARK: XObjects and inline images

    private mutating func drawXObject(named name: String, resources: PDFDictionary?) {
        guard let entry = file.resolve(resources?["XObject"])?.dictionary?[name],
              case .stream(let stream)? = file.resolve(entry) else { return }
        switch file.resolve(stream.dictionary["Subtype"])?.name {
        case "Image":
            let filters = PDFFilters.chain(stream.dictionary) { file.resolve($0) }.map(\.name)
            images.append((name, Self.imageFormat(filters), stream.length, entry.reference))
        case "Form":
            let number = entry.reference?.number ?? -1
            guard !formChain.contains(number) else { return }
            guard formChain.count < Self.maxFormDepth else {
                problems.append(.limitExceeded("forms drawn inside forms more than \(Self.maxFormDepth) deep"))
                return
            }
            let content: [UInt8]
            if let decoded = forms[number] {
                content = decoded
            } else {
                do {
                    let output = try file.decodedData(of: stream)
                    if output.damaged { problems.append(.corrupt("a form's content stream is damaged")) }
                    content = output.bytes
                } catch {
                    problems.append(error)
                    return
                }
                if number >= 0 { forms[number] = content }
            }
            formChain.append(number)
            let outer = state
            let outerSaved = saved.count
            let outerMarked = (actualText, markedDepth)
            if let matrix = file.resolve(stream.dictionary["Matrix"])?.array.flatMap({ PDFMatrix($0.compactMap { file.resolve($0)?.number }) }) {
                state.ctm = matrix.concatenating(state.ctm)
            }
            let formResources = file.resolve(stream.dictionary["Resources"])?.dictionary ?? resources
            let outerText = (textMatrix, lineMatrix)
            run(content, resources: formResources)
            (textMatrix, lineMatrix) = outerText
            // Marked content left open inside the form ends with it.
            (actualText, markedDepth) = outerMarked
            saved.removeLast(max(0, saved.count - outerSaved))
            state = outer
            formChain.removeLast()
        default:
            break
        }
    }

    static func imageFormat(_ filters: [String]) -> String {
        switch filters.last {
        case "DCTDecode", "DCT": "jpeg"
        case "JPXDecode": "jpeg2000"
        case "JBIG2Decode": "jbig2"
        case "CCITTFaxDecode", "CCF": "ccitt-fax"
        default: "raster"
        }
    }

    /// `BI … ID <data> EI`: the data is binary, ended by `EI` between white space.
    private mutating func skipInlineImage(_ parser: inout PDFParser) {
        while true {
            guard let token = try? parser.lexer.next() else { return }
            if case .end = token { return }
            if case .keyword(let keyword) = token, keyword == PDFLexer.Keyword("ID") { break }
        }
        let bytes = parser.lexer.bytes
        var index = parser.position + 1
        let start = index
        while index + 2 <= bytes.count {
            if bytes[index] == UInt8(ascii: "E"), bytes[index + 1] == UInt8(ascii: "I"),
               PDFLexer.isWhitespace(bytes[index - 1]), index + 2 == bytes.count || PDFLexer.isWhitespace(bytes[index + 2]) || PDFLexer.isDelimiter(bytes[index + 2]) {
                images.append(("inline", "raster", index - start, nil))
                parser.position = index + 2
                return
            }
            index += 1
        }
        parser.position = bytes.count
    }
}
