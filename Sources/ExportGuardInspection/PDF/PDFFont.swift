/// What a font says about the bytes of the strings shown with it (§9.5–9.10): how they
/// split into codes, each code's width, and its Unicode text — from `/ToUnicode` first, then
/// the encoding (`/Differences` over a base encoding) of a simple font, or a CID font's
/// predefined CMap and its character collection's CID-to-Unicode table.
final class PDFFont {
    /// One code of a shown string.
    struct Glyph {
        /// Its text, or nil when the font gives no way to know it.
        var text: String?
        /// Width in text space units (thousandths of the font size already applied).
        var width: Double
        /// A single-byte code 32: word spacing applies to it.
        var isWordSpace: Bool
    }

    private enum Encoding {
        /// One byte per code, each mapped through a table.
        case simple([String?])
        /// Codes as the CMap splits them, each to a CID.
        case composite(PDFCMap?)
    }

    private let encoding: Encoding
    private let toUnicode: PDFCMap?
    private let cidToUnicode: [UInt32]?
    /// A predefined Unicode CMap (`UniGB-UCS2-H`): its codes are the text.
    private let unicodeCodes: UnicodeCodes?
    private let widths: [Int: Double]
    private let defaultWidth: Double
    /// Glyph space to text space (Type 3 fonts have their own matrix).
    private let scale: Double
    /// The font's name, for reports.
    let name: String

    private enum UnicodeCodes {
        case ucs2
        case utf16
        case utf8
        case utf32
    }

    init(_ dictionary: PDFDictionary, file: PDFFile, cmaps: PDFFontCache) {
        func resolve(_ object: PDFObject?) -> PDFObject? { file.resolve(object) }
        name = resolve(dictionary["BaseFont"])?.name ?? "unnamed"
        let subtype = resolve(dictionary["Subtype"])?.name
        let toUnicodeMap = cmaps.cmap(dictionary["ToUnicode"])
        toUnicode = toUnicodeMap?.isEmpty == false ? toUnicodeMap : nil
        if let matrix = resolve(dictionary["FontMatrix"])?.array?.compactMap({ resolve($0)?.number }), subtype == "Type3", matrix.count == 6, matrix[0] != 0 {
            scale = abs(matrix[0])
        } else {
            scale = 0.001
        }
        if subtype == "Type0" {
            let descendant = resolve(resolve(dictionary["DescendantFonts"])?.array?.first)?.dictionary ?? PDFDictionary()
            var cmap: PDFCMap?
            var codes: UnicodeCodes?
            let collection: String? = {
                guard let info = resolve(descendant["CIDSystemInfo"])?.dictionary,
                      let registry = resolve(info["Registry"])?.string, let ordering = resolve(info["Ordering"])?.string else { return nil }
                return String(decoding: registry, as: UTF8.self) + "-" + String(decoding: ordering, as: UTF8.self)
            }()
            switch resolve(dictionary["Encoding"]) {
            case .name(let encodingName)?:
                if encodingName.hasPrefix("Identity-") {
                    cmap = nil
                } else {
                    cmap = PDFPredefinedCMaps.cmap(named: encodingName)
                    if encodingName.hasPrefix("Uni") {
                        if encodingName.contains("UCS2") { codes = .ucs2 } else if encodingName.contains("UTF16") { codes = .utf16 }
                        else if encodingName.contains("UTF8") { codes = .utf8 } else if encodingName.contains("UTF32") { codes = .utf32 }
                    }
                }
            case .stream?:
                if var embedded = cmaps.cmap(dictionary["Encoding"]) {
                    if let parent = embedded.parent, let base = PDFPredefinedCMaps.cmap(named: parent) { embedded.inherit(from: base) }
                    embedded.flatten()
                    cmap = embedded
                }
            default:
                cmap = nil
            }
            encoding = .composite(cmap)
            unicodeCodes = codes
            cidToUnicode = collection.flatMap { PDFPredefinedCMaps.cidToUnicode($0) }
            var table: [Int: Double] = [:]
            // `/W [c [w1 w2 …] c1 c2 w …]`; CIDs are 16-bit, and the work is bounded by the
            // widths written, not only by the table's size (ranges may overlap).
            if let items = resolve(descendant["W"])?.array {
                var index = 0
                var work = 0
                while index < items.count, work < 1 << 20 {
                    guard let first = resolve(items[index])?.integer, (0...0xFFFF).contains(first), index + 1 < items.count else { break }
                    if let list = resolve(items[index + 1])?.array {
                        for (offset, width) in list.prefix(0x10000 - first).enumerated() { table[first + offset] = resolve(width)?.number ?? 0 }
                        work += list.count
                        index += 2
                    } else if index + 2 < items.count, let last = resolve(items[index + 1])?.integer, let width = resolve(items[index + 2])?.number {
                        if (first...0xFFFF).contains(last) { for cid in first...last { table[cid] = width } }
                        work += max(0, min(last, 0xFFFF) - first) + 1
                        index += 3
                    } else {
                        break
                    }
                }
            }
            widths = table
            defaultWidth = resolve(descendant["DW"])?.number ?? 1000
            return
        }
        // A simple font: a base encoding, differences over it.
        var table: [String?]
        let encodingObject = resolve(dictionary["Encoding"])
        let baseName = encodingObject?.name ?? resolve(encodingObject?.dictionary?["BaseEncoding"])?.name
        let symbolic = (resolve(resolve(dictionary["FontDescriptor"])?.dictionary?["Flags"])?.integer ?? 0) & 4 != 0
        let base = PDFSimpleEncoding.table(named: baseName)
            ?? (subtype == "TrueType" || symbolic && baseName == nil ? PDFSimpleEncoding.winAnsi : PDFSimpleEncoding.standard)
        table = base.map { $0 == 0 ? nil : Unicode.Scalar($0).map { String($0) } }
        if let differences = resolve(encodingObject?.dictionary?["Differences"])?.array {
            var code = 0
            for item in differences.prefix(4096) {
                switch resolve(item) {
                case .integer(let value)?: code = (0..<256).contains(value) ? value : 256
                case .name(let glyph)?:
                    if (0..<256).contains(code) { table[code] = PDFGlyphNames.text(for: glyph) }
                    code = min(code + 1, 256)
                default: break
                }
            }
        }
        encoding = .simple(table)
        unicodeCodes = nil
        cidToUnicode = nil
        var simpleWidths: [Int: Double] = [:]
        let firstChar = resolve(dictionary["FirstChar"])?.integer ?? 0
        if let list = resolve(dictionary["Widths"])?.array, (0..<256).contains(firstChar) {
            for (offset, width) in list.prefix(256).enumerated() { simpleWidths[firstChar + offset] = resolve(width)?.number ?? 0 }
        }
        widths = simpleWidths
        let missing = resolve(resolve(dictionary["FontDescriptor"])?.dictionary?["MissingWidth"])?.number
        // Standard 14 fonts carry no widths: half an em is close enough to place spaces.
        defaultWidth = missing ?? (simpleWidths.isEmpty ? 500 : 0)
    }

