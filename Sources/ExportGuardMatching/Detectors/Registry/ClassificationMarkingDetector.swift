/// State-secret classification markings (`机密★10年`, `绝密★长期`, `（秘密）`): the level,
/// the star and the period or condition after it.
struct ClassificationMarkingDetector: Detector {
    let kind = DetectorKind.classificationMarking
    var trigger: DetectorTrigger {
        .anchor(AnchoredDetectors.anchors(for: [kind]).map { String(decoding: $0.0.bytes, as: UTF8.self) })
    }
    let tags = DetectorTags(["top-secret", "secret", "confidential", "paragraph-mark", "period", "condition", "exam-condition", "default-period"])
    let redaction = Redaction.none
}
