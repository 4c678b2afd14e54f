/// Where the conditions of a combination rule must occur together.
public enum RuleScope: Sendable, Hashable {
    /// Anywhere in one input (a file, a message, an upload), whatever parts and nested
    /// containers it holds: a document's header and body, an EPUB's chapters, a file three
    /// archives deep.
    case document
    /// Within one part (one text, one XML part, one mail body), each condition's finding at
    /// most this many characters from the finding that completes the set.
    case window(Int)
    /// Within one record: in XML, the element around one finding's text also holds the
    /// other's (a KML `Placemark`, a `row`, a repeated record element); in text, one line
    /// (a CSV row, a JSON Lines record).
    case sameElement

    /// The scope as a policy writes it.
    public var written: String {
        switch self {
        case .document: "document"
        case .window(let characters): "{ window: \(characters) }"
        case .sameElement: "same-element"
        }
    }
}
