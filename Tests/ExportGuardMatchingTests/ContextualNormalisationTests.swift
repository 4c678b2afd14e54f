import Testing
@testable import ExportGuardMatching

@Suite("Contextual normalisation's rewrite")
struct ContextualNormalisationTests {
    /// The rewrite byte by byte, as first written: every byte is looked at in Swift and the
    /// output is appended to one byte or one character at a time.
    static func reference(_ input: [UInt8]) -> (output: [UInt8], edits: [[Int]]) {
        var output: [UInt8] = []
        var edits: [[Int]] = []
        input.withUnsafeBufferPointer { buffer in
            let bytes = buffer.baseAddress!
            let count = buffer.count
            var index = 0
            while index < count {
                if ContextualNormalisation.separatorLength(bytes, at: index, count: count) > 0, output.count >= 3,
                   (0xE4...0xE9).contains(output[output.count - 3]) {
                    var end = index, separators = 0, selectors = 0
                    while end < count {
                        if ContextualNormalisation.isVariationSelector(bytes, at: end, count: count) {
                            guard selectors < ContextualNormalisation.maximumSeparators else { break }
                            end += 3
                            selectors += 1
                            continue
                        }
                        let length = ContextualNormalisation.separatorLength(bytes, at: end, count: count)
                        guard length > 0, separators < ContextualNormalisation.maximumSeparators else { break }
                        end += length
                        separators += 1
                    }
                    if end < count, ContextualNormalisation.separatorLength(bytes, at: end, count: count) == 0,
                       ContextualNormalisation.foldsBefore(bytes, at: end, count: count) {
                        edits.append([index, end, output.count, output.count])
                        index = end
                        continue
                    }
                }
                if let (scalar, length) = ContextualNormalisation.scalar(bytes, at: index, count: count), length > 1,
                   let folded = ContextualNormalisation.replacement(for: scalar) {
                    let start = output.count
                    if folded != "\u{0}" { output += Array(String(Character(folded)).utf8) }
                    edits.append([index, index + length, start, output.count])
                    index += length
                    continue
                }
                output.append(bytes[index])
                index += 1
            }
        }
        return (output, edits)
    }

    @Test("random texts of separators, ideographs, punctuation sharing lead bytes and broken sequences agree with the byte-by-byte rewrite")
    func againstReference() {
        var rng = SplitMix64(seed: 3000)
        let pieces: [[UInt8]] = [
            Array("机".utf8), Array("密".utf8), Array("一".utf8), Array("a".utf8), Array("Z".utf8), [0x20], [0x09], [0x0A], [0x0D],
            [0xC2, 0xA0], [0xC2, 0xA9], [0xE3, 0x80, 0x80], [0xE3, 0x80, 0x82], [0xE3, 0x80, 0x81], [0xE3, 0x90, 0x80],
            [0xEF, 0xBC, 0x8C], [0xEF, 0xBC, 0x9A], [0xEF, 0xB8, 0x8F], [0xEF, 0x82, 0xAB], [0xEF, 0x80, 0xAA], [0xEF, 0xA4, 0x80],
            [0xEF, 0xAB, 0x99], [0xF0, 0xAF, 0xA0, 0x80], [0xF0, 0x9F, 0x8C, 0x9F], [0xE2, 0xBC, 0x80], [0xE2, 0xBA, 0x80],
            [0xE2, 0x80, 0x9C], [0xE2, 0x98, 0x85], [0xE2], [0xEF], [0xEF, 0xB8], [0xE3, 0x80], [0xC2], [0xF0, 0xAF], [0x80], [0xBF],
        ]
        for round in 0..<3000 {
            var text: [UInt8] = []
            // Long enough for the sixteen-byte search, and ends cut anywhere.
            for _ in 0..<Int.random(in: 0...(round % 10 == 0 ? 400 : 40), using: &rng) {
                text += pieces.randomElement(using: &rng)!
            }
            var output: [UInt8] = [], edits: [ContextualNormalisation.Edit] = []
            text.withUnsafeBufferPointer { ContextualNormalisation.apply($0, into: &output, edits: &edits) }
            let expected = Self.reference(text)
            #expect(output == expected.output, "round \(round): \(text)")
            #expect(edits.map { [$0.inputStart, $0.inputEnd, $0.outputStart, $0.outputEnd] } == expected.edits, "round \(round): \(text)")
        }
    }
}
