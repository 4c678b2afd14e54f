/// The structured things the matching core recognises besides literal keywords; each is
/// described by its ``Detector`` in the ``DetectorRegistry``.
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
}
