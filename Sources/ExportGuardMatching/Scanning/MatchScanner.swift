/// Scans one stream with a ``Matcher``: feed it chunks in order, then call ``finish(into:)``.
///
/// Offsets are absolute byte offsets within the original stream. A match straddling chunks
/// is reported once. Overlapping matches are all reported, in roughly ascending end order
/// (anchored detectors that read ahead, and matches whose end is only decided by the next
/// bytes, may come a chunk later).
///
/// The text is matched after normalisation (see ``TextNormalisation``): full-width letters
/// and digits count as ASCII, U+3000 as a space, zero-width characters are ignored; a match
/// spans the original bytes it was found in.
public struct MatchScanner {
    let matcher: Matcher
    /// Normalised history and current chunk.
    private var window: StreamWindow
    private var literals: LiteralScanner
    private var digits: DigitScanner
    private let anchored: AnchoredDetectors
    private var literalBuffer: [LiteralMatch] = []
    private var detectorBuffer: [DetectorMatch] = []
    /// Anchor hits that need more bytes after them before they can be decided.
    private var waiting: [(anchor: AnchoredDetectors.Anchor, hit: LiteralMatch)] = []
    /// Normalised offsets → original offsets.
    private var offsets = OffsetMap()
    /// The last bytes fed, when they may be the start of a trigger sequence the next chunk completes.
    private var held: [UInt8] = []
    /// The normalised copy of a chunk that needed one.
    private var normalised: [UInt8] = []
    /// Original bytes fed so far.
    private var fed = 0

    init(matcher: Matcher) {
        self.matcher = matcher
        self.window = StreamWindow(capacity: matcher.windowCapacity)
        self.literals = LiteralScanner(automaton: matcher.automaton, filter: matcher.filter, firstTrigger: matcher.firstTrigger)
        let detectors = matcher.detectors
        self.digits = DigitScanner(classifier: matcher.classifier, identifiers: !matcher.classifier.isEmpty, coordinates: detectors.contains(.coordinates))
        self.anchored = AnchoredDetectors(enabled: detectors)
    }

    /// Bytes fed so far.
    public var offset: Int { fed }

    /// Scans the next chunk of the stream.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, into matches: inout [Match]) {
        guard chunk.count > 0 else { return }
        fed += chunk.count
        if held.isEmpty {
            let keep = TextNormalisation.incompleteTriggerSuffix(chunk)
            process(UnsafeRawBufferPointer(rebasing: chunk[..<(chunk.count - keep)]), into: &matches)
            if keep > 0 { held.append(contentsOf: chunk[(chunk.count - keep)...]) }
        } else {
            var joined = held
            joined.append(contentsOf: chunk)
            held.removeAll(keepingCapacity: true)
            joined.withUnsafeBytes { bytes in
                let keep = TextNormalisation.incompleteTriggerSuffix(bytes)
                process(UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - keep)]), into: &matches)
                if keep > 0 { held.append(contentsOf: bytes[(bytes.count - keep)...]) }
            }
        }
    }

    /// Convenience for callers holding an array.
    public mutating func feed(_ chunk: [UInt8], into matches: inout [Match]) {
        chunk.withUnsafeBytes { feed($0, into: &matches) }
    }

    /// Ends the stream: reports what was waiting for more input, and resets the scanner.
    public mutating func finish(into matches: inout [Match]) {
        if !held.isEmpty {
            let rest = held
            held.removeAll()
            rest.withUnsafeBytes { process($0, into: &matches) }
        }
        literalBuffer.removeAll(keepingCapacity: true)
        literals.finish(into: &literalBuffer)
        detectorBuffer.removeAll(keepingCapacity: true)
        digits.scan(window, streamEnded: true, into: &detectorBuffer)
        deliver(streamEnded: true, into: &matches)
        self = matcher.makeScanner()
    }

    /// Scans one piece of the original stream that ends on no incomplete trigger sequence.
    private mutating func process(_ raw: UnsafeRawBufferPointer, into matches: inout [Match]) {
        guard raw.count > 0 else { return }
        literalBuffer.removeAll(keepingCapacity: true)
        detectorBuffer.removeAll(keepingCapacity: true)
        window.begin(raw)
        if literals.scan(window, into: &literalBuffer, triggersMatter: true) {
            scanDetectors(into: &matches)
            return
        }
        // The piece holds text that normalisation changes: scan a normalised copy.
        var copy = normalised
        normalised = []
        TextNormalisation.normalise(raw, into: &copy, start: window.chunkStart, offsets: &offsets)
        copy.withUnsafeBytes { bytes in
            window.begin(bytes)
            _ = literals.scan(window, into: &literalBuffer, triggersMatter: false)
            scanDetectors(into: &matches)
        }
        normalised = copy
    }

    private mutating func scanDetectors(into matches: inout [Match]) {
        digits.scan(window, streamEnded: false, into: &detectorBuffer)
        deliver(streamEnded: false, into: &matches)
        window.commit()
        offsets.prune(below: window.chunkStart - window.tail.count)
    }

    private mutating func deliver(streamEnded: Bool, into matches: inout [Match]) {
        var detected = detectorBuffer
        detectorBuffer = []
        if !waiting.isEmpty {
            var stillWaiting: [(anchor: AnchoredDetectors.Anchor, hit: LiteralMatch)] = []
            for entry in waiting where !anchored.resolve(entry.anchor, entry.hit, window: window, streamEnded: streamEnded, into: &detected) {
                stillWaiting.append(entry)
            }
            waiting = stillWaiting
        }
        for hit in literalBuffer {
            if hit.pattern < matcher.firstAnchor {
                matches.append(.literal(LiteralMatch(
                    pattern: matcher.owners[hit.pattern], start: offsets.start(hit.start), end: offsets.end(hit.end))))
                continue
            }
            let anchor = matcher.anchors[hit.pattern - matcher.firstAnchor]
            if !anchored.resolve(anchor, hit, window: window, streamEnded: streamEnded, into: &detected) {
                waiting.append((anchor, hit))
            }
        }
        for var match in detected {
            match.start = offsets.start(match.start)
            match.end = offsets.end(match.end)
            matches.append(.detector(match))
        }
        detected.removeAll(keepingCapacity: true)
        detectorBuffer = detected
    }
}
