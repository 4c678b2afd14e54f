import Testing
@testable import ExportGuardMatching

@Suite("Literal matching")
struct LiteralMatchingTests {
    func matcher(_ patterns: [LiteralPattern]) -> Matcher {
        var set = PatternSet()
        for pattern in patterns { set.add(pattern) }
        return Matcher(set)
    }

    @Test("finds Chinese and English literals with absolute offsets")
    func basic() {
        let m = matcher([LiteralPattern("国家秘密"), LiteralPattern("secret")])
        let text = bytes("本文 国家秘密 and secret")
        let found = literalMatches(scan(m, text))
        #expect(found == [
            LiteralMatch(pattern: 0, start: 7, end: 19),
            LiteralMatch(pattern: 1, start: 24, end: 30),
        ])
    }

    @Test("reports overlapping and nested matches")
    func overlapping() {
        let m = matcher([LiteralPattern("he"), LiteralPattern("she"), LiteralPattern("hers"), LiteralPattern("his")])
        let found = literalMatches(scan(m, bytes("ushers")))
        #expect(found.map(\.pattern).sorted() == [0, 1, 2])
        #expect(found.first { $0.pattern == 2 } == LiteralMatch(pattern: 2, start: 2, end: 6))
    }

    @Test("case-insensitive patterns match any case; exact ones only their own")
    func caseHandling() {
        let m = matcher([LiteralPattern("Top Secret", caseInsensitive: true), LiteralPattern("PLA")])
        let found = literalMatches(scan(m, bytes("TOP SECRET top secret pla PLA")))
        #expect(found.filter { $0.pattern == 0 }.count == 2)
        #expect(found.filter { $0.pattern == 1 }.map(\.start) == [26])
    }

    @Test("whole-word patterns do not match inside longer words, even across chunks")
    func wholeWord() {
        let m = matcher([LiteralPattern("PLA", caseInsensitive: true, wholeWord: true)])
        let text = bytes("PLAN, pla. XPLA 解放军PLA部队 PLA")
        for sizes in [[Int.max], [1], [3], [2, 5]] {
            let found = literalMatches(scan(m, text, chunkSizes: sizes)).map(\.start)
            #expect(found == [6, 25, 35], "chunk sizes \(sizes)")
        }
    }

    @Test("a match straddling chunk boundaries is reported once", arguments: [1, 2, 3, 5, 7])
    func straddling(size: Int) {
        let m = matcher([LiteralPattern("机密★"), LiteralPattern("abc")])
        let text = bytes("xx机密★yyabcabc")
        let found = literalMatches(scan(m, text, chunkSizes: [size]))
        #expect(found == [
            LiteralMatch(pattern: 0, start: 2, end: 11),
            LiteralMatch(pattern: 1, start: 13, end: 16),
            LiteralMatch(pattern: 1, start: 16, end: 19),
        ])
    }

    @Test("random patterns, texts and chunkings agree with a naive search")
    func propertyAgainstNaiveSearch() {
        var rng = SplitMix64(seed: 20261129)
        let alphabet: [String] = ["a", "b", "A", "B", "机", "密", "國", " ", "1"]
        for round in 0..<300 {
            var patterns: [LiteralPattern] = []
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                let length = Int.random(in: 1...4, using: &rng)
                let text = (0..<length).map { _ in alphabet.randomElement(using: &rng)! }.joined()
                patterns.append(LiteralPattern(text, caseInsensitive: Bool.random(using: &rng), wholeWord: Bool.random(using: &rng)))
            }
            let text = bytes((0..<Int.random(in: 0...60, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined())
            let sizes = (0..<3).map { _ in Int.random(in: 1...9, using: &rng) }
            let found = literalMatches(scan(matcher(patterns), text, chunkSizes: sizes))
            let expected = naive(patterns, text)
            #expect(found == expected, "round \(round)")
        }
    }

    /// The reference: try every pattern at every offset.
    func naive(_ patterns: [LiteralPattern], _ text: [UInt8]) -> [LiteralMatch] {
        var result: [LiteralMatch] = []
        for (id, pattern) in patterns.enumerated() where !pattern.bytes.isEmpty {
            let p = pattern.bytes
            guard p.count <= text.count else { continue }
            for start in 0...(text.count - p.count) {
                let slice = text[start..<(start + p.count)]
                let equal = pattern.caseInsensitive
                    ? zip(slice, p).allSatisfy { $0.asciiLowercased == $1.asciiLowercased }
                    : slice.elementsEqual(p)
                guard equal else { continue }
                if pattern.wholeWord {
                    if p.first!.isASCIIWordByte, start > 0, text[start - 1].isASCIIWordByte { continue }
                    let end = start + p.count
                    if p.last!.isASCIIWordByte, end < text.count, text[end].isASCIIWordByte { continue }
                }
                result.append(LiteralMatch(pattern: id, start: start, end: start + p.count))
            }
        }
        return result.sorted { ($0.end, $0.pattern) < ($1.end, $1.pattern) }
    }

    @Test("Chinese keywords are matched in both scripts")
    func variants() {
        #expect(ChineseVariants.spellings(of: "国家秘密") == ["国家秘密", "國家秘密"])
        #expect(ChineseVariants.spellings(of: "機密") == ["機密", "机密"])
        #expect(ChineseVariants.spellings(of: "secret") == ["secret"])
    }
}
