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
///
/// Then the contextual normalisation (see ``ContextualNormalisation``: separators between
/// ideographs, compatibility ideographs, symbol-font stars) is applied around each of its
/// sites only: the literal scan lists the sites, and each group of nearby sites gets a small
/// window of the text around it, rewritten and scanned again; only matches that cross a
/// rewrite are taken from there (every other match was found in the text as it is). Sites
/// are a few in a hundred kilobytes of Chinese prose, so text pays next to nothing for them.
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
    /// Sites of the contextual normalisation (normalised offsets) that wait for the bytes after them.
    private var pendingSites: [Int] = []
    /// The literal scanner's list of sites in the current chunk (kept for its capacity).
    private var chunkSites: [Int] = []
    /// A group of sites' window, rewritten, and its edits.
    private var siteText: [UInt8] = []
    /// The window's original bytes, kept between windows like `siteText`.
    private var siteRaw: [UInt8] = []
    private var siteEdits: [ContextualNormalisation.Edit] = []
    /// Original bytes fed so far.
    private var fed = 0

    init(matcher: Matcher) {
        self.matcher = matcher
        self.window = StreamWindow(capacity: matcher.windowCapacity)
        self.literals = LiteralScanner(
            automaton: matcher.automaton, filter: matcher.filter, firstTrigger: matcher.firstTrigger, firstSite: matcher.firstSite)
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
        var rest = chunk
        if !held.isEmpty {
            // Complete the character cut by the last chunk and scan it on its own.
            let take = min(TextNormalisation.sequenceLength(lead: held[0]) - held.count, rest.count)
            held.append(contentsOf: rest[..<take])
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            if held.count < TextNormalisation.sequenceLength(lead: held[0]) { return }
            let piece = held
            held.removeAll(keepingCapacity: true)
            piece.withUnsafeBytes { process($0, into: &matches) }
        }
        let keep = TextNormalisation.incompleteSuffix(rest)
        process(UnsafeRawBufferPointer(rebasing: rest[..<(rest.count - keep)]), into: &matches)
        if keep > 0 { held.append(contentsOf: rest[(rest.count - keep)...]) }
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
        resolveSites(streamEnded: true, into: &matches)
        self = matcher.makeScanner()
    }

    /// Scans one piece of the original stream that ends on no incomplete trigger sequence.
    private mutating func process(_ raw: UnsafeRawBufferPointer, into matches: inout [Match]) {
        guard raw.count > 0 else { return }
        literalBuffer.removeAll(keepingCapacity: true)
        detectorBuffer.removeAll(keepingCapacity: true)
        window.begin(raw)
        var sites: [Int]? = chunkSites
        chunkSites = []
        sites!.removeAll(keepingCapacity: true)
        if literals.scan(window, into: &literalBuffer, sites: &sites, triggersMatter: true) {
            scanDetectors(sites: &sites, into: &matches)
            chunkSites = sites ?? []
            return
        }
        // The piece holds text that normalisation changes: scan a normalised copy.
        var copy = normalised
        normalised = []
        TextNormalisation.normalise(raw, into: &copy, start: window.chunkStart, offsets: &offsets)
        copy.withUnsafeBytes { bytes in
            window.begin(bytes)
            _ = literals.scan(window, into: &literalBuffer, sites: &sites, triggersMatter: false)
            scanDetectors(sites: &sites, into: &matches)
        }
        normalised = copy
        chunkSites = sites ?? []
    }

    private mutating func scanDetectors(sites: inout [Int]?, into matches: inout [Match]) {
        digits.scan(window, streamEnded: false, into: &detectorBuffer)
        deliver(streamEnded: false, into: &matches)
        collectSites(&sites)
        resolveSites(streamEnded: false, into: &matches)
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

    // MARK: Sites of the contextual normalisation

    /// Bytes of text a site needs on either side: enough for the longest literal to start
    /// before it or end after it (with a run of separators inside), and for the detectors'
    /// look-behind (`61398部队`) and look-ahead (a marking's period).
    /// How far after a group's last site a run of separators still belongs to the group: the
    /// continuation byte before it ends the character the site starts (up to four bytes).
    static let ownedAfter = 3

    /// Sites closer than this share a window even when their reaches do not meet: in dense
    /// text (a hard-wrapped Chinese mail, a table of short Chinese cells) one long window
    /// goes through the literal filter at its full speed, where hundreds of short ones would
    /// each pay the automaton's and the rewrite's set-up.
    static let denseSiteGap = 1024

    static func siteReach(longestPattern: Int) -> Int {
        longestPattern + AnchoredDetectors.markingLookahead + ContextualNormalisation.maximumRunBytes + 16
    }

    /// Adds the chunk's sites to the pending ones, in normalised offsets, with the quick
    /// checks that rule most of them out (a separator after a character that is no
    /// ideograph, or before ASCII text).
    private mutating func collectSites(_ sites: inout [Int]?) {
        let chunk = window.chunk
        guard chunk.count > 0, let base = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        if sites == nil {
            // More than the literal filter could list: look for them here.
            var found: [Int] = []
            for index in 0..<chunk.count where ContextualNormalisation.isSiteCandidate(base, at: index, count: chunk.count) {
                found.append(index)
            }
            sites = found
        }
        // Runs the chunk's edges cut, which the filter cannot see whole: one that goes on from
        // the last chunk, and one the next chunk may go on with or end.
        let start = window.chunkStart
        if ContextualNormalisation.separatorLength(base, at: 0, count: chunk.count) > 0,
           let site = siteBeforeRun(endingAt: start, separatorsAfter: true) {
            sites!.append(site - start)
        }
        if let site = siteBeforeRun(endingAt: window.end, separatorsAfter: false) { sites!.append(site - start) }
        for index in sites! {
            let offset = start + index
            if worthScanning(offset) { pendingSites.append(offset) }
        }
    }

    /// The site (the continuation byte before it) of a run of separators that ends at `end`,
    /// walking back through the window; nil when no separator ends there (unless
    /// `separatorsAfter` says the run goes on after `end`) or no character that may be an
    /// ideograph's end precedes the run.
    private func siteBeforeRun(endingAt end: Int, separatorsAfter: Bool) -> Int? {
        var position = end
        var separators = 0
        while separators <= ContextualNormalisation.maximumSeparators, let byte = window.byte(at: position - 1) {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                position -= 1
            } else if byte == 0xA0, window.byte(at: position - 2) == 0xC2 {
                position -= 2
            } else if byte == 0x80, window.byte(at: position - 2) == 0x80, window.byte(at: position - 3) == 0xE3 {
                position -= 3
            } else if byte & 0xF0 == 0x80, window.byte(at: position - 2) == 0xB8, window.byte(at: position - 3) == 0xEF {
                position -= 3
                continue
            } else {
                break
            }
            separators += 1
        }
        guard separators > 0 || separatorsAfter, let before = window.byte(at: position - 1), before & 0xC0 == 0x80 else { return nil }
        return position - 1
    }

    /// False when the site at `offset` certainly has nothing to rewrite: a continuation byte
    /// that does not end an ideograph, or whose separators run into ASCII.
    private func worthScanning(_ offset: Int) -> Bool {
        guard let first = window.byte(at: offset), first & 0xC0 == 0x80 else { return true }
        guard let lead = window.byte(at: offset - 2), let second = window.byte(at: offset - 1) else { return true }
        // An ideograph, or a form that becomes one (the C side's `separator_site_at` agrees).
        let wide = (lead >= 0xE4 && lead <= 0xE9) || (lead == 0xE3 && second >= 0x90) || (lead == 0xE2 && second >= 0xBA && second <= 0xBF)
            || (lead == 0xEF && ((second >= 0xA4 && second <= 0xAB) || second == 0xB8)) || lead & 0xC0 == 0x80
        guard wide else { return false }
        var position = offset + 1
        var separators = 0
        while separators <= ContextualNormalisation.maximumSeparators, let byte = window.byte(at: position) {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            case 0xC2: position += 2
            case 0xE3 where window.byte(at: position + 1) == 0x80 && window.byte(at: position + 2) == 0x80: position += 3
            default: return byte >= 0x80
            }
            separators += 1
        }
        return separators <= ContextualNormalisation.maximumSeparators
    }

    /// Scans the windows of the pending sites that have enough text after them (all of them
    /// once the stream has ended). Sites close together share one window — dense sites (a
    /// hard-wrapped Chinese text) make one window of the stretch they cover; a match
    /// crossing rewrites of two windows is reported by the window of the first rewrite it
    /// crosses (which holds all of it).
    private mutating func resolveSites(streamEnded: Bool, into matches: inout [Match]) {
        guard !pendingSites.isEmpty else { return }
        pendingSites.sort()
        let reach = Self.siteReach(longestPattern: matcher.automaton.longestPattern)
        // Sites without enough text after them yet wait (they stay within the history), and
        // so do those right before them: a group owns the runs just after its sites.
        var ready = pendingSites.count
        if !streamEnded {
            while ready > 0, pendingSites[ready - 1] + reach > window.end { ready -= 1 }
            while ready > 0, ready < pendingSites.count, pendingSites[ready] - pendingSites[ready - 1] <= Self.ownedAfter { ready -= 1 }
        }
        var index = 0
        while index < ready {
            var last = index
            while last + 1 < ready, pendingSites[last + 1] - pendingSites[last] < max(2 * reach, Self.denseSiteGap) { last += 1 }
            scanSites(from: pendingSites[index], to: pendingSites[last], reach: reach, into: &matches)
            index = last + 1
        }
        pendingSites.removeFirst(ready)
    }

    /// Rewrites the text around the sites `first...last` and reports the matches in it that
    /// cross one of their rewrites.
    private mutating func scanSites(from first: Int, to last: Int, reach: Int, into matches: inout [Match]) {
        let lower = max(first - reach, window.chunkStart - window.tail.count)
        let upper = min(last + reach, window.end)
        guard lower < upper else { return }
        // Borrowed, not copied: a copy would make the buffers shared, and `apply` would then
        // allocate new ones for every window.
        var raw: [UInt8] = [], text: [UInt8] = [], edits: [ContextualNormalisation.Edit] = []
        swap(&raw, &siteRaw)
        swap(&text, &siteText)
        swap(&edits, &siteEdits)
        defer {
            swap(&raw, &siteRaw)
            swap(&text, &siteText)
            swap(&edits, &siteEdits)
        }
        guard window.copyBytes(lower..<upper, into: &raw) else { return }
        raw.withUnsafeBufferPointer { ContextualNormalisation.apply($0, into: &text, edits: &edits) }
        // This group's own rewrites (the window may reach rewrites of the groups around it):
        // those whose site — the byte before a run of separators, the first byte of a
        // rewritten character — is one of the group's.
        func isOwn(_ edit: ContextualNormalisation.Edit) -> Bool {
            let runOfSeparators = [0x20, 0x09, 0x0A, 0x0D, 0xC2, 0xE3].contains(raw[edit.inputStart])
            let site = lower + edit.inputStart - (runOfSeparators ? 1 : 0)
            // A run right after a rewritten character (a radical, a compatibility ideograph,
            // a variation selector) belongs to that character's site: the literal filter
            // finds no site of its own there.
            return site >= first && site <= last + (runOfSeparators ? Self.ownedAfter : 0)
        }
        guard edits.contains(where: isOwn) else { return }
        // Edits are in output order: both questions below are a binary search (a window of
        // dense sites holds thousands of edits and matches).
        var removedBefore = [0]
        removedBefore.reserveCapacity(edits.count + 1)
        for edit in edits {
            removedBefore.append(removedBefore[removedBefore.count - 1] + (edit.inputEnd - edit.inputStart) - (edit.outputEnd - edit.outputStart))
        }
        /// The number of edits at the start of the list for which `before` holds (it holds
        /// for a prefix of them).
        func prefix(_ before: (ContextualNormalisation.Edit) -> Bool) -> Int {
            var low = 0, high = edits.count
            while low < high {
                let middle = (low + high) / 2
                if before(edits[middle]) { low = middle + 1 } else { high = middle }
            }
            return low
        }
        /// Whether the first rewrite a match crosses is one of this group's.
        func crosses(_ start: Int, _ end: Int) -> Bool {
            let index = prefix { $0.outputEnd <= start }
            guard index < edits.count else { return false }
            let edit = edits[index]
            let crossed = edit.outputStart == edit.outputEnd ? end > edit.outputStart : end > edit.outputStart && start < edit.outputEnd
            return crossed && isOwn(edit)
        }
        // Offsets in the rewritten window → normalised stream offsets.
        func streamOffset(_ offset: Int, isEnd: Bool) -> Int {
            let count = isEnd
                ? prefix { $0.outputEnd < offset || ($0.outputEnd == offset && $0.outputEnd > $0.outputStart) }
                : prefix { $0.outputEnd <= offset }
            return lower + offset + removedBefore[count]
        }
        // A long window (dense sites: a hard-wrapped Chinese text) goes through the filter.
        var scanner = LiteralScanner(
            automaton: matcher.automaton, filter: matcher.filter, firstTrigger: matcher.firstTrigger, firstSite: matcher.firstSite)
        var local = StreamWindow(capacity: 0)
        var hits: [LiteralMatch] = []
        var noSites: [Int]? = nil
        var detected: [DetectorMatch] = []
        text.withUnsafeBytes { bytes in
            local.begin(bytes)
            _ = scanner.scan(local, into: &hits, sites: &noSites, triggersMatter: false)
            scanner.finish(into: &hits)
            for hit in hits where crosses(hit.start, hit.end) {
                if hit.pattern < matcher.firstAnchor {
                    matches.append(.literal(LiteralMatch(
                        pattern: matcher.owners[hit.pattern],
                        start: offsets.start(streamOffset(hit.start, isEnd: false)),
                        end: offsets.end(streamOffset(hit.end, isEnd: true)))))
                } else if hit.pattern < matcher.firstTrigger {
                    _ = anchored.resolve(matcher.anchors[hit.pattern - matcher.firstAnchor], hit, window: local, streamEnded: true, into: &detected)
                }
            }
        }
        for var match in detected {
            match.start = offsets.start(streamOffset(match.start, isEnd: false))
            match.end = offsets.end(streamOffset(match.end, isEnd: true))
            matches.append(.detector(match))
        }
    }
}
