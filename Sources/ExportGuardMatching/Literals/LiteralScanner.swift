import CLiteralFilter

/// Streams bytes through a ``LiteralAutomaton``: the per-scan mutable state.
///
/// A match that straddles a chunk boundary is reported once, with absolute offsets.
/// Matches needing a word boundary after them that end exactly at a chunk's end are
/// held until the next byte (or the end of the stream) decides.
///
/// Large chunks are scanned as four sections interleaved in one loop, which hides the
/// latency of the table lookups (each lookup depends on the previous one, so a single
/// stream spends most of its time waiting). Every section after the first starts from the
/// root state `longestPattern - 1` bytes before its own start, which is enough history for
/// the automaton to be in the same state as a single pass once the section proper begins;
/// each section only reports matches that end inside it, and the last one's final state
/// carries on to the next chunk. The result is exactly that of one pass.
///
/// When the matcher has a ``LiteralFilter``, large chunks go through it instead, and the
/// automaton is only brought to the state it would have after the chunk (by running it over
/// the last `longestPattern` bytes), so chunks of either kind can follow each other.
struct LiteralScanner {
    let automaton: LiteralAutomaton
    let filter: LiteralFilter?
    /// Compiled pattern ids at or above this are normalisation triggers (see
    /// ``TextNormalisation``), not matches.
    let firstTrigger: Int
    /// Ids at or above this (and above `firstTrigger`) are sites of the contextual
    /// normalisation (see ``ContextualNormalisation``).
    let firstSite: Int
    private var state: UInt32 = 0
    private var awaitingBoundary: [LiteralMatch] = []
    /// (index in chunk << 32 | state) of every byte after which an output state was reached.
    private var hits: [UInt64] = []
    /// The filter's hit buffer, sized for it on first use.
    private var filterHits: [UInt64] = []
    /// The filter's site buffer.
    private var filterSites: [UInt32] = []
    static let siteCapacity = 4096

    /// Chunks at least this long (and at least 16 times the longest pattern) are scanned
    /// in four interleaved sections.
    static let interleavingThreshold = 2048

    init(automaton: LiteralAutomaton, filter: LiteralFilter?, firstTrigger: Int, firstSite: Int) {
        self.automaton = automaton
        self.filter = filter
        self.firstTrigger = firstTrigger
        self.firstSite = firstSite
    }

    /// Scans `window.chunk`, appending matches in order of their end offset.
    ///
    /// When `triggersMatter` and the chunk contains a normalisation trigger, nothing is
    /// appended, the scanner is left as it was and the result is false: the caller
    /// normalises the chunk and scans it again with `triggersMatter` false.
    ///
    /// Where a site of the contextual normalisation may start, its chunk index (negative
    /// when it starts in the history) goes to `sites`, in no particular order; nil when there
    /// were more than the filter could list (the caller looks for them itself).
    mutating func scan(_ window: StreamWindow, into matches: inout [LiteralMatch], sites: inout [Int]?, triggersMatter: Bool) -> Bool {
        let chunk = window.chunk
        guard let base = chunk.baseAddress, chunk.count > 0 else { return true }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        if let filter, chunk.count >= Self.interleavingThreshold, chunk.count >= 16 * automaton.longestPattern,
           chunk.count <= Int(UInt32.max) {
            return scanFiltered(filter, bytes, count: chunk.count, window: window, into: &matches, sites: &sites, triggersMatter: triggersMatter)
        }
        hits.removeAll(keepingCapacity: true)
        let finalState = automaton.compact
            ? scanChunk(bytes, count: chunk.count, entry: UInt16.self)
            : scanChunk(bytes, count: chunk.count, entry: UInt32.self)

        if triggersMatter, !hits.isEmpty, hits.contains(where: { isTrigger(state: UInt32(truncatingIfNeeded: $0)) }) {
            return false
        }
        releaseAwaitingBoundary(window, into: &matches)
        for hit in hits {
            emit(state: UInt32(truncatingIfNeeded: hit), endIndex: Int(hit >> 32) + 1, window: window, into: &matches, sites: &sites)
        }
        state = finalState
        return true
    }

