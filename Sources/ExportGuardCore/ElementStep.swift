/// One element of a path into structured content: `w:p[57]` in `w:document/w:body/w:p[57]`.
///
/// Decoders of structured parts (XML) announce where text comes from as a path of steps,
/// which a sink may keep as they are and render only for the few findings that need it
/// (``label(_:line:)``), rather than build a string for every paragraph or cell.
public struct ElementStep: Sendable, Hashable {
    /// The qualified name, e.g. `w:p`.
    public var name: String
    /// 1-based position among the siblings of the same name.
    public var index: Int
    /// What the document itself calls the element, when it says (a spreadsheet cell's or
    /// row's `r`): shown instead of the index.
    public var reference: String?

    public init(name: String, index: Int, reference: String? = nil) {
        self.name = name
        self.index = index
        self.reference = reference
    }
}

extension ElementStep {
    /// `w:document/w:body/w:p[57]:1`: the path, with the index of every element that is not
    /// the first of its name (or its reference), then the line the text starts on.
    public static func label(_ path: some Sequence<ElementStep>, line: Int) -> String {
        var text = ""
        var first = true
        for step in path {
            if !first { text += "/" }
            first = false
            text += step.name
            if let reference = step.reference {
                text += "["
                text += reference
                text += "]"
            } else if step.index > 1 {
                text += "["
                text += String(step.index)
                text += "]"
            }
        }
        text += ":"
        text += String(line)
        return text
    }
}
