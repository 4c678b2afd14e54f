/// Where a piece of text came from: a chain of container parts a person can follow,
/// plus a position inside the last part.
///
/// Rendered as `bundle.zip!pack/data.tar.gz!doc/report.docx!word/header1.xml:12:5`.
public struct Location: Sendable, Hashable {
    /// Names from the outermost input to the innermost part, e.g. `["bundle.zip", "word/header1.xml"]`.
    public var parts: [String]
    /// A position inside the last part, when one is known.
    public var position: Position?

    public init(parts: [String], position: Position? = nil) {
        self.parts = parts
        self.position = position
    }

    /// The location of a part nested inside this one.
    public func appending(part: String) -> Location {
        Location(parts: parts + [part], position: nil)
    }

    /// The same part at a given position.
    public func at(_ position: Position?) -> Location {
        Location(parts: parts, position: position)
    }
}

extension Location {
    /// A position inside one part.
    public enum Position: Sendable, Hashable {
        /// 1-based line and column (in characters) of text.
        case line(Int, column: Int)
        /// An element path inside a structured part, e.g. `w:document/w:body/w:p[3]`.
        case element(String)
    }
}

extension Location: CustomStringConvertible {
    public var description: String {
        let chain = parts.joined(separator: "!")
        switch position {
        case nil: return chain
        case .line(let line, let column)?: return "\(chain):\(line):\(column)"
        case .element(let path)?: return "\(chain)#\(path)"
        }
    }
}
