import CLibXML2
import ExportGuardCore

/// Receives libxml2's SAX events for one XML part and turns them into text for the
/// stream: character data and attribute values, joined inside paragraph-level elements
/// so a keyword split across runs (`<w:r>` in Word) still reads as one word, with a line
/// break between blocks. Marks each block's element path and line, so findings can say
/// where in the XML they are: `w:document/w:body/w:p[57]:1` is the 57th paragraph of the
/// body (a name without an index is the first of its name there), on line 1 of the XML;
/// spreadsheet rows and cells go by their own references, `row[7]/c[B7]`.
final class XMLTextCollector {
    unowned let stream: StreamDispatcher
    let maxTextLength: Int
    private var pending: [UInt8] = []
    /// The open elements, outermost first.
    private var path: [ElementStep] = []
    private var separatorPending = false
    private var wroteText = false
    private var needsMark = true
    private var textNodeLength = 0
    /// Elements of `path` up to the innermost block, which marks name.
    private var blockDepth = 0
    /// The first error libxml2 reported, with its line.
    var error: (message: String, line: Int)?
    var overLimit = false
    weak var contextHolder: XMLPushParser?
    /// The parser's context, for the line of a mark; set and cleared by the parser.
    var parserContext: xmlParserCtxtPtr?
    /// The line libxml2 is at.
    var line: Int { parserContext.map { Int(xmlSAX2GetLineNumber(UnsafeMutableRawPointer($0))) } ?? 0 }
    /// Element and namespace names as libxml2 hands them over, made Swift strings once.
    var names = XMLNameTable()
    /// For each open element, how many children of each name it has had so far, so a path
    /// can say which paragraph or row it is (`w:body/w:p[57]`). Reused level by level.
    private var siblingCounts: [SiblingCounter] = [SiblingCounter()]
    /// What the attributes of the element just started are read as.
    private var attributeMode = AttributeMode.ignored
    private var wroteAttribute = false
    /// The text of a spreadsheet formula being read (`<f>`), to join its string literals.
    private var formula: [UInt8]?
    /// Text of office attributes met inside the current block (a link's target inside a
    /// paragraph), read after the block so its words are not split.
    private var deferredAttributes: [UInt8] = []
    /// Office blocks open (paragraphs, cells …): deferred attributes wait until none is.
    private var openBlocks = 0

    init(stream: StreamDispatcher, maxTextLength: Int) {
        self.stream = stream
        self.maxTextLength = maxTextLength
        pending.reserveCapacity(16 * 1024)
    }

    // MARK: Events

    /// `reference` is what names the element in its document, when it says (a spreadsheet
    /// cell's or row's `r`): locations use it instead of the sibling index. The element's
    /// attribute values follow (``attribute(_:namespace:)``), then ``endAttributes()``.
    func startElement(localName: XMLNameTable.Name, prefix: XMLNameTable.Name?, namespace: XMLNameTable.Name?, reference: String? = nil) {
        let office = namespace?.isOffice ?? false
        let svg = namespace?.isSVG ?? false
        let name = prefix.map { names.qualified($0, localName) } ?? localName.string
        let level = path.count
        let index = siblingCounts[level].next(prefix.map { $0.id << 32 | localName.id } ?? localName.id)
        if siblingCounts.count == level + 1 { siblingCounts.append(SiblingCounter()) } else { siblingCounts[level + 1].reset() }
        path.append(ElementStep(name: name, index: index, reference: reference))
        textNodeLength = 0
        if (!office && !(svg && localName.isSVGInline)) || localName.isOfficeBlock || namespace?.isPropertyList == true {
            separate()
            blockDepth = path.count
        }
        if office && localName.isOfficeBlock { openBlocks += 1 }
        wroteAttribute = false
        // SVG's attributes are coordinates and styles; its words are in text and tspans.
        if svg {
            attributeMode = .ignored
            return
        }
        if office {
            switch localName.string {
            case "tab": append(CollectionOfOne(UInt8(ascii: "\t")))
            case "s": append(CollectionOfOne(UInt8(ascii: " ")))
            case "f": formula = []
            default: break
            }
            attributeMode = .deferred
            return
        }
        attributeMode = .inline
    }

