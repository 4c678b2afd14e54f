/// Scans one stream with a ``Matcher``: feed it chunks in order, then call ``finish(into:)``.
///
/// Offsets are absolute within the stream. A match straddling chunks is reported once.
/// Overlapping matches are all reported, in roughly ascending end order (anchored
/// detectors that read ahead may come a chunk later).
public struct MatchScanner {
    let matcher: Matcher
    private var window: StreamWindow
    private var literals: LiteralScanner
    private var tokenizer = IdentifierTokenizer()
    private var coordinates = CoordinateScanner()
    private let findCoordinates: Bool
    private let classifier: IdentifierClassifier
    private let anchored: AnchoredDetectors
    private var literalBuffer: [LiteralMatch] = []
    /// Anchor hits that need more bytes after them before they can be decided.
    private var waiting: [(anchor: AnchoredDetectors.Anchor, hit: LiteralMatch)] = []
    private let tokenize: Bool

    init(matcher: Matcher) {
        self.matcher = matcher
        self.window = StreamWindow(capacity: matcher.windowCapacity)
        self.literals = LiteralScanner(automaton: matcher.automaton)
        self.classifier = IdentifierClassifier(enabled: matcher.detectors)
        self.anchored = AnchoredDetectors(enabled: matcher.detectors)
        self.findCoordinates = matcher.detectors.contains(.coordinates)
        self.tokenize = !matcher.detectors.isDisjoint(with: [.residentID, .socialCreditCode, .mobileNumber, .bankCard, .passport, .plaUnit])
    }

    /// Bytes fed so far.
    public var offset: Int { window.end }

    /// Scans the next chunk of the stream.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, into matches: inout [Match]) {
        window.begin(chunk)
        literalBuffer.removeAll(keepingCapacity: true)
        literals.scan(window, into: &literalBuffer)
        if tokenize {
            let window = self.window
            let classifier = self.classifier
            var found: [DetectorMatch] = []
            tokenizer.scan(window) { token, range, lastPart in
                classifier.classify(token, range: range, lastPart: lastPart, window: window, into: &found)
            }
            for match in found { matches.append(.detector(match)) }
        }
        if findCoordinates {
            var found: [DetectorMatch] = []
            coordinates.scan(window, into: &found)
            for match in found { matches.append(.detector(match)) }
        }
        deliver(streamEnded: false, into: &matches)
        window.commit()
    }

    /// Convenience for callers holding an array.
    public mutating func feed(_ chunk: [UInt8], into matches: inout [Match]) {
        chunk.withUnsafeBytes { feed($0, into: &matches) }
    }

    /// Ends the stream: reports what was waiting for more input, and resets the scanner.
    public mutating func finish(into matches: inout [Match]) {
        literalBuffer.removeAll(keepingCapacity: true)
        literals.finish(into: &literalBuffer)
        if tokenize {
            let window = self.window
            let classifier = self.classifier
            var found: [DetectorMatch] = []
            tokenizer.finish(at: window.end) { token, range, lastPart in
                classifier.classify(token, range: range, lastPart: lastPart, window: window, into: &found)
            }
            for match in found { matches.append(.detector(match)) }
        }
        if findCoordinates {
            var found: [DetectorMatch] = []
            coordinates.finish(at: window.end, into: &found)
            for match in found { matches.append(.detector(match)) }
        }
        deliver(streamEnded: true, into: &matches)
        self = matcher.makeScanner()
    }

    private mutating func deliver(streamEnded: Bool, into matches: inout [Match]) {
        var detected: [DetectorMatch] = []
        if !waiting.isEmpty {
            var stillWaiting: [(anchor: AnchoredDetectors.Anchor, hit: LiteralMatch)] = []
            for entry in waiting where !anchored.resolve(entry.anchor, entry.hit, window: window, streamEnded: streamEnded, into: &detected) {
                stillWaiting.append(entry)
            }
            waiting = stillWaiting
        }
        for hit in literalBuffer {
            if hit.pattern < matcher.literalCount {
                matches.append(.literal(hit))
                continue
            }
            let anchor = matcher.anchors[hit.pattern - matcher.literalCount]
            if !anchored.resolve(anchor, hit, window: window, streamEnded: streamEnded, into: &detected) {
                waiting.append((anchor, hit))
            }
        }
        for match in detected { matches.append(.detector(match)) }
    }
}
