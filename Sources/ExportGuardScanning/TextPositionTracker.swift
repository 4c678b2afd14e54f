/// Maps byte offsets of a text part to line, column and character index, for offsets
/// in the current chunk and a bounded tail before it. Queries in ascending order cost
/// one pass over the text; an earlier offset restarts from the tail's start.
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

    init(tailCapacity: Int) {
        self.tailCapacity = tailCapacity
    }

    mutating func begin(_ bytes: UnsafeRawBufferPointer) {
        chunk = bytes
    }

    /// The position of an absolute byte offset; offsets before the tail are clamped to it.
    mutating func position(at offset: Int) -> Position {
        let target = max(min(offset, chunkStart + chunk.count), anchor.offset)
        if target < cursor.offset { cursor = anchor }
        advance(&cursor, to: target)
        return cursor
    }

    /// Moves past the current chunk, keeping its last bytes as the tail.
    mutating func commit() {
        let end = chunkStart + chunk.count
        let newAnchorOffset = max(end - tailCapacity, anchor.offset)
        if cursor.offset > newAnchorOffset { cursor = anchor }
        advance(&cursor, to: newAnchorOffset)
        var newTail: [UInt8] = []
        newTail.reserveCapacity(end - newAnchorOffset)
        for offset in newAnchorOffset..<end { newTail.append(byte(at: offset)) }
        tail = newTail
        anchor = cursor
        chunkStart = end
        chunk = UnsafeRawBufferPointer(start: nil, count: 0)
    }

    /// Position at the start of the retained tail: everything before it is final.
    var settled: Position { anchor }

    private func byte(at offset: Int) -> UInt8 {
        offset >= chunkStart ? chunk[offset - chunkStart] : tail[offset - anchor.offset]
    }

    private func advance(_ position: inout Position, to target: Int) {
        var p = position
        while p.offset < target {
            let b = byte(at: p.offset)
            if b == 0x0A {
                p.line += 1
                p.column = 0
                p.character += 1
            } else if b & 0xC0 != 0x80 {
                p.column += 1
                p.character += 1
            }
            p.offset += 1
        }
        position = p
    }
}
