import Foundation
@testable import ExportGuardInspection

/// Writes small PDF files object by object, with a correct cross-reference table, for tests
/// that need a structure no tool writes on demand (a CID font without ToUnicode, a damaged
/// table, a hostile tree). qpdf then turns them into compressed, object-stream and
/// encrypted variants.
struct PDFBuilder {
    private(set) var objects: [[UInt8]] = []

    /// Adds an object; returns its number.
    @discardableResult
    mutating func add(_ body: String) -> Int {
        objects.append(Array(body.utf8))
        return objects.count
    }

    /// Adds a stream with its data (Length is filled in).
    @discardableResult
    mutating func stream(_ dictionary: String = "", _ data: [UInt8]) -> Int {
        objects.append(Array("<< \(dictionary) /Length \(data.count) >>\nstream\n".utf8) + data + Array("\nendstream".utf8))
        return objects.count
    }

    @discardableResult
    mutating func stream(_ dictionary: String = "", text: String) -> Int {
        stream(dictionary, Array(text.utf8))
    }

    /// Reserves an object number, filled later with ``set(_:_:)``.
    mutating func reserve() -> Int {
        objects.append([])
        return objects.count
    }

    mutating func set(_ number: Int, _ body: String) {
        objects[number - 1] = Array(body.utf8)
    }

    /// The file, with `trailer` entries besides /Size.
    func build(trailer: String) -> [UInt8] {
        var output = Array("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(output.count)
            output += Array("\(index + 1) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        }
        let xref = output.count
        output += Array("xref\n0 \(objects.count + 1)\n0000000000 65535 f \n".utf8)
        for offset in offsets { output += Array(String(format: "%010d 00000 n \n", offset).utf8) }
        output += Array("trailer\n<< /Size \(objects.count + 1) \(trailer) >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        return output
    }

    // MARK: Documents

    static let helvetica = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    /// Adobe's STSong-Light with the predefined UniGB-UCS2-H CMap and no ToUnicode, as
    /// reportlab writes Chinese: text only through poppler-data's tables.
    static let songti = """
        << /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H
           /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light
           /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 >>] >>
        """

    /// A document of pages with the given content streams, fonts `/F1` (Helvetica) and
    /// `/F2` (STSong-Light) and any extra resources, catalog entries and trailer entries.
    static func document(pages: [String], extraFonts: String = "", resources: String = "", catalog: String = "",
                         pageExtras: [String] = [], trailer: String = "", configure: (inout PDFBuilder) -> Void = { _ in }) -> [UInt8] {
        var builder = PDFBuilder()
        let root = builder.reserve()
        let tree = builder.reserve()
        let fonts = builder.add("<< /F1 \(helvetica) /F2 \(songti) \(extraFonts) >>")
        configure(&builder)
        var kids: [Int] = []
        for (index, content) in pages.enumerated() {
            let contents = builder.stream(text: content)
            let extra = index < pageExtras.count ? pageExtras[index] : ""
            kids.append(builder.add("<< /Type /Page /Parent \(tree) 0 R /MediaBox [0 0 612 792] /Contents \(contents) 0 R /Resources << /Font \(fonts) 0 R \(resources) >> \(extra) >>"))
        }
        builder.set(tree, "<< /Type /Pages /Kids [\(kids.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(kids.count) >>")
        builder.set(root, "<< /Type /Catalog /Pages \(tree) 0 R \(catalog) >>")
        return builder.build(trailer: "/Root \(root) 0 R \(trailer)")
    }

    /// `<…>` of a string in UTF-16BE (for UniGB-UCS2-H and text strings with a BOM).
    static func utf16Hex(_ text: String, bom: Bool = false) -> String {
        "<" + (bom ? "FEFF" : "") + text.utf16.map { String(format: "%04X", $0) }.joined() + ">"
    }
}