    /// The glyphs of a shown string.
    func glyphs(_ bytes: [UInt8], into output: inout [Glyph]) {
        output.removeAll(keepingCapacity: true)
        switch encoding {
        case .simple(let table):
            for byte in bytes {
                let code = Int(byte)
                let text = toUnicode?.unicode[PDFCMap.key(UInt32(byte), length: 1)].flatMap { $0.isEmpty ? nil : $0 } ?? table[code]
                output.append(Glyph(text: text, width: (widths[code] ?? defaultWidth) * scale, isWordSpace: byte == 0x20))
            }
        case .composite(let cmap):
            bytes.withUnsafeBytes { buffer in
                var index = 0
                while index < buffer.count {
                    let rest = UnsafeRawBufferPointer(rebasing: buffer[index...])
                    // Identity-H/V codes are two bytes, whatever a ToUnicode's codespace says.
                    let length = min(cmap.map { $0.codeLength(rest) ?? 2 } ?? 2, rest.count)
                    let code = rest.prefix(length).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                    let key = PDFCMap.key(code, length: length)
                    let cid = cmap == nil ? Int(code) : cmap?.cid(for: key) ?? 0
                    // A ToUnicode target that is empty says nothing: other ways are tried.
                    var text = toUnicode?.unicode[key].flatMap { $0.isEmpty ? nil : $0 }
                    if text == nil { text = unicodeText(code: code, length: length) }
                    if text == nil, let table = cidToUnicode, cid > 0, cid < table.count, table[cid] != 0, let scalar = Unicode.Scalar(table[cid]) {
                        text = String(scalar)
                    }
                    output.append(Glyph(text: text, width: (widths[cid] ?? defaultWidth) * 0.001, isWordSpace: length == 1 && code == 0x20))
                    index += length
                }
            }
        }
    }

    /// The text of a code of a predefined Unicode CMap, which is its own Unicode value.
    private func unicodeText(code: UInt32, length: Int) -> String? {
        guard let unicodeCodes else { return nil }
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: code >> (8 * UInt32(length - 1 - $0))) }
        switch unicodeCodes {
        case .ucs2, .utf16:
            return length % 2 == 0 ? String(decoding: PDFCMap.utf16Units(bytes), as: UTF16.self) : nil
        case .utf8:
            return String(validating: bytes, as: UTF8.self)
        case .utf32:
            return Unicode.Scalar(code).map { String($0) }
        }
    }
}
