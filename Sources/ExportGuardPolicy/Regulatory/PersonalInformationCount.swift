/// How many persons an input's personal information concerns, and the band that puts it in.
public struct PersonalInformationCount: Sendable, Hashable {
    /// Distinct persons: the largest count of distinct values of any one identifier kind,
    /// since a record usually carries several identifiers of one person.
    public var persons: Int
    /// Persons with sensitive information sent: identity documents, bank cards, or any
    /// person when health or genetic data is in the same input.
    public var sensitivePersons: Int
    /// Resident IDs whose birth date makes the holder younger than 14 (sensitive under PIPL).
    public var minors: Int
    /// Distinct values per identifier kind (`resident-id`, `passport`, `bank-card`, `mobile-number`).
    public var byIdentifier: [String: Int]
    /// Counts above the exact limit are sketch estimates with this relative standard error.
    public var relativeError: Double?
    public var band: PersonalInformationBand
}