    /// Matches held for the byte after them: the chunk's first byte decides.
    private mutating func releaseAwaitingBoundary(_ window: StreamWindow, into matches: inout [LiteralMatch]) {
        guard !awaitingBoundary.isEmpty, let first = window.byte(at: window.chunkStart) else { return }
        if !first.isASCIIWordByte { matches.append(contentsOf: awaitingBoundary) }
        awaitingBoundary.removeAll(keepingCapacity: true)
    }

    /// Scans the chunk with the filter (the same contract as ``scan(_:into:triggersMatter:)``),
    /// then leaves the automaton in the state one pass would have reached: no state is deeper
    /// than the longest pattern, so the chunk's last `longestPattern` bytes decide it.
    private mutating func scanFiltered(
        _ filter: LiteralFilter, _ bytes: UnsafePointer<UInt8>, count: Int, window: StreamWindow,
        into matches: inout [LiteralMatch], sites: inout [Int]?, triggersMatter: Bool
    ) -> Bool {
        if filterHits.count < filter.hitBufferSize {
            filterHits = [UInt64](repeating: 0, count: filter.hitBufferSize)
        }
        // Room for a site every 16 bytes (up to a million): past that, the caller looks for
        // them itself.
        let siteRoom = min(max(Self.siteCapacity, count / 16), 1 << 20)
        if filterSites.count < siteRoom {
            filterSites = [UInt32](repeating: 0, count: siteRoom)
        }
        var next = 0, written = 0
        var carry: UInt64 = 0
        var trigger: Int32 = 0
        var found = eg_filter_sites(positions: nil, count: 0, capacity: filterSites.count, overflow: 0)
        while true {
            let from = next, already = written
            written += window.tail.withUnsafeBufferPointer { history in
                filterSites.withUnsafeMutableBufferPointer { siteBuffer in
                    found.positions = siteBuffer.baseAddress
                    return filterHits.withUnsafeMutableBufferPointer { buffer in
                        eg_literal_filter_scan(
                            filter.tables, history.baseAddress, history.count, bytes, count, from, &next, &carry, &trigger,
                            &found, buffer.baseAddress! + already, buffer.count - already)
                    }
                }
            }
            if next == count { break }
            // More hits than room (very dense matches): keep them and make room.
            filterHits += [UInt64](repeating: 0, count: filterHits.count)
        }
        if triggersMatter, trigger != 0 { return false }
        if found.overflow != 0 {
            sites = nil
        } else if sites != nil {
            for k in 0..<found.count { sites!.append(Int(filterSites[k])) }
        }
        releaseAwaitingBoundary(window, into: &matches)
        for k in 0..<written {
            let hit = filterHits[k]
            emit(pattern: Int(UInt32(truncatingIfNeeded: hit)), endIndex: Int(hit >> 32), window: window, caseChecked: true, into: &matches)
        }
        state = automaton.compact
            ? stateAfter(bytes, count: count, entry: UInt16.self)
            : stateAfter(bytes, count: count, entry: UInt32.self)
        return true
    }

    /// The automaton's state after the chunk, from its last `longestPattern` bytes.
    private mutating func stateAfter<Entry: FixedWidthInteger & UnsignedInteger>(
        _ bytes: UnsafePointer<UInt8>, count: Int, entry: Entry.Type
    ) -> UInt32 {
        let columns = UnsafeRawPointer(automaton.columns).assumingMemoryBound(to: UnsafePointer<Entry>.self)
        let warmUp = (count - automaton.longestPattern)..<count
        return UInt32(Self.run(from: 0, bytes, warmUp, reportFrom: count, columns: columns, floor: 0, hits: &hits))
    }

