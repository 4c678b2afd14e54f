/// The bytes a stream scanner can still see: a bounded tail of earlier chunks and the
/// chunk being scanned. Lets matches look a little behind and ahead of themselves
/// without the stream ever being held whole.
struct StreamWindow {
    /// Bytes immediately before `chunkStart`; at most `capacity` of them.
    private(set) var tail: [UInt8] = []
    let capacity: Int
    /// Absolute stream offset of the first byte of the current chunk.
    private(set) var chunkStart = 0
    /// The chunk being scanned; only valid during a `feed`.
    var chunk = UnsafeRawBufferPointer(start: nil, count: 0)

    init(capacity: Int) {
        self.capacity = capacity
        tail.reserveCapacity(capacity)
    }

    /// Absolute offset one past the last byte seen.
    var end: Int { chunkStart + chunk.count }

    /// The byte at an absolute offset, or nil when it has left the window or not arrived yet.
    func byte(at offset: Int) -> UInt8? {
        if offset >= chunkStart {
            let index = offset - chunkStart
            return index < chunk.count ? chunk[index] : nil
        }
        let index = tail.count - (chunkStart - offset)
        return index >= 0 ? tail[index] : nil
    }

    /// The bytes in `range`, or nil when part of it is not in the window.
    func bytes(_ range: Range<Int>) -> [UInt8]? {
        var result: [UInt8] = []
        return copyBytes(range, into: &result) ? result : nil
    }

    /// ``bytes(_:)`` into a buffer the caller keeps (its capacity is reused); false when the
    /// range is not all in the window.
    func copyBytes(_ range: Range<Int>, into result: inout [UInt8]) -> Bool {
        guard range.lowerBound >= chunkStart - tail.count, range.upperBound <= end else { return false }
        result.removeAll(keepingCapacity: true)
        result.reserveCapacity(range.count)
        // The part in the history, then the part in the chunk: two copies.
        let historyEnd = min(range.upperBound, chunkStart)
        if range.lowerBound < historyEnd {
            let from = tail.count - (chunkStart - range.lowerBound)
            result.append(contentsOf: tail[from..<(from + historyEnd - range.lowerBound)])
        }
        let chunkFrom = max(range.lowerBound, chunkStart)
        if chunkFrom < range.upperBound {
            result.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[(chunkFrom - chunkStart)..<(range.upperBound - chunkStart)]))
        }
        return true
    }

    /// Starts scanning a new chunk.
    mutating func begin(_ next: UnsafeRawBufferPointer) {
        chunk = next
    }

    /// Keeps the last `capacity` bytes of the chunk just scanned and moves past it.
    mutating func commit() {
        let keepFromChunk = min(chunk.count, capacity)
        let keepFromTail = min(tail.count, capacity - keepFromChunk)
        if keepFromTail < tail.count {
            tail.removeFirst(tail.count - keepFromTail)
        }
        tail.append(contentsOf: chunk[(chunk.count - keepFromChunk)...])
        chunkStart += chunk.count
        chunk = UnsafeRawBufferPointer(start: nil, count: 0)
    }
}
