/// Something the matcher found: a literal keyword or a validated structured value.
public enum Match: Sendable, Hashable {
    case literal(LiteralMatch)
    case detector(DetectorMatch)

    public var start: Int {
        switch self {
        case .literal(let match): match.start
        case .detector(let match): match.start
        }
    }

    public var end: Int {
        switch self {
        case .literal(let match): match.end
        case .detector(let match): match.end
        }
    }
}