    /// Runs the automaton over the chunk from `state`, recording hits; returns the final state.
    private mutating func scanChunk<Entry: FixedWidthInteger & UnsignedInteger>(
        _ bytes: UnsafePointer<UInt8>, count: Int, entry: Entry.Type
    ) -> UInt32 {
        let columns = UnsafeRawPointer(automaton.columns).assumingMemoryBound(to: UnsafePointer<Entry>.self)
        let floor = Int(automaton.firstMatchState)
        let longest = max(automaton.longestPattern, 1)
        guard count >= Self.interleavingThreshold, count >= 16 * longest else {
            return UInt32(Self.run(from: Int(state), bytes, 0..<count, reportFrom: 0, columns: columns, floor: floor, hits: &hits))
        }
        // Section k reports matches ending in (b_k, b_k+1] and starts scanning `warmUp`
        // bytes before b_k.
        let warmUp = longest - 1
        let quarter = count / 4
        let b1 = quarter, b2 = 2 * quarter, b3 = 3 * quarter
        let start1 = b1 - warmUp, start2 = b2 - warmUp, start3 = b3 - warmUp
        let steps = min(b1, b2 - start1, b3 - start2, count - start3)
        let p0 = bytes, p1 = bytes + start1, p2 = bytes + start2, p3 = bytes + start3
        var s0 = Int(state), s1 = 0, s2 = 0, s3 = 0
        var hits1: [UInt64] = [], hits2: [UInt64] = [], hits3: [UInt64] = []
        let orFloor = Int(automaton.orFloor)
        var j = 0
        while true {
            j = Self.interleaved(p0, p1, p2, p3, from: j, to: steps, &s0, &s1, &s2, &s3, columns: columns, orFloor: orFloor)
            guard j < steps else { break }
            if s0 >= floor { hits.append(UInt64(j) << 32 | UInt64(s0)) }
            if s1 >= floor, j >= warmUp { hits1.append(UInt64(start1 + j) << 32 | UInt64(s1)) }
            if s2 >= floor, j >= warmUp { hits2.append(UInt64(start2 + j) << 32 | UInt64(s2)) }
            if s3 >= floor, j >= warmUp { hits3.append(UInt64(start3 + j) << 32 | UInt64(s3)) }
            j &+= 1
        }
        // The sections' remainders, one after the other.
        _ = Self.run(from: s0, bytes, steps..<b1, reportFrom: 0, columns: columns, floor: floor, hits: &hits)
        hits.append(contentsOf: hits1)
        _ = Self.run(from: s1, bytes, (start1 + steps)..<b2, reportFrom: b1, columns: columns, floor: floor, hits: &hits)
        hits.append(contentsOf: hits2)
        _ = Self.run(from: s2, bytes, (start2 + steps)..<b3, reportFrom: b2, columns: columns, floor: floor, hits: &hits)
        hits.append(contentsOf: hits3)
        return UInt32(Self.run(from: s3, bytes, (start3 + steps)..<count, reportFrom: b3, columns: columns, floor: floor, hits: &hits))
    }

    /// Four streams in step from `start` until one of them reaches an output state (returns
    /// that index) or `steps` is reached. Free of calls, so the states stay in registers;
    /// eight bytes of each stream are loaded at once, and the next state is one load from
    /// the byte's column, so each stream's dependency chain is a single load per byte.
    @inline(never)
    private static func interleaved<Entry: FixedWidthInteger & UnsignedInteger>(
        _ p0: UnsafePointer<UInt8>, _ p1: UnsafePointer<UInt8>, _ p2: UnsafePointer<UInt8>, _ p3: UnsafePointer<UInt8>,
        from start: Int, to steps: Int, _ state0: inout Int, _ state1: inout Int, _ state2: inout Int, _ state3: inout Int,
        columns: UnsafePointer<UnsafePointer<Entry>>, orFloor: Int
    ) -> Int {
        var s0 = state0, s1 = state1, s2 = state2, s3 = state3
        var j = start
        defer {
            state0 = s0
            state1 = s1
            state2 = s2
            state3 = s3
        }
        while j &+ 8 <= steps {
            var w0 = UnsafeRawPointer(p0 + j).loadUnaligned(as: UInt64.self)
            var w1 = UnsafeRawPointer(p1 + j).loadUnaligned(as: UInt64.self)
            var w2 = UnsafeRawPointer(p2 + j).loadUnaligned(as: UInt64.self)
            var w3 = UnsafeRawPointer(p3 + j).loadUnaligned(as: UInt64.self)
            for k in 0..<8 {
                s0 = Int(columns[Int(truncatingIfNeeded: w0 & 0xFF)][s0])
                s1 = Int(columns[Int(truncatingIfNeeded: w1 & 0xFF)][s1])
                s2 = Int(columns[Int(truncatingIfNeeded: w2 & 0xFF)][s2])
                s3 = Int(columns[Int(truncatingIfNeeded: w3 & 0xFF)][s3])
                if (s0 | s1 | s2 | s3) >= orFloor { return j &+ k }
                w0 &>>= 8
                w1 &>>= 8
                w2 &>>= 8
                w3 &>>= 8
            }
            j &+= 8
        }
        while j < steps {
            s0 = Int(columns[Int(p0[j])][s0])
            s1 = Int(columns[Int(p1[j])][s1])
            s2 = Int(columns[Int(p2[j])][s2])
            s3 = Int(columns[Int(p3[j])][s3])
            if (s0 | s1 | s2 | s3) >= orFloor { break }
            j &+= 1
        }
        return j
    }

