import CLibXML2
import Glibc

/// Element, attribute and namespace names as Swift strings, made once per name.
///
/// libxml2 keeps names in its dictionary and hands the same address for the same name, so
/// names are looked up by address; the bytes are compared as well, in case an address is
/// ever reused for another name. What the collector asks of every element (is it an office
/// namespace, is it a block element) is worked out once per name too.
struct XMLNameTable {
    final class Name {
        let string: String
        /// A namespace of an office format (see ``XMLTextCollector/isOffice(_:)``).
        let isOffice: Bool
        /// A local name that ends a run of office text (see ``XMLTextCollector/officeBlocks``).
        let isOfficeBlock: Bool
        /// `c` or `row`: a spreadsheet cell or row, which carries its reference in `r`.
        let isCellOrRow: Bool
        /// A namespace of document properties, whose every element is a field of its own.
        let isPropertyList: Bool
        /// `sym`: Word's symbol-font character (`<w:sym w:font="Wingdings" w:char="F0AB"/>`).
        let isSymbol: Bool
        /// The SVG namespace, whose attributes are geometry and styling, not text.
        let isSVG: Bool
        /// An SVG element inside a line of text (`tspan`, `textPath`, `a`): no break around it.
        let isSVGInline: Bool
        /// For an office element that keeps user text in attributes (a sheet's name, a
        /// picture's alt text), their local names (see ``XMLTextCollector/officeTextAttributes``).
        let textAttributes: Set<String>?
        let id: Int
        /// The last qualified name made with this local name, by prefix id: a document
        /// mostly uses one prefix per local name.
        fileprivate var lastQualified: (prefix: Int, string: String)?

        fileprivate init(string: String, id: Int) {
            self.string = string
            self.isOffice = XMLTextCollector.isOffice(string)
            self.isOfficeBlock = XMLTextCollector.officeBlocks.contains(string)
            self.isCellOrRow = string == "c" || string == "row"
            self.isPropertyList = string.hasSuffix("/extended-properties") || string.hasSuffix("/custom-properties")
            self.isSymbol = string == "sym"
            self.isSVG = string == "http://www.w3.org/2000/svg"
            self.isSVGInline = ["tspan", "textPath", "a", "tref", "altGlyph"].contains(string)
            self.textAttributes = XMLTextCollector.officeTextAttributes[string]
            self.id = id
        }
    }

    /// The last names seen, by address: most documents use a few dozen names, and a hit
    /// here costs no hashing.
    private var recent = [(pointer: UnsafePointer<xmlChar>?, name: Name?)](repeating: (nil, nil), count: 64)

    private var byAddress: [UnsafePointer<xmlChar>: Name] = [:]
    private var qualifiedNames: [Int: String] = [:]
    /// Ids are never reused, even when a name replaces another at a reused address.
    private var nextID = 1

    mutating func name(_ pointer: UnsafePointer<xmlChar>) -> Name {
        let slot = Int(bitPattern: UInt(bitPattern: pointer) >> 3) & (recent.count - 1)
        if recent[slot].pointer == pointer, let known = recent[slot].name, Self.matches(known.string, pointer) { return known }
        let name: Name
        if let known = byAddress[pointer], Self.matches(known.string, pointer) {
            name = known
        } else {
            name = Name(string: String(cString: pointer), id: nextID)
            nextID += 1
            byAddress[pointer] = name
        }
        recent[slot] = (pointer, name)
        return name
    }

    /// `prefix:local`, made once per pair.
    mutating func qualified(_ prefix: Name, _ local: Name) -> String {
        if let last = local.lastQualified, last.prefix == prefix.id { return last.string }
        let key = prefix.id << 32 | local.id
        let string: String
        if let known = qualifiedNames[key] {
            string = known
        } else {
            string = prefix.string + ":" + local.string
            qualifiedNames[key] = string
        }
        local.lastQualified = (prefix.id, string)
        return string
    }

    private static func matches(_ string: String, _ pointer: UnsafePointer<xmlChar>) -> Bool {
        string.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard let base = utf8.baseAddress else { return pointer[0] == 0 }
            // strncmp stops at the C string's NUL, so a shorter one is never read past.
            let cString = UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)
            return strncmp(UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), cString, utf8.count) == 0
                && pointer[utf8.count] == 0
        } ?? (String(cString: pointer) == string)
    }
}
