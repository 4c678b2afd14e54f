/// An Aho-Corasick automaton compiled to a dense DFA over byte classes.
///
/// ASCII letters are folded into one class per letter, so the table is built once for
/// all patterns; patterns that must match case exactly are checked against the original
/// bytes when they are reported, which is rare compared to scanning.
///
/// States are numbered so that every state with an output comes last: the hot loop
/// needs one comparison per byte to know whether anything ended here.
public final class LiteralAutomaton: @unchecked Sendable {
    /// The compiled patterns, indexed by pattern id.
    public let patterns: [LiteralPattern]
    /// Byte → class. Bytes that occur in no pattern share class 0.
    let byteClasses: [UInt8]
    let classCount: Int
    /// The transition table, column by column (see `columns`). Immutable after `init`.
    let table: UnsafeMutableRawPointer
    /// Entries are `UInt16` (else `UInt32`).
    let compact: Bool
    /// For each byte, the column of its class: the next state after the byte in state `s`
    /// is `columns[byte][s]`, one load whose address needs no arithmetic on the state.
    let columns: UnsafeMutablePointer<UnsafeRawPointer>
    /// Number of the first state that has an output.
    let firstMatchState: UInt32
    /// For state number `s - firstMatchState`: range into `outputPatterns`.
    let outputStart: [Int32]
    let outputPatterns: [Int32]
    /// Bytes of each pattern, for checking exact-case patterns after the fact.
    let needsCaseCheck: [Bool]
    let boundaryBefore: [Bool]
    let boundaryAfter: [Bool]
    let lengths: [Int32]
    /// Length of the longest pattern: how much history a stream must keep.
    public let longestPattern: Int

