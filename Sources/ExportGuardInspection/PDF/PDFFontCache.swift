/// The fonts of one document, read once each (pages share them).
final class PDFFontCache {
    /// Fonts kept at most; a document with more is re-read as needed.
    static let maxFonts = 4096

    private let file: PDFFile
    private var fonts: [Int: PDFFont] = [:]

    init(file: PDFFile) {
        self.file = file
    }

    /// The font of a resource entry (a reference, usually; a direct dictionary is read anew).
    func font(_ entry: PDFObject) -> PDFFont? {
        if let number = entry.reference?.number, let cached = fonts[number] { return cached }
        guard let dictionary = file.resolve(entry)?.dictionary else { return nil }
        let font = PDFFont(dictionary, file: file)
        if let number = entry.reference?.number {
            if fonts.count >= Self.maxFonts { fonts = [:] }
            fonts[number] = font
        }
        return font
    }
}
