import CLiteralFilter
import Testing
@testable import ExportGuardMatching

/// The shift-or literal filter (the fast path for chunks of 2 KiB and more) must find exactly
/// what the automaton and the naive search find.
@Suite("Literal filter")
struct LiteralFilterTests {
    func randomPatterns(_ alphabet: [String], _ rng: inout SplitMix64, count: ClosedRange<Int>, length: ClosedRange<Int>) -> [LiteralPattern] {
        (0..<Int.random(in: count, using: &rng)).map { _ in
            var bytes: [UInt8] = []
            let target = Int.random(in: length, using: &rng)
            while bytes.count < target { bytes += Array(alphabet.randomElement(using: &rng)!.utf8) }
            return LiteralPattern(bytes: bytes, caseInsensitive: Bool.random(using: &rng), wholeWord: Bool.random(using: &rng))
        }
    }

    @Test("sets of literals of three bytes or more get a filter; shorter ones scan with the automaton")
    func filterOnlyForLongEnoughLiterals() {
        #expect(makeMatcher([LiteralPattern("机密"), LiteralPattern("abc")]).filter != nil)
        #expect(makeMatcher([LiteralPattern("机密"), LiteralPattern("ab")]).filter == nil)
        #expect(makeMatcher([LiteralPattern("abc")], literalFilter: false).filter == nil)
        // Detector anchors are literals too; the triggers are not part of the filter.
        #expect(makeMatcher([LiteralPattern("secret")], detectors: Set(DetectorKind.allCases)).filter != nil)
        let text = bytes(String(repeating: "x ab 机密 ", count: 400))
        let m = makeMatcher([LiteralPattern("机密"), LiteralPattern("ab")])
        #expect(literalMatches(scan(m, text)) == naiveSearch([LiteralPattern("机密"), LiteralPattern("ab")], text))
    }

    @Test("random long texts, random literal sets and chunkings agree with a naive search and with the automaton")
    func propertyAgainstNaiveSearch() {
        var rng = SplitMix64(seed: 3_2026_1129)
        let alphabet = ["a", "b", "c", "A", "B", "机", "密", "國", "秘", " ", "1", "-", "x", "yz", "é"]
        for round in 0..<30 {
            let patterns = randomPatterns(alphabet, &rng, count: 1...(round % 3 == 0 ? 60 : 8), length: 3...(round % 4 == 3 ? 40 : 9))
            let length = [3000, 9000, 40_000][round % 3]
            let text = bytes((0..<length).map { _ in alphabet.randomElement(using: &rng)! }.joined())
            let expected = naiveSearch(patterns, text)
            let filtered = makeMatcher(patterns)
            let automaton = makeMatcher(patterns, literalFilter: false)
            #expect(filtered.filter != nil)
            let sizeChoices: [[Int]] = [
                [Int.max], [2048], [2047, 2049], [4096, 13, 5000, 1], [1 << 20],
                (0..<4).map { _ in Int.random(in: 1...20_000, using: &rng) },
            ]
            for sizes in sizeChoices {
                #expect(literalMatches(scan(filtered, text, chunkSizes: sizes)) == expected, "round \(round), sizes \(sizes)")
            }
            #expect(literalMatches(scan(automaton, text, chunkSizes: [Int.max])) == expected, "round \(round)")
        }
    }

    @Test("dense overlapping hits refill the hit buffer without losing or repeating one")
    func denseHits() {
        let patterns = [
            LiteralPattern("aaa"), LiteralPattern("aaa"), LiteralPattern("AAAA", caseInsensitive: true),
            LiteralPattern("aaaaaaaaaaaaa"), LiteralPattern("Aaa"),
        ]
        let text = bytes(String(repeating: "a", count: 50_000) + "Aaa" + String(repeating: "a", count: 30_000))
        let m = makeMatcher(patterns)
        #expect(m.filter != nil)
        let found = literalMatches(scan(m, text, chunkSizes: [40_000]))
        #expect(found.count == naiveSearch(patterns, text).count)
        #expect(found == naiveSearch(patterns, text))
    }

