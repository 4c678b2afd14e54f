/// The structured things the matching core recognises besides literal keywords.
public enum DetectorKind: String, Sendable, Hashable, CaseIterable, Codable {
    case residentID = "resident-id"
    case socialCreditCode = "social-credit-code"
    case mobileNumber = "mobile-number"
    case bankCard = "bank-card"
    case passport = "passport"
    case plaUnit = "pla-unit"
    case militaryCertificate = "military-certificate"
    case documentNumber = "document-number"
    case classificationMarking = "classification-marking"
    case coordinates = "coordinates"

    /// Whether the matched value identifies a person or organisation and so must
    /// never be printed whole.
    public var isIdentifier: Bool {
        switch self {
        case .residentID, .socialCreditCode, .mobileNumber, .bankCard, .passport, .militaryCertificate: true
        case .plaUnit, .documentNumber, .classificationMarking, .coordinates: false
        }
    }
}
