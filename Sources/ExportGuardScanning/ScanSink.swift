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
    private var marks: [(offset: Int, mark: Mark)] = []
    /// The steps of the element paths in `marks`, one after another: a document marks every
    /// paragraph or cell, and only the few a finding falls in are made strings.
    private var markSteps: [ElementStep] = []
    /// The index in the part's whole sequence of steps of `markSteps[0]`.
    private var markStepsBase = 0
    /// Text not scanned yet. Decoders hand over text in small pieces (a paragraph of a
    /// document, a line of a mail); scanning each on its own would pay the per-call costs
    /// of every stage, and the automaton's table would keep falling out of the cache.
    private var batch: [UInt8] = []
    static let batchBytes = 64 * 1024
    private var partOpen = false

    /// Ask the inspector to stop once the verdict is a final block.
    let stopsAtBlock: Bool

    init(compiled: CompiledPolicy, stopAtBlock: Bool = false) {
        self.stopsAtBlock = stopAtBlock
        self.matcher = compiled.matcher
        self.collector = FindingCollector(compiled)
        self.scanner = compiled.matcher.makeScanner()
        self.tracker = TextPositionTracker(tailCapacity: compiled.matcher.historyCapacity + 64)
        batch.reserveCapacity(Self.batchBytes)
    }

    func beginText(at location: Location) {
        // Parts never interleave; should a decoder ever open one inside another, the open
        // part is scanned and closed first rather than its batched text dropped.
        if partOpen { endText() }
        partOpen = true
        self.location = location
        scanner = matcher.makeScanner()
        tracker = TextPositionTracker(tailCapacity: matcher.historyCapacity + 64)
        marks.removeAll()
        markSteps.removeAll(keepingCapacity: true)
        markStepsBase = 0
        batch.removeAll(keepingCapacity: true)
        collector.beginPart()
    }

    func mark(_ position: Location.Position) {
        marks.append((scanner.offset + batch.count, .position(position)))
    }

    func mark(elementPath path: UnsafeBufferPointer<ElementStep>, line: Int) {
        let offset = scanner.offset + batch.count
        // A later mark at the same offset (an empty element) replaces the one before it.
        if let last = marks.last, last.offset == offset, case .path(let start, let count, _) = last.mark,
           start + count == markStepsBase + markSteps.count {
            markSteps.removeLast(count)
            marks.removeLast()
        }
        marks.append((offset, .path(start: markStepsBase + markSteps.count, count: path.count, line: line)))
        markSteps.append(contentsOf: path)
    }

    func text(_ bytes: UnsafeRawBufferPointer) {
        if batch.isEmpty, bytes.count >= Self.batchBytes {
            scan(bytes)
            return
        }
        batch.append(contentsOf: bytes)
        if batch.count >= Self.batchBytes { scanBatch() }
    }

    private func scanBatch() {
        guard !batch.isEmpty else { return }
        batch.withUnsafeBytes { scan($0) }
        batch.removeAll(keepingCapacity: true)
    }

    private func scan(_ bytes: UnsafeRawBufferPointer) {
        tracker.begin(bytes)
        matches.removeAll(keepingCapacity: true)
        scanner.feed(bytes, into: &matches)
        report()
        tracker.commit()
        collector.advance(toCharacter: tracker.settled.character)
        // Matches never start before the settled position: older marks are not needed.
        if let last = marks.lastIndex(where: { $0.offset <= tracker.settled.offset }), last > 0 {
            marks.removeFirst(last)
            // Steps before the first kept mark's are not needed either; drop them in bulk.
            let firstNeeded = marks.lazy.compactMap { $0.mark.firstStep }.first ?? markStepsBase + markSteps.count
            if firstNeeded - markStepsBase >= 4096 {
                markSteps.removeFirst(firstNeeded - markStepsBase)
                markStepsBase = firstNeeded
            }
        }
    }

    func endText() {
        partOpen = false
        scanBatch()
        matches.removeAll(keepingCapacity: true)
        scanner.finish(into: &matches)
        report()
        collector.endPart()
    }

    func uninspected(at location: Location, reason: UninspectedReason) {
        collector.uninspected(at: location, code: reason.code, reason: reason.description)
    }

    func media(_ part: MediaPart) {
        collector.media(part)
    }

    var shouldStop: Bool { stopsAtBlock && collector.isFinalBlock }

    private func position(of mark: Mark) -> Location.Position {
        switch mark {
        case .position(let position):
            return position
        case .path(let start, let count, let line):
            let first = start - markStepsBase
            return .element(ElementStep.label(markSteps[first..<first + count], line: line))
        }
    }

    private func report() {
        guard !matches.isEmpty else { return }
        // Ascending starts keep the position tracker moving forward.
        matches.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        for match in matches {
            let start = tracker.position(at: match.start)
            let startCharacter = start.character
            let position: Location.Position = marks.last { $0.offset <= match.start }.map { self.position(of: $0.mark) } ?? .line(start.line, column: start.column + 1)
            let findingLocation = location.at(position)
            let end = tracker.position(at: match.end, after: start)
            collector.add(match, location: findingLocation, startCharacter: startCharacter, endCharacter: end.character)
        }
    }
}

extension ScanSink {
    /// A position announced by the decoder, kept as it came.
    enum Mark {
        case position(Location.Position)
        /// An element path: `count` steps from the part's `start`th step, and a line.
        case path(start: Int, count: Int, line: Int)

        var firstStep: Int? {
            if case .path(let start, _, _) = self { start } else { nil }
        }
    }
}
