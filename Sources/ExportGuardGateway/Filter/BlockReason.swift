import ExportGuardPolicy

/// The short reason given when content is refused: categories and a reference, never an
/// excerpt (the reason travels back to the sender in a bounce).
public enum BlockReason {
    public static func text(for assessment: Assessment, reference: String) -> String {
        let categories = assessment.categories.filter { $0.score > 0 || $0.count > 0 }.map(\.category.rawValue)
        var reason = "ExportGuard refused this content (reference \(reference))"
        if !categories.isEmpty {
            reason += ": " + categories.joined(separator: ", ")
        }
        if !assessment.uninspected.isEmpty {
            reason += categories.isEmpty ? ": " : "; "
            reason += "\(assessment.uninspected.count) part(s) could not be inspected"
        }
        return reason
    }
}