    /// Compiles the patterns. Empty patterns are ignored (they would match everywhere).
    public init(_ patterns: [LiteralPattern]) {
        self.patterns = patterns
        var needsCaseCheck = [Bool](repeating: false, count: patterns.count)
        var boundaryBefore = [Bool](repeating: false, count: patterns.count)
        var boundaryAfter = [Bool](repeating: false, count: patterns.count)
        var lengths = [Int32](repeating: 0, count: patterns.count)

        // Byte classes over folded bytes.
        var classOf = [UInt8](repeating: 0, count: 256)
        var classCount = 1
        for pattern in patterns {
            for byte in pattern.bytes {
                let folded = byte.asciiLowercased
                if classOf[Int(folded)] == 0 {
                    precondition(classCount < 256, "more than 255 distinct pattern bytes")
                    classOf[Int(folded)] = UInt8(classCount)
                    classCount += 1
                }
            }
        }
        for letter in UInt8(ascii: "A")...UInt8(ascii: "Z") {
            classOf[Int(letter)] = classOf[Int(letter | 0x20)]
        }

        // Trie over folded bytes.
        var children: [[UInt8: Int32]] = [[:]]
        var outputs: [[Int32]] = [[]]
        for (id, pattern) in patterns.enumerated() where !pattern.bytes.isEmpty {
            var node = 0
            for byte in pattern.bytes {
                let cls = classOf[Int(byte.asciiLowercased)]
                if let next = children[node][cls] {
                    node = Int(next)
                } else {
                    children.append([:])
                    outputs.append([])
                    children[node][cls] = Int32(children.count - 1)
                    node = children.count - 1
                }
            }
            outputs[node].append(Int32(id))
            lengths[id] = Int32(pattern.bytes.count)
            needsCaseCheck[id] = !pattern.caseInsensitive && pattern.bytes.contains(where: \.isASCIILetter)
            boundaryBefore[id] = pattern.wholeWord && pattern.bytes.first!.isASCIIWordByte
            boundaryAfter[id] = pattern.wholeWord && pattern.bytes.last!.isASCIIWordByte
        }

        // Breadth-first: failure links, inherited outputs and the full transition table.
        let nodeCount = children.count
        var table = [Int32](repeating: 0, count: nodeCount * classCount)
        var failure = [Int32](repeating: 0, count: nodeCount)
        var queue: [Int32] = []
        queue.reserveCapacity(nodeCount)
        for cls in 0..<classCount {
            if let child = children[0][UInt8(cls)] {
                table[cls] = child
                queue.append(child)
            }
        }
        var head = 0
        while head < queue.count {
            let node = Int(queue[head])
            head += 1
            let fail = Int(failure[node])
            if !outputs[fail].isEmpty {
                outputs[node].append(contentsOf: outputs[fail])
            }
            // The failure state's row, then this node's own children (in class order, which
            // fixes the breadth-first numbering): one pass over the row, no lookup per class.
            let row = node * classCount, failRow = fail * classCount
            for cls in 0..<classCount { table[row + cls] = table[failRow + cls] }
            for (cls, child) in children[node].sorted(by: { $0.key < $1.key }) {
                table[row + Int(cls)] = child
                failure[Int(child)] = table[failRow + Int(cls)]
                queue.append(child)
            }
        }

        // Renumber: states without output first, in breadth-first order (the states text
        // visits most are the shallow ones, and their entries then share cache lines), then
        // the states with output, starting at a power of two `orFloor` that every state
        // without output is below: "one of several states has an output" is then one
        // comparison of their bitwise OR. Numbers in between are padding, never reached.
        var order = [Int](repeating: 0, count: nodeCount)
        var next = 1
        for node in queue where outputs[Int(node)].isEmpty {
            order[Int(node)] = next
            next += 1
        }
        var orFloor = 1
        while orFloor < next { orFloor *= 2 }
        let firstMatchNumber = orFloor
        next = orFloor
        for node in queue where !outputs[Int(node)].isEmpty {
            order[Int(node)] = next
            next += 1
        }
        let rowCount = next
        precondition(rowCount <= Int(UInt32.max), "automaton too large")

        // Column-major: the next state after byte class `c` in state `s` is
        // `columns[c * rowCount + s]`, two bytes each when the numbers fit.
        let compact = rowCount <= Int(UInt16.max) + 1
        let entrySize = compact ? 2 : 4
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(1, classCount * rowCount * entrySize), alignment: 64)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: max(1, classCount * rowCount * entrySize))
        for node in 0..<nodeCount {
            let row = order[node]
            for cls in 0..<classCount {
                let target = order[Int(table[node * classCount + cls])]
                let index = cls * rowCount + row
                if compact {
                    memory.storeBytes(of: UInt16(target), toByteOffset: index * 2, as: UInt16.self)
                } else {
                    memory.storeBytes(of: UInt32(target), toByteOffset: index * 4, as: UInt32.self)
                }
            }
        }
        var outputStart = [Int32](repeating: 0, count: rowCount - firstMatchNumber + 1)
        var outputPatterns: [Int32] = []
        var byNumber = [[Int32]](repeating: [], count: rowCount)
        for node in 0..<nodeCount { byNumber[order[node]] = outputs[node] }
        for number in firstMatchNumber..<rowCount {
            outputStart[number - firstMatchNumber] = Int32(outputPatterns.count)
            // Shorter patterns first, so overlapping matches come out in a stable order.
            outputPatterns.append(contentsOf: byNumber[number].sorted { (lengths[Int($0)], $0) < (lengths[Int($1)], $1) })
        }
        outputStart[rowCount - firstMatchNumber] = Int32(outputPatterns.count)

        self.byteClasses = classOf
        self.classCount = classCount
        self.stateCount = nodeCount
        self.rowCount = rowCount
        self.orFloor = UInt32(orFloor)
        self.firstMatchState = UInt32(firstMatchNumber)
        self.table = memory
        self.compact = compact
        self.columns = UnsafeMutablePointer<UnsafeRawPointer>.allocate(capacity: 256)
        for byte in 0..<256 {
            (self.columns + byte).initialize(to: UnsafeRawPointer(memory + Int(classOf[byte]) * rowCount * entrySize))
        }
        self.outputStart = outputStart
        self.outputPatterns = outputPatterns
        self.needsCaseCheck = needsCaseCheck
        self.boundaryBefore = boundaryBefore
        self.boundaryAfter = boundaryAfter
        self.lengths = lengths
        self.longestPattern = Int(lengths.max() ?? 0)
    }

    /// Number of DFA states (for diagnostics and benchmarks).
    public let stateCount: Int
    /// State numbers in use, padding included.
    let rowCount: Int
    /// A power of two: states without output are below it, states with output at or above.
    let orFloor: UInt32

    deinit {
        table.deallocate()
        columns.deallocate()
    }
}
