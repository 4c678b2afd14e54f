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
struct LiteralScanner {
    let automaton: LiteralAutomaton
    /// Compiled pattern ids at or above this are normalisation triggers (see
    /// ``TextNormalisation``), not matches.
    let firstTrigger: Int
    private var state: UInt32 = 0
    private var awaitingBoundary: [LiteralMatch] = []
    /// (index in chunk << 32 | state) of every byte after which an output state was reached.
    private var hits: [UInt64] = []

    /// Chunks at least this long (and at least 16 times the longest pattern) are scanned
    /// in four interleaved sections.
    static let interleavingThreshold = 2048

    init(automaton: LiteralAutomaton, firstTrigger: Int) {
        self.automaton = automaton
        self.firstTrigger = firstTrigger
    }

    /// Scans `window.chunk`, appending matches in order of their end offset.
    ///
    /// When `triggersMatter` and the chunk contains a normalisation trigger, nothing is
    /// appended, the scanner is left as it was and the result is false: the caller
    /// normalises the chunk and scans it again with `triggersMatter` false.
    mutating func scan(_ window: StreamWindow, into matches: inout [LiteralMatch], triggersMatter: Bool) -> Bool {
        let chunk = window.chunk
        guard let base = chunk.baseAddress, chunk.count > 0 else { return true }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        hits.removeAll(keepingCapacity: true)
        let finalState = automaton.compact
            ? scanChunk(bytes, count: chunk.count, entry: UInt16.self)
            : scanChunk(bytes, count: chunk.count, entry: UInt32.self)

        if triggersMatter, !hits.isEmpty, hits.contains(where: { isTrigger(state: UInt32(truncatingIfNeeded: $0)) }) {
            return false
        }
        if !awaitingBoundary.isEmpty, let first = window.byte(at: window.chunkStart) {
            let boundary = !first.isASCIIWordByte
            if boundary { matches.append(contentsOf: awaitingBoundary) }
            awaitingBoundary.removeAll(keepingCapacity: true)
        }
        for hit in hits {
            emit(state: UInt32(truncatingIfNeeded: hit), endIndex: Int(hit >> 32) + 1, window: window, into: &matches)
        }
        state = finalState
        return true
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
        for k in Int(automaton.outputStart[number])..<Int(automaton.outputStart[number + 1])
        where Int(automaton.outputPatterns[k]) >= firstTrigger {
            return true
        }
        return false
    }

    /// The stream ended: held matches end at a boundary.
    mutating func finish(into matches: inout [LiteralMatch]) {
        matches.append(contentsOf: awaitingBoundary)
        awaitingBoundary.removeAll()
        state = 0
    }

    private mutating func emit(state s: UInt32, endIndex: Int, window: StreamWindow, into matches: inout [LiteralMatch]) {
        let automaton = self.automaton
        let number = Int(s - automaton.firstMatchState)
        let end = window.chunkStart + endIndex
        for k in Int(automaton.outputStart[number])..<Int(automaton.outputStart[number + 1]) {
            let id = Int(automaton.outputPatterns[k])
            if id >= firstTrigger { continue }
            let start = end - Int(automaton.lengths[id])
            if automaton.needsCaseCheck[id] {
                let pattern = automaton.patterns[id].bytes
                var same = true
                for j in 0..<pattern.count where window.byte(at: start + j) != pattern[j] {
                    same = false
                    break
                }
                if !same { continue }
            }
            if automaton.boundaryBefore[id], let before = window.byte(at: start - 1), before.isASCIIWordByte {
                continue
            }
            let match = LiteralMatch(pattern: id, start: start, end: end)
            if automaton.boundaryAfter[id] {
                guard let after = window.byte(at: end) else {
                    awaitingBoundary.append(match)
                    continue
                }
                if after.isASCIIWordByte { continue }
            }
            matches.append(match)
        }
    }
}
