import ExportGuardCore
import ExportGuardInspection
import ExportGuardMatching
import ExportGuardPolicy

/// Connects the inspector to the matcher and the matcher to the policy: text parts in,
/// positioned matches out to the ``FindingCollector``.
final class ScanSink: InspectionSink {
    private let matcher: Matcher
    let collector: FindingCollector
    private var scanner: MatchScanner
    private var tracker: TextPositionTracker
    private var location = Location(parts: [])
    private var matches: [Match] = []
    /// Positions the decoder announced (XML element paths), by text offset in the part.
    private var marks: [(offset: Int, position: Location.Position)] = []

    init(compiled: CompiledPolicy) {
        self.matcher = compiled.matcher
        self.collector = FindingCollector(compiled)
        self.scanner = compiled.matcher.makeScanner()
        self.tracker = TextPositionTracker(tailCapacity: compiled.matcher.historyCapacity + 64)
    }

    func beginText(at location: Location) {
        self.location = location
        scanner = matcher.makeScanner()
        tracker = TextPositionTracker(tailCapacity: matcher.historyCapacity + 64)
        marks.removeAll()
        collector.beginPart()
    }

    func mark(_ position: Location.Position) {
        marks.append((scanner.offset, position))
    }

    func text(_ bytes: UnsafeRawBufferPointer) {
        tracker.begin(bytes)
        matches.removeAll(keepingCapacity: true)
        scanner.feed(bytes, into: &matches)
        report()
        tracker.commit()
        collector.advance(toCharacter: tracker.settled.character)
        // Matches never start before the settled position: older marks are not needed.
        if let last = marks.lastIndex(where: { $0.offset <= tracker.settled.offset }), last > 0 {
            marks.removeFirst(last)
        }
    }

    func endText() {
        matches.removeAll(keepingCapacity: true)
        scanner.finish(into: &matches)
        report()
        collector.endPart()
    }

    func uninspected(at location: Location, reason: UninspectedReason) {
        collector.uninspected(at: location, reason: reason.description)
    }

    private func report() {
        guard !matches.isEmpty else { return }
        // Ascending starts keep the position tracker moving forward.
        matches.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        for match in matches {
            let start = tracker.position(at: match.start)
            let startCharacter = start.character
            let position = marks.last { $0.offset <= match.start }?.position ?? .line(start.line, column: start.column + 1)
            let findingLocation = location.at(position)
            let end = tracker.position(at: match.end, after: start)
            collector.add(match, location: findingLocation, startCharacter: startCharacter, endCharacter: end.character)
        }
    }
}
