/// The fonts and CMaps of one document, read once each (pages share them), within a bound
/// on how many code mappings the document's CMaps may hold together.
final class PDFFontCache {
    /// Fonts kept at most; a document with more is re-read as needed.
    static let maxFonts = 4096
    /// Code mappings all embedded CMaps of a document may hold together.
    static let maxMappings = 4 << 20

    private let file: PDFFile
    private var fonts: [Int: PDFFont] = [:]
    private var cmaps: [Int: PDFCMap?] = [:]
    private var mappings = 0

    init(file: PDFFile) {
        self.file = file
    }

    /// The font of a resource entry (a reference, usually; a direct dictionary is read anew).
    func font(_ entry: PDFObject) -> PDFFont? {
        if let number = entry.reference?.number, let cached = fonts[number] { return cached }
        guard let dictionary = file.resolve(entry)?.dictionary else {
            file.note(.corrupt("a font used on a page is missing or unreadable"))
            return nil
        }
        let font = PDFFont(dictionary, file: file, cmaps: self)
        if let number = entry.reference?.number {
            if fonts.count >= Self.maxFonts { fonts = [:] }
            fonts[number] = font
        }
        return font
    }

    /// An embedded CMap stream (a ToUnicode or a Type 0 font's encoding), parsed once per
    /// object; nil when it is absent or cannot be read (noted as a problem).
    func cmap(_ entry: PDFObject?) -> PDFCMap? {
        guard let entry else { return nil }
        if let number = entry.reference?.number, let cached = cmaps[number] { return cached }
        var parsed: PDFCMap?
        if case .stream(let stream)? = file.resolve(entry) {
            do {
                let output = try file.decodedData(of: stream)
                if output.damaged { file.note(.corrupt("a font's CMap is damaged")) }
                let map = PDFCMap(parsing: output.bytes)
                let size = map.unicode.count + map.cidCodes.count + map.cidRanges.count
                if mappings + size <= Self.maxMappings {
                    mappings += size
                    parsed = map
                } else {
                    file.note(.limitExceeded("the fonts' CMaps map more than \(Self.maxMappings) codes"))
                }
            } catch {
                file.note(error)
            }
        }
        if let number = entry.reference?.number { cmaps[number] = parsed }
        return parsed
    }
}
