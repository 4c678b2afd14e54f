import CLibXML2
import Glibc

/// Element, attribute and namespace names as Swift strings, made once per name.
///
/// libxml2 keeps names in its dictionary and hands the same address for the same name, so
/// names are looked up by address; the bytes are compared as well, in case an address is
/// ever reused for another name. What the collector asks of every element (is it an office
/// namespace, is it a block element) is worked out once per name too.
struct XMLNameTable {
    struct Name {
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
        fileprivate let id: Int
    }

    private var byAddress: [UnsafePointer<xmlChar>: Name] = [:]
    private var qualifiedNames: [Int: String] = [:]
    /// Ids are never reused, even when a name replaces another at a reused address.
    private var nextID = 1

    mutating func name(_ pointer: UnsafePointer<xmlChar>) -> Name {
        if let known = byAddress[pointer], Self.matches(known.string, pointer) { return known }
        let string = String(cString: pointer)
        let name = Name(
            string: string, isOffice: XMLTextCollector.isOffice(string),
            isOfficeBlock: XMLTextCollector.officeBlocks.contains(string),
            isCellOrRow: string == "c" || string == "row",
            isPropertyList: string.hasSuffix("/extended-properties") || string.hasSuffix("/custom-properties"),
            isSymbol: string == "sym",
            isSVG: string == "http://www.w3.org/2000/svg",
            isSVGInline: ["tspan", "textPath", "a", "tref", "altGlyph"].contains(string),
            textAttributes: XMLTextCollector.officeTextAttributes[string], id: nextID)
        nextID += 1
        byAddress[pointer] = name
        return name
    }

    /// `prefix:local`, made once per pair.
    mutating func qualified(_ prefix: Name, _ local: Name) -> String {
        let key = prefix.id << 32 | local.id
        if let known = qualifiedNames[key] { return known }
        let string = prefix.string + ":" + local.string
        qualifiedNames[key] = string
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
