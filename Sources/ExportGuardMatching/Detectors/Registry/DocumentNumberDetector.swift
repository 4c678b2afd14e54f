/// Government document numbers (`国发〔2023〕5号`): an organ's abbreviation, a bracketed
/// year and a serial, read back from the anchor 号.
struct DocumentNumberDetector: Detector {
    let kind = DetectorKind.documentNumber
    let trigger = DetectorTrigger.anchor(["号"])
    let tags = DetectorTags()
    let redaction = Redaction.none
}