    /// An attribute value of the element just started. Office elements pass only the
    /// attributes that hold what a person wrote; they are read after the block.
    /// Attribute values of other vocabularies carry data (GPX lat/lon, KML names) and are
    /// read in place, unless they are in an office namespace.
    func attribute(_ value: UnsafeBufferPointer<UInt8>, namespace: XMLNameTable.Name?) {
        guard !value.isEmpty else { return }
        switch attributeMode {
        case .ignored:
            return
        case .deferred:
            guard deferredAttributes.count < maxTextLength else { return }
            if !deferredAttributes.isEmpty { deferredAttributes.append(0x0A) }
            deferredAttributes.append(contentsOf: value)
        case .inline:
            guard !(namespace?.isOffice ?? false) else { return }
            if wroteAttribute { append(Self.attributeSeparator) }
            append(value)
            wroteAttribute = true
        }
    }

    /// The attributes of the element just started are all passed.
    func endAttributes() {
        if attributeMode == .inline, wroteAttribute { separate() }
        attributeMode = .ignored
    }

    private static let attributeSeparator: [UInt8] = Array(", ".utf8)

    func endElement(localName: XMLNameTable.Name, namespace: XMLNameTable.Name?) {
        if let text = formula, localName.string == "f" {
            // `="110101199"&"003071234"` shows one value: its literals joined are read too.
            formula = nil
            let joined = Self.formulaLiterals(text)
            if !joined.isEmpty {
                append(CollectionOfOne(UInt8(ascii: "\n")))
                append(joined)
            }
        }
        if !path.isEmpty { path.removeLast() }
        blockDepth = min(blockDepth, path.count)
        textNodeLength = 0
        let office = namespace?.isOffice ?? false
        let svgInline = (namespace?.isSVG ?? false) && localName.isSVGInline
        if (!office && !svgInline) || localName.isOfficeBlock || namespace?.isPropertyList == true {
            separate()
        }
        if office && localName.isOfficeBlock { openBlocks = max(0, openBlocks - 1) }
        if !deferredAttributes.isEmpty, openBlocks == 0 {
            // The attributes' text follows the block it was met in (or its own element, out
            // of any block), as a line of its own.
            let text = deferredAttributes
            deferredAttributes.removeAll(keepingCapacity: true)
            separate()
            append(text)
            separate()
        }
    }

    /// A symbol-font character inside a run, as the character it draws.
    func symbol(_ scalar: Unicode.Scalar) {
        append(Array(String(Character(scalar)).utf8))
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        textNodeLength += bytes.count
        if textNodeLength > maxTextLength {
            overLimit = true
            return
        }
        append(bytes)
        // Up to a bound, the same however the parser splits the text.
        if formula != nil { formula!.append(contentsOf: bytes.prefix(max(0, (1 << 16) - formula!.count))) }
    }

    /// The string literals of a formula, joined, when it has two or more (`"ab"&"cd"` → `abcd`;
    /// `""` inside a literal is a quote).
    static func formulaLiterals(_ formula: [UInt8]) -> [UInt8] {
        var literals: [[UInt8]] = []
        var index = 0
        while index < formula.count {
            guard formula[index] == UInt8(ascii: "\"") else {
                index += 1
                continue
            }
            var literal: [UInt8] = []
            index += 1
            while index < formula.count {
                if formula[index] == UInt8(ascii: "\"") {
                    if index + 1 < formula.count, formula[index + 1] == UInt8(ascii: "\"") {
                        literal.append(UInt8(ascii: "\""))
                        index += 2
                        continue
                    }
                    break
                }
                literal.append(formula[index])
                index += 1
            }
            index += 1
            literals.append(literal)
        }
        return literals.count >= 2 ? literals.flatMap { $0 } : []
    }

    func record(_ message: String, line: Int) {
        if error == nil { error = (message.trimmingTrailingNewlines(), line) }
    }

    // MARK: Output

