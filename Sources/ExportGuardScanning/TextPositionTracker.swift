/// Maps byte offsets of a text part to line, column and character index, for offsets
/// in the current chunk and a bounded tail before it. Queries in ascending order cost
/// one pass over the text; an earlier offset restarts from the tail's start. The position
/// where the next tail will start is remembered on the way, so committing a chunk never
/// counts its bytes a second time.
struct TextPositionTracker {
    struct Position: Equatable {
        var offset = 0
        /// 1-based line.
        var line = 1
        /// Characters since the start of the line (0-based).
        var column = 0
        /// Characters since the start of the part.
        var character = 0
    }

    private let tailCapacity: Int
    private var tail: [UInt8] = []
    /// Position at the first byte of `tail` (or of the chunk when the tail is empty).
    private var anchor = Position()
    private var cursor = Position()
    private var chunk = UnsafeRawBufferPointer(start: nil, count: 0)
    private var chunkStart = 0
    /// Where the tail will start once the current chunk is committed, and the position
    /// there when the cursor has passed it.
    private var nextAnchorOffset = 0
    private var nextAnchor: Position?

    init(tailCapacity: Int) {
        self.tailCapacity = tailCapacity
    }

    mutating func begin(_ bytes: UnsafeRawBufferPointer) {
        chunk = bytes
        nextAnchorOffset = max(chunkStart + bytes.count - tailCapacity, anchor.offset)
        nextAnchor = nil
    }

    /// The position of an absolute byte offset; offsets before the tail are clamped to it.
    mutating func position(at offset: Int) -> Position {
        let target = clamped(offset)
        if target < cursor.offset {
            if let nextAnchor, nextAnchor.offset <= target { cursor = nextAnchor } else { cursor = anchor }
        }
        if nextAnchor == nil, cursor.offset <= nextAnchorOffset, target >= nextAnchorOffset {
            advance(&cursor, to: nextAnchorOffset)
            nextAnchor = cursor
        }
        advance(&cursor, to: target)
        return cursor
    }

    /// The position of an offset at or after a position this tracker returned, counted from
    /// there: a match's end from its start, without moving the cursor back and forth.
    func position(at offset: Int, after start: Position) -> Position {
        let target = clamped(offset)
        guard target >= start.offset, start.offset >= anchor.offset else { return start }
        var position = start
        advance(&position, to: target)
        return position
    }

    private func clamped(_ offset: Int) -> Int {
        max(min(offset, chunkStart + chunk.count), anchor.offset)
    }

    /// Moves past the current chunk, keeping its last bytes as the tail.
    mutating func commit() {
        let end = chunkStart + chunk.count
        let newAnchorOffset = nextAnchorOffset
        if let nextAnchor {
            cursor = nextAnchor
        } else {
            if cursor.offset > newAnchorOffset { cursor = anchor }
            advance(&cursor, to: newAnchorOffset)
        }
        var newTail: [UInt8] = []
        newTail.reserveCapacity(end - newAnchorOffset)
        if newAnchorOffset < chunkStart {
            newTail.append(contentsOf: tail[(newAnchorOffset - anchor.offset)...])
        }
        newTail.append(contentsOf: chunk[max(newAnchorOffset - chunkStart, 0)...])
        tail = newTail
        anchor = cursor
        chunkStart = end
        chunk = UnsafeRawBufferPointer(start: nil, count: 0)
        nextAnchorOffset = anchor.offset
        nextAnchor = nil
    }

    /// Position at the start of the retained tail: everything before it is final.
    var settled: Position { anchor }

    /// Counts lines and characters from `position` up to `target`, in the tail and then in
    /// the chunk: every byte of a text is counted at least once, so eight at a time.
    private func advance(_ position: inout Position, to target: Int) {
        if position.offset < chunkStart, position.offset < target {
            let end = min(target, chunkStart)
            tail.withUnsafeBytes { bytes in
                Self.count(UnsafeRawBufferPointer(rebasing: bytes[(position.offset - anchor.offset)..<(end - anchor.offset)]), into: &position)
            }
        }
        if position.offset < target {
            Self.count(UnsafeRawBufferPointer(rebasing: chunk[(position.offset - chunkStart)..<(target - chunkStart)]), into: &position)
        }
    }

    /// Advances `position` over `bytes`: a line feed starts a line, every byte but a UTF-8
    /// continuation byte is a character.
    static func count(_ bytes: UnsafeRawBufferPointer, into position: inout Position) {
        var p = position
        let count = bytes.count
        var index = 0
        if let base = bytes.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            // Character counts per byte lane of the words since the last flush, at most 255.
            var lanes: UInt64 = 0
            var words = 0
            func flush() {
                let pairs = (lanes & 0x00FF_00FF_00FF_00FF) &+ (lanes >> 8 & 0x00FF_00FF_00FF_00FF)
                let sum = Int(truncatingIfNeeded: (pairs &* 0x0001_0001_0001_0001) >> 48)
                p.character += sum
                p.column += sum
                lanes = 0
                words = 0
            }
            while index + 8 <= count {
                let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                // 1 in each byte that is not 10xxxxxx.
                let characters = (~word >> 7 | word >> 6) & ones
                // High bit in each byte equal to 0x0A.
                let x = word ^ 0x0A0A_0A0A_0A0A_0A0A
                let lineFeeds = ~((x & low) &+ low | x) & ~low
                index += 8
                if lineFeeds == 0 {
                    lanes &+= characters
                    words += 1
                    if words == 255 { flush() }
                    continue
                }
                flush()
                // Byte sums of at most eight ones: one multiplication each.
                p.character += Int(truncatingIfNeeded: (characters &* ones) >> 56)
                p.line += Int(truncatingIfNeeded: ((lineFeeds >> 7) &* ones) >> 56)
                let last = (63 - lineFeeds.leadingZeroBitCount) / 8
                p.column = last == 7 ? 0 : Int(truncatingIfNeeded: ((characters >> UInt64(8 * (last + 1))) &* ones) >> 56)
            }
            flush()
        }
        while index < count {
            let b = bytes[index]
            if b == 0x0A {
                p.line += 1
                p.column = 0
                p.character += 1
            } else if b & 0xC0 != 0x80 {
                p.column += 1
                p.character += 1
            }
            index += 1
        }
        p.offset += count
        position = p
    }
}
