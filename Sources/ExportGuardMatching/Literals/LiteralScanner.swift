/// Streams bytes through a ``LiteralAutomaton``: the per-scan mutable state.
///
/// A match that straddles a chunk boundary is reported once, with absolute offsets.
/// Matches needing a word boundary after them that end exactly at a chunk's end are
/// held until the next byte (or the end of the stream) decides.
struct LiteralScanner {
    let automaton: LiteralAutomaton
    private var state: Int32 = 0
    private var awaitingBoundary: [LiteralMatch] = []

    init(automaton: LiteralAutomaton) {
        self.automaton = automaton
    }

    /// Scans `window.chunk`, appending matches in order of their end offset.
    mutating func scan(_ window: StreamWindow, into matches: inout [LiteralMatch]) {
        let chunk = window.chunk
        if !awaitingBoundary.isEmpty, let first = window.byte(at: window.chunkStart) {
            let boundary = !first.isASCIIWordByte
            if boundary { matches.append(contentsOf: awaitingBoundary) }
            awaitingBoundary.removeAll(keepingCapacity: true)
        }
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        let automaton = self.automaton
        let floor = automaton.firstMatchState
        let classCount = automaton.classCount
        var s = state
        automaton.transitions.withUnsafeBufferPointer { transitions in
            automaton.byteClasses.withUnsafeBufferPointer { classes in
                let bytes = base.assumingMemoryBound(to: UInt8.self)
                let count = chunk.count
                var i = 0
                while i < count {
                    s = transitions[Int(s) &+ Int(classes[Int(bytes[i])])]
                    if s >= floor {
                        emit(state: s, endIndex: i + 1, classCount: classCount, window: window, into: &matches)
                    }
                    i &+= 1
                }
            }
        }
        state = s
    }

    /// The stream ended: held matches end at a boundary.
    mutating func finish(into matches: inout [LiteralMatch]) {
        matches.append(contentsOf: awaitingBoundary)
        awaitingBoundary.removeAll()
        state = 0
    }

    private mutating func emit(state s: Int32, endIndex: Int, classCount: Int, window: StreamWindow, into matches: inout [LiteralMatch]) {
        let automaton = self.automaton
        let number = Int(s) / classCount - Int(automaton.firstMatchState) / classCount
        let end = window.chunkStart + endIndex
        for k in Int(automaton.outputStart[number])..<Int(automaton.outputStart[number + 1]) {
            let id = Int(automaton.outputPatterns[k])
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