    private func separate() {
        if wroteText { separatorPending = true }
        needsMark = true
    }

    private func append(_ bytes: some Collection<UInt8>) {
        guard !bytes.isEmpty else { return }
        if needsMark {
            if separatorPending {
                pending.append(0x0A)
                separatorPending = false
            }
            // The mark must point at the block's first byte: pass on what precedes it first.
            flush()
            let line = self.line
            path.withUnsafeBufferPointer { stream.mark(elementPath: UnsafeBufferPointer(rebasing: $0[..<blockDepth]), line: line) }
            needsMark = false
        }
        pending.append(contentsOf: bytes)
        wroteText = true
        if pending.count >= 16 * 1024 { flush() }
    }

    /// Passes collected text on.
    func flush() {
        guard !pending.isEmpty else { return }
        pending.withUnsafeBytes { stream.emitText($0) }
        pending.removeAll(keepingCapacity: true)
    }

    // MARK: Vocabulary

    /// Namespaces of office formats, whose formatting elements and attributes carry no text.
    static func isOffice(_ namespace: String) -> Bool {
        namespace.hasPrefix("http://schemas.openxmlformats.org/")
            || namespace.hasPrefix("http://purl.oclc.org/ooxml/")
            || namespace.hasPrefix("http://schemas.microsoft.com/office/")
            || namespace.hasPrefix("urn:oasis:names:tc:opendocument:")
    }

    /// Office elements whose attributes hold user text, by local name: sheet and table
    /// names, defined names, pictures' and shapes' names and alt text, comment authors,
    /// hyperlink tips and targets (external relationships), simple fields' instructions,
    /// document variables, content-control titles and tags, validation prompts, ODF links.
    static let officeTextAttributes: [String: Set<String>] = [
        "sheet": ["name"], "definedName": ["name"], "table": ["name", "displayName"],
        "docPr": ["name", "descr", "title"], "cNvPr": ["name", "descr", "title"],
        "comment": ["author", "initials"], "cmAuthor": ["name", "initials"], "person": ["author", "displayName"],
        "hyperlink": ["tooltip", "display", "location"], "hlinkClick": ["tooltip"], "Relationship": ["Target"],
        "fldSimple": ["instr"], "docVar": ["name", "val"], "alias": ["val"], "tag": ["val"],
        "dataValidation": ["prompt", "promptTitle", "error", "errorTitle"], "a": ["href", "title"], "frame": ["name"],
    ]

    /// Office elements that end a run of text: paragraphs, table cells and rows, shared
    /// strings, spreadsheet cells, line breaks, notes and comments.
    static let officeBlocks: Set<String> = [
        "p", "h", "tbl", "tr", "tc", "si", "c", "row", "br", "cr", "table-row", "table-cell", "list-item",
        "note", "comment", "footnote", "endnote", "txbxContent", "sp", "is", "v", "f", "title", "creator",
        "subject", "description", "keywords", "lastModifiedBy", "category",
    ]
}

extension XMLTextCollector {
    enum AttributeMode {
        case ignored
        /// Read after the block (office text attributes).
        case deferred
        /// Read in place, joined by commas.
        case inline
    }

    /// Counts the children of one element by name; a handful of names is a linear search.
    struct SiblingCounter {
        private var few: [(key: Int, count: Int)] = []
        private var many: [Int: Int]?

        /// The position of the next child with this name key among its same-named siblings.
        mutating func next(_ key: Int) -> Int {
            if many == nil {
                for k in few.indices where few[k].key == key {
                    few[k].count += 1
                    return few[k].count
                }
                if few.count < 32 {
                    few.append((key, 1))
                    return 1
                }
                many = Dictionary(uniqueKeysWithValues: few.map { ($0.key, $0.count) })
                few.removeAll()
            }
            let count = many![key, default: 0] + 1
            many![key] = count
            return count
        }

        mutating func reset() {
            few.removeAll(keepingCapacity: true)
            many = nil
        }
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var result = self
        while result.last == "\n" || result.last == "\r" { result.removeLast() }
        return result
    }
}
