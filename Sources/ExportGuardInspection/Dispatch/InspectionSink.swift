import ExportGuardCore

/// Receives what the inspector makes of an input, as typed events: text parts with their
/// locations, media parts, and parts that could not be inspected with a typed reason.
/// Inspection only reports; the searcher implements this and the policy decides.
///
/// Parts do not interleave: each `beginText` is followed by zero or more `text` calls and
/// one `endText` before the next part begins.
public protocol InspectionSink: AnyObject {
    /// A text part begins; offsets in its `text` calls count from 0.
    func beginText(at location: Location)
    /// The next UTF-8 bytes of the current part. The buffer is only valid during the call.
    func text(_ bytes: UnsafeRawBufferPointer)
    /// The current part is complete.
    func endText()
    /// A part that was not inspected, and why. The policy decides what that means.
    func uninspected(at location: Location, reason: UninspectedReason)
    /// A media part (an image) whose structure was checked and is whole. Its text metadata,
    /// if any, arrives as text parts of its own; the policy decides what the part means.
    func media(_ part: MediaPart)
    /// The text that follows in the current part comes from `position` (an XML element
    /// path, for instance), so findings can say where they are in structured content.
    func mark(_ position: Location.Position)
    /// Like ``mark(_:)`` with `.element(ElementStep.label(path, line: line))`, for sinks
    /// that render the label only when a finding needs it. `path` is valid during the call.
    func mark(elementPath path: UnsafeBufferPointer<ElementStep>, line: Int)
    /// True once nothing more the input holds could change what the sink makes of it (a
    /// verdict of block is final): the inspector then stops reading it, as ripgrep's sinks
    /// stop a search. Asked between chunks and archive members, never per byte.
    var shouldStop: Bool { get }
}

extension InspectionSink {
    public func mark(_ position: Location.Position) {}
    public func mark(elementPath path: UnsafeBufferPointer<ElementStep>, line: Int) {
        mark(.element(ElementStep.label(path, line: line)))
    }
    public var shouldStop: Bool { false }
}

/// Why a part was not inspected.
public enum UninspectedReason: Sendable, Hashable {
    case binaryContent(String)
    case corrupt(String)
    case encrypted
    case unsupported(String)
    case limitExceeded(String)
    case readError(String)
    /// Text read in the likeliest charset, which no detector was confident of.
    case unknownCharset(String)
}

extension UninspectedReason {
    /// The stable code of this reason.
    public var code: UninspectedCode {
        switch self {
        case .binaryContent: .binaryContent
        case .corrupt: .corrupt
        case .encrypted: .encrypted
        case .unsupported: .unsupported
        case .limitExceeded: .limitExceeded
        case .readError: .readError
        case .unknownCharset: .unknownCharset
        }
    }
}

extension UninspectedReason: CustomStringConvertible {
    public var description: String {
        switch self {
        case .binaryContent(let kind): "binary content (\(kind)) cannot be inspected as text"
        case .corrupt(let detail): "corrupt: \(detail)"
        case .encrypted: "encrypted"
        case .unsupported(let detail): "unsupported: \(detail)"
        case .limitExceeded(let detail): "limit exceeded: \(detail)"
        case .readError(let detail): "read error: \(detail)"
        case .unknownCharset(let detail): "unknown charset: \(detail)"
        }
    }
}
