import ExportGuardCore
import ExportGuardPolicy

/// What a gateway does with a body once it is scanned. The filter maps it to passing on,
/// quarantine or an exit status Postfix understands; the service to passing or refusing.
public enum GatewayDecision: Equatable, Sendable {
    /// Pass the content on unchanged.
    case pass
    /// Pass it on, marked as reviewed (mail: `X-ExportGuard-*` headers).
    case passWithHeaders
    /// Keep it for review and do not pass it on (mail: quarantine).
    case hold
    /// Refuse it (mail: bounce).
    case reject
    /// Refuse it for now: it could not be read or inspected whole (mail: Postfix retries).
    case deferDelivery

    /// The decision for a verdict under a review action. `uninspectableOnly` is true when
    /// the verdict is block only because parts could not be inspected (a limit, damage):
    /// retrying later is kinder than a bounce, and still lets nothing through.
    public init(verdict: Verdict, review: ReviewAction, uninspectableOnly: Bool) {
        switch verdict {
        case .allow: self = .pass
        case .review:
            self = switch review {
            case .pass: .passWithHeaders
            case .hold: .hold
            case .block: .reject
            }
        case .block: self = uninspectableOnly ? .deferDelivery : .reject
        }
    }

    /// Whether the content goes on to its destination.
    public var passes: Bool { self == .pass || self == .passWithHeaders }

    /// sysexits(3) codes Postfix's pipe(8) maps to bounce and defer.
    public static let exitUnavailable: Int32 = 69
    public static let exitTemporaryFailure: Int32 = 75
}
