import ExportGuardPolicy

/// The short page shown when a transfer is refused: the categories and the reference,
/// never an excerpt of the content.
public enum BlockPage {
    public static func html(categories: [CategoryAssessment], reference: String, reason: String? = nil) -> String {
        var items = ""
        for category in categories {
            items += "<li><code>\(escape(category.category.rawValue))</code> — \(escape(category.title))</li>\n"
        }
        if items.isEmpty, let reason {
            items = "<li>\(escape(reason))</li>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Transfer refused — ExportGuard</title></head>
            <body>
            <h1>Transfer refused</h1>
            <p>ExportGuard refused this transfer: it holds content that may not leave the country.</p>
            <ul>
            \(items)</ul>
            <p>Reference: <strong>\(escape(reference))</strong>. Quote it to your security officer to have the decision reviewed.</p>
            </body></html>

            """
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
