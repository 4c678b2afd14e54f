/// Why an input could not be read at all. Problems inside an input that was read
/// (a corrupt part, a limit) are not errors: they are reported as uninspected parts.
public enum InspectionError: Error, Sendable, Equatable {
    case cannotOpen(path: String, reason: String)
    case readFailed(path: String, reason: String)
}

extension InspectionError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open \(path): \(reason)"
        case .readFailed(let path, let reason): "cannot read \(path): \(reason)"
        }
    }
}