    @Test("literals straddling the boundary between large chunks, and at the first and last bytes")
    func straddlingLargeChunks() {
        let patterns = [LiteralPattern("国家秘密"), LiteralPattern("export control", caseInsensitive: true, wholeWord: true)]
        var text = bytes("密") + [UInt8](repeating: UInt8(ascii: "."), count: 4093) + bytes("国家秘密")  // 4,096 + 12
        text += [UInt8](repeating: UInt8(ascii: " "), count: 4000) + bytes("EXPORT CONTROL")
        text += [UInt8](repeating: UInt8(ascii: "-"), count: 5000) + bytes("export controls export control")
        let expected = naiveSearch(patterns, text)
        #expect(expected.count == 3)
        let m = makeMatcher(patterns)
        for split in [4094, 4096, 4099, 4100, 4103, 8108, 8115, 8122] {
            #expect(literalMatches(scan(m, text, chunkSizes: [split, text.count])) == expected, "split \(split)")
        }
    }

    @Test("a large chunk holding a trigger (full-width letters, zero-width space) is normalised first")
    func triggersInLargeChunks() {
        let patterns = [LiteralPattern("PLA", caseInsensitive: true, wholeWord: true), LiteralPattern("绝密")]
        let filler = String(repeating: "普通文字，", count: 600)
        let text = bytes(filler + "ＰＬＡ" + filler + "绝\u{200B}密" + filler)
        let expected = naiveSearch(patterns, text)
        #expect(expected.count == 2)
        #expect(literalMatches(scan(makeMatcher(patterns), text, chunkSizes: [Int.max])) == expected)
        #expect(literalMatches(scan(makeMatcher(patterns), text, chunkSizes: [5000])) == expected)
    }

    @Test("long texts with full-width and zero-width characters here and there agree with a naive search")
    func propertyWithTriggers() {
        var rng = SplitMix64(seed: 29_11)
        let alphabet = ["a", "b", "A", "机", "密", " ", "1", "，", "：", "“"]
        let rare = ["Ａ", "ｂ", "１", "\u{200B}", "\u{00AD}", "\u{FEFF}", "\u{2060}", "　"]
        for round in 0..<16 {
            let patterns = randomPatterns(alphabet, &rng, count: 1...10, length: 3...8)
            let text = bytes((0..<6000).map { _ in
                Int.random(in: 0..<200, using: &rng) == 0 ? rare.randomElement(using: &rng)! : alphabet.randomElement(using: &rng)!
            }.joined())
            let expected = naiveSearch(patterns, text)
            let m = makeMatcher(patterns)
            for sizes in [[Int.max], [2500], [4096, 3000, 7]] {
                #expect(literalMatches(scan(m, text, chunkSizes: sizes)) == expected, "round \(round), sizes \(sizes)")
            }
        }
    }

    /// The filter finds triggers in its own pass; one missed means a keyword written with
    /// full-width letters or a zero-width character inside goes unseen. Each trigger is put
    /// at every position near the start and end of a chunk and at both parities.
    @Test("every trigger sequence, wherever it lies in a large chunk, leads to normalised matching")
    func triggersAtEveryPosition() {
        let patterns = [LiteralPattern("密abc", caseInsensitive: true)]
        let m = makeMatcher(patterns)
        #expect(m.filter != nil)
        let filler = Array(String(repeating: "plain text, ", count: 300).utf8)
        for trigger in TextNormalisation.triggers {
            // The keyword with the trigger inside it: a zero-width one between 密 and abc,
            // or a full-width form standing for its own ASCII byte right after 密abc's 密.
            let spelled: [UInt8] = trigger.replacement == nil
                ? bytes("密") + trigger.bytes + bytes("abc")
                : bytes("密") + trigger.bytes + bytes("bc")
            let matches = trigger.replacement == nil || trigger.replacement == UInt8(ascii: "a") || trigger.replacement == UInt8(ascii: "A")
            for position in [0, 1, 2, 3, 8, 9, 16, 17, 1000, 1001, 2990, 2993, 2995, 2996, 2997, 2998, 2999] {
                var text = Array(filler.prefix(3000))
                let at = min(position, text.count)
                text.replaceSubrange(at..<min(at + spelled.count, text.count), with: spelled)
                let found = literalMatches(scan(m, text, chunkSizes: [Int.max]))
                #expect(found == naiveSearch(patterns, text), "\(trigger.bytes) at \(position)")
                #expect(found.count == (matches ? 1 : 0), "\(trigger.bytes) at \(position)")
            }
        }
    }
}
