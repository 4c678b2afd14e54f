import Testing
@testable import ExportGuardScanning

@Suite("Text positions: lines, columns and characters by byte offset")
struct TextPositionTrackerTests {
    /// The position of `offset` counted one byte at a time.
    static func naive(_ bytes: [UInt8], _ offset: Int) -> TextPositionTracker.Position {
        var p = TextPositionTracker.Position()
        for b in bytes[..<offset] {
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
        return p
    }

    /// The position of `offset` as `TextPositionTracker.count` works it out.
    static func counted(_ bytes: [UInt8], _ offset: Int) -> TextPositionTracker.Position {
        var p = TextPositionTracker.Position()
        bytes.withUnsafeBytes { TextPositionTracker.count(UnsafeRawBufferPointer(rebasing: $0[..<offset]), into: &p) }
        return p
    }

    /// Text with line feeds, ASCII, CJK (3 bytes), 2- and 4-byte characters and stray
    /// continuation bytes, so that every lane of the eight-byte counting sees each kind.
    static func randomText(_ count: Int, using generator: inout some RandomNumberGenerator) -> [UInt8] {
        let pieces: [[UInt8]] = [[0x0A], [0x61], [0x20], Array("机".utf8), Array("é".utf8), Array("😀".utf8), [0x80], [0x0A, 0x0A]]
        var bytes: [UInt8] = []
        while bytes.count < count { bytes += pieces.randomElement(using: &generator)! }
        return bytes
    }

    @Test("counting eight bytes at a time gives the byte-by-byte result at every offset")
    func countMatchesNaive() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let text = Self.randomText(Int.random(in: 0...70, using: &generator), using: &generator)
            for end in 0...text.count {
                #expect(Self.counted(text, end) == Self.naive(text, end))
            }
        }
    }

    @Test("lines far longer than the 255 words counted between flushes")
    func longLines() {
        var generator = SystemRandomNumberGenerator()
        var text: [UInt8] = []
        while text.count < 9000 {
            text += Self.randomText(1, using: &generator).filter { $0 != 0x0A }
            if Int.random(in: 0..<4000, using: &generator) == 0 { text.append(0x0A) }
        }
        for end in [0, 7, 8, 2039, 2040, 2041, 4096, text.count] {
            #expect(Self.counted(text, end) == Self.naive(text, end))
        }
    }

    @Test("chunked feeding with ascending starts and ends counted from them agrees with the naive count")
    func chunkedQueries() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let text = Self.randomText(Int.random(in: 1...600, using: &generator), using: &generator)
            let tailCapacity = Int.random(in: 16...80, using: &generator)
            var tracker = TextPositionTracker(tailCapacity: tailCapacity)
            var start = 0
            var settled = 0
            while start < text.count {
                let end = min(text.count, start + Int.random(in: 1...97, using: &generator))
                text.withUnsafeBytes { bytes in
                    tracker.begin(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                    // Matches reported for this chunk: starts ascending, anywhere in the tail or chunk.
                    var queries = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                        Int.random(in: max(settled, end - tailCapacity)...end, using: &generator)
                    }
                    queries.sort()
                    for offset in queries {
                        let position = tracker.position(at: offset)
                        #expect(position == Self.naive(text, offset))
                        let length = Int.random(in: 0...(end - offset), using: &generator)
                        #expect(tracker.position(at: offset + length, after: position) == Self.naive(text, offset + length))
                    }
                    tracker.commit()
                }
                settled = tracker.settled.offset
                #expect(tracker.settled == Self.naive(text, settled))
                start = end
            }
        }
    }
}
