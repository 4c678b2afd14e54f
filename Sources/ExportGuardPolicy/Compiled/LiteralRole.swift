import ExportGuardCore

/// What a literal found in the text means to the policy. One literal can play several
/// roles (a keyword of one category and a hotword of another).
enum LiteralRole: Sendable, Hashable {
    case keyword(category: Int, keyword: Int)
    case hotword(category: Int)
    case exclusion(category: Int, exclusion: Int)
    /// A phrase in which a keyword does not count (`not-within`).
    case veto(category: Int, keyword: Int)
}
