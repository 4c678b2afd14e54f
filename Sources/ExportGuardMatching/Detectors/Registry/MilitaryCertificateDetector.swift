/// Military officer, soldier and civilian-staff certificate numbers (`军字第1234567号`),
/// read back from the anchor 号.
struct MilitaryCertificateDetector: Detector {
    let kind = DetectorKind.militaryCertificate
    let trigger = DetectorTrigger.anchor(["号"])
    let tags = DetectorTags()
    let redaction = Redaction.masked
}
