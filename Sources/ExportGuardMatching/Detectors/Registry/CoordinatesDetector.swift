/// Latitude/longitude pairs in decimal degrees or degrees-minutes-seconds; tagged with
/// their precision and whether they fall in China.
struct CoordinatesDetector: Detector {
    let kind = DetectorKind.coordinates
    let trigger = DetectorTrigger.numberPair
    let tags = DetectorTags(["precise", "dms", "china"], numbered: ["decimals-"])
    let redaction = Redaction.none
}
