import ExportGuardCore
import ExportGuardInspection

/// Records what inspection reports, for comparing two inspections of the same input, and
/// checks the sink contract as it goes (parts never interleave, marks only inside a part).
public final class RecordingSink: InspectionSink {
    /// Text of every part, by location, joined in order.
    public private(set) var texts: [String: [UInt8]] = [:]
    /// Uninspected parts, as "location: reason".
    public private(set) var reasons: [String] = []
    /// Media parts, as "location format bytes".
    public private(set) var media: [String] = []
    private var open: String?

    public init() {}

    public func beginText(at location: Location) {
        if open != nil { Fuzzer.fail("a part began at \(location) while \(open!) was open") }
        open = location.description
    }

    public func text(_ bytes: UnsafeRawBufferPointer) {
        guard let open else { Fuzzer.fail("text outside a part") }
        texts[open, default: []].append(contentsOf: bytes)
    }

    public func endText() {
        if open == nil { Fuzzer.fail("a part ended that had not begun") }
        open = nil
    }

    public func uninspected(at location: Location, reason: UninspectedReason) {
        // libxml2's message for a malformed document depends on where its push parser's
        // chunks end ("DOCTYPE improperly terminated" or "Extra content at the end"):
        // that it is corrupt is what must agree.
        let said = "\(reason)"
        reasons.append("\(location): " + (said.hasPrefix("corrupt: XML") ? "corrupt: XML (libxml2's message)" : said))
        if reason.code == .corrupt { corruptParts.insert(location.description) }
    }

    /// Parts reported corrupt: their text is best effort (how much of a malformed document
    /// libxml2's push parser recovers depends on where its chunks end).
    private var corruptParts: Set<String> = []

    public func media(_ part: MediaPart) {
        media.append("\(part.location) \(part.format) \(part.bytes)")
    }

    public func mark(_ position: Location.Position) {
        if open == nil { Fuzzer.fail("a mark outside a part") }
    }

    /// Where this recording and `other` differ, or nil when they agree.
    public func difference(from other: RecordingSink) -> String? {
        if reasons != other.reasons { return "uninspected parts differ: \(reasons) vs \(other.reasons)" }
        if media != other.media { return "media parts differ: \(media) vs \(other.media)" }
        // An input whose byte budget ran out was cut where a read happened to end.
        if reasons.contains(where: { $0.contains("bytes decoded or unpacked from the input") }) { return nil }
        let keys = Set(texts.keys).union(other.texts.keys).sorted().filter { texts[$0] != other.texts[$0] && !corruptParts.contains($0) }
        guard let first = keys.first else { return nil }
        return "text of \(first) differs: \(String(decoding: texts[first] ?? [], as: UTF8.self).debugDescription) vs \(String(decoding: other.texts[first] ?? [], as: UTF8.self).debugDescription)"
    }
}
