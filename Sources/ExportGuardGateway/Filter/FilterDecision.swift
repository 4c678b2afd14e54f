import ExportGuardCore
import ExportGuardPolicy

/// What `exportguard filter` does with a message once it is scanned, and the exit status
/// a Postfix pipe transport understands.
public enum FilterDecision: Equatable, Sendable {
    /// Pass the message on unchanged.
    case pass
    /// Pass it on with `X-ExportGuard-*` headers added (review, per policy).
    case passWithHeaders
    /// Keep it in the quarantine directory and do not pass it on (review, per policy).
    case hold
    /// Refuse it: Postfix bounces with the filter's output as the reason (EX_UNAVAILABLE).
    case reject
    /// Refuse it for now: Postfix keeps it queued and retries (EX_TEMPFAIL).
    case deferDelivery

    /// sysexits(3) codes Postfix's pipe(8) maps to bounce and defer.
    public static let exitUnavailable: Int32 = 69
    public static let exitTemporaryFailure: Int32 = 75

    public init(assessment: Assessment, review: Policy.ReviewAction) {
        switch assessment.verdict {
        case .allow:
            self = .pass
        case .review:
            self = review == .hold ? .hold : .passWithHeaders
        case .block:
            // Blocked only because something could not be inspected (a limit, damage):
            // retrying later is kinder than a bounce, and still lets nothing through.
            if case .uninspectable = assessment.decision {
                self = .deferDelivery
            } else {
                self = .reject
            }
        }
    }
}