    /// One stream over `range`; records output states reached after index >= `reportFrom`.
    @inline(__always)
    private static func run<Entry: FixedWidthInteger & UnsignedInteger>(
        from start: Int, _ bytes: UnsafePointer<UInt8>, _ range: Range<Int>, reportFrom: Int,
        columns: UnsafePointer<UnsafePointer<Entry>>, floor: Int, hits: inout [UInt64]
    ) -> Int {
        var s = start
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            s = Int(columns[Int(bytes[i])][s])
            if s >= floor, i >= reportFrom {
                hits.append(UInt64(i) << 32 | UInt64(s))
            }
            i &+= 1
        }
        return s
    }

    private func isTrigger(state s: UInt32) -> Bool {
        let automaton = self.automaton
        let number = Int(s - automaton.firstMatchState)
        for k in Int(automaton.outputStart[number])..<Int(automaton.outputStart[number + 1]) {
            let id = Int(automaton.outputPatterns[k])
            if id >= firstTrigger, id < firstSite { return true }
        }
        return false
    }

    /// The stream ended: held matches end at a boundary.
    mutating func finish(into matches: inout [LiteralMatch]) {
        matches.append(contentsOf: awaitingBoundary)
        awaitingBoundary.removeAll()
        state = 0
    }

    private mutating func emit(state s: UInt32, endIndex: Int, window: StreamWindow, into matches: inout [LiteralMatch], sites: inout [Int]?) {
        let automaton = self.automaton
        let number = Int(s - automaton.firstMatchState)
        for k in Int(automaton.outputStart[number])..<Int(automaton.outputStart[number + 1]) {
            let id = Int(automaton.outputPatterns[k])
            if id >= firstTrigger {
                if id >= firstSite { sites?.append(endIndex - Int(automaton.lengths[id])) }
                continue
            }
            emit(pattern: id, endIndex: endIndex, window: window, caseChecked: false, into: &matches)
        }
    }

    /// Reports pattern `id` ending before chunk index `endIndex` unless its case or a word
    /// boundary rules it out (or holds it until the next byte arrives).
    private mutating func emit(pattern id: Int, endIndex: Int, window: StreamWindow, caseChecked: Bool, into matches: inout [LiteralMatch]) {
        let automaton = self.automaton
        let end = window.chunkStart + endIndex
        let start = end - Int(automaton.lengths[id])
        if !caseChecked, automaton.needsCaseCheck[id] {
            let pattern = automaton.patterns[id].bytes
            for j in 0..<pattern.count where window.byte(at: start + j) != pattern[j] {
                return
            }
        }
        if automaton.boundaryBefore[id], let before = window.byte(at: start - 1), before.isASCIIWordByte {
            return
        }
        let match = LiteralMatch(pattern: id, start: start, end: end)
        if automaton.boundaryAfter[id] {
            guard let after = window.byte(at: end) else {
                awaitingBoundary.append(match)
                return
            }
            if after.isASCIIWordByte { return }
        }
        matches.append(match)
    }
}
