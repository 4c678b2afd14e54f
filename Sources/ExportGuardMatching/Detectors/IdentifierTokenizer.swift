/// Finds identifier candidates in a stream — runs of ASCII letters and digits, and digit
/// groups joined by single spaces or hyphens (`138 1234 5678`) — and hands each finished
/// candidate to the validators. State carries across chunks.
struct IdentifierTokenizer {
    /// Longer runs (hashes, base64) cannot be any identifier we know.
    static let longestToken = 24
    static let longestGroup = 24

    private var token: [UInt8] = []
    private var tokenStart = 0
    private var tokenOverflow = false
    private var tokenAllDigits = true

    /// Digit groups joined by one separator each, e.g. `0086 138-1234-5678`.
    private var group: [UInt8] = []
    private var groupStart = 0
    private var groupEnd = 0
    private var groupParts = 0
    private var lastPartLength = 0
    /// The previous byte was a separator that followed a digit group.
    private var separatorPending = false

    init() {
        token.reserveCapacity(Self.longestToken)
        group.reserveCapacity(Self.longestGroup)
    }

    /// Byte kinds: 1 digit, 2 letter, 3 separator (space, hyphen), 0 anything else.
    private static let kinds: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(b)] = 1 }
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(b)] = 2 }
        for b in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(b)] = 2 }
        table[Int(UInt8(ascii: " "))] = 3
        table[Int(UInt8(ascii: "-"))] = 3
        return table
    }()

    /// Scans the window's current chunk. Candidates are reported through `candidate`
    /// with their absolute range and bytes; for joined digit groups `lastPart` is the
    /// length of the group's last part (nil for single tokens).
    mutating func scan(_ window: StreamWindow, candidate: (_ bytes: [UInt8], _ range: Range<Int>, _ lastPart: Int?) -> Void) {
        let chunk = window.chunk
        guard chunk.count > 0 else { return }
        let base = window.chunkStart
        Self.kinds.withUnsafeBufferPointer { kinds in
            for i in 0..<chunk.count {
                let byte = chunk[i]
                let kind = kinds[Int(byte)]
                if kind == 1 || kind == 2 {
                    if token.isEmpty && !tokenOverflow {
                        tokenStart = base + i
                        tokenAllDigits = true
                    }
                    if kind == 2 { tokenAllDigits = false }
                    if token.count < Self.longestToken {
                        token.append(byte)
                    } else {
                        tokenOverflow = true
                    }
                    continue
                }
                // Bytes that are neither letters nor digits end a token (when one is open).
                if !token.isEmpty || tokenOverflow {
                    endToken(at: base + i, followedBySeparator: kind == 3, candidate: candidate)
                } else if separatorPending {
                    // A second separator in a row, or something else: the group is over.
                    endGroup(candidate: candidate)
                }
            }
        }
    }

    /// The stream ended.
    mutating func finish(at offset: Int, candidate: (_ bytes: [UInt8], _ range: Range<Int>, _ lastPart: Int?) -> Void) {
        if !token.isEmpty || tokenOverflow {
            endToken(at: offset, followedBySeparator: false, candidate: candidate)
        }
        endGroup(candidate: candidate)
    }

    private mutating func endToken(at end: Int, followedBySeparator: Bool, candidate: ([UInt8], Range<Int>, Int?) -> Void) {
        defer {
            token.removeAll(keepingCapacity: true)
            tokenOverflow = false
        }
        if tokenOverflow {
            endGroup(candidate: candidate)
            return
        }
        candidate(token, tokenStart..<end, nil)
        guard tokenAllDigits else {
            endGroup(candidate: candidate)
            return
        }
        if separatorPending, groupEnd + 1 == tokenStart, group.count + token.count <= Self.longestGroup {
            group.append(contentsOf: token)
            groupParts += 1
            lastPartLength = token.count
        } else {
            endGroup(candidate: candidate)
            group.append(contentsOf: token)
            groupStart = tokenStart
            groupParts = 1
            lastPartLength = token.count
        }
        groupEnd = end
        separatorPending = followedBySeparator
        if !followedBySeparator { endGroup(candidate: candidate) }
    }

    private mutating func endGroup(candidate: ([UInt8], Range<Int>, Int?) -> Void) {
        if groupParts > 1 {
            candidate(group, groupStart..<groupEnd, lastPartLength)
        }
        group.removeAll(keepingCapacity: true)
        groupParts = 0
        separatorPending = false
    }
}
