import Testing
@testable import ExportGuardMatching

@Suite("Literal matching")
struct LiteralMatchingTests {
    func matcher(_ patterns: [LiteralPattern]) -> Matcher { makeMatcher(patterns) }

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
            let patterns = randomPatterns(alphabet, &rng, maxLength: 4)
            let text = bytes((0..<Int.random(in: 0...60, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined())
            let sizes = (0..<3).map { _ in Int.random(in: 1...9, using: &rng) }
            let found = literalMatches(scan(matcher(patterns), text, chunkSizes: sizes))
            #expect(found == naiveSearch(patterns, text), "round \(round)")
        }
    }

    /// Texts long enough for the interleaved scanning paths (four sections from 2 KiB,
    /// blocks of eight streams from 64 KiB), cut into chunks small and large, including
    /// chunk sizes just around those thresholds.
    @Test("large chunks (interleaved scanning) agree with a naive search")
    func propertyLargeChunks() {
        var rng = SplitMix64(seed: 7_2026)
        let alphabet: [String] = ["a", "b", "c", "A", "B", "机", "密", "國", "秘", "密", " ", "1", "-", "x", "yz"]
        for round in 0..<24 {
            let patterns = randomPatterns(alphabet, &rng, maxLength: round % 4 == 3 ? 40 : 6)
            let length = [3000, 20_000, 70_000, 150_000][round % 4]
            // Few distinct characters, so matches are dense and fall on every section boundary.
            let text = bytes((0..<length).map { _ in alphabet.randomElement(using: &rng)! }.joined())
            let sizeChoices: [[Int]] = [
                [Int.max], [65_536], [65_537, 2047], [2048, 4095, 100_003], [1 << 20],
                (0..<4).map { _ in Int.random(in: 1...200_000, using: &rng) },
            ]
            let expected = naiveSearch(patterns, text)
            let m = matcher(patterns)
            for sizes in sizeChoices {
                let found = literalMatches(scan(m, text, chunkSizes: sizes))
                #expect(found == expected, "round \(round), sizes \(sizes)")
            }
        }
    }

    @Test("normalised text: full-width forms, ideographic space and zero-width characters, against a naive search")
    func propertyNormalisation() {
        var rng = SplitMix64(seed: 5151)
        let textAlphabet: [String] = [
            "a", "B", "ａ", "Ｂ", "1", "１", "机", "密", " ", "\u{3000}", "\u{200B}", "\u{FEFF}", "\u{00AD}",
            "-", "－", ",", "，", "(", "（", "）", ")", "x",
        ]
        let patternAlphabet: [String] = ["a", "b", "B", "ｂ", "1", "１", "机", "密", " ", "-", "－", ",", "（", ")", "\u{200D}"]
        for round in 0..<300 {
            let patterns = randomPatterns(patternAlphabet, &rng, maxLength: 5)
            let text = bytes((0..<Int.random(in: 0...80, using: &rng)).map { _ in textAlphabet.randomElement(using: &rng)! }.joined())
            let sizes = round % 3 == 0 ? [Int.max] : (0..<3).map { _ in Int.random(in: 1...9, using: &rng) }
            let found = literalMatches(scan(matcher(patterns), text, chunkSizes: sizes))
            #expect(found == naiveSearch(patterns, text), "round \(round), sizes \(sizes), text \(String(decoding: text, as: UTF8.self))")
        }
        // Long texts with rare triggers: most chunks need no copy, some do.
        for round in 0..<6 {
            let patterns = randomPatterns(patternAlphabet, &rng, maxLength: 5)
            var pieces: [String] = []
            for _ in 0..<30_000 {
                let common = ["a", "b", "机", "密", " ", ",", "，", "（", "-", "x", "1"]
                let rare = Int.random(in: 0..<400, using: &rng) == 0
                pieces.append(rare ? textAlphabet.randomElement(using: &rng)! : common.randomElement(using: &rng)!)
            }
            let text = bytes(pieces.joined())
            let expected = naiveSearch(patterns, text)
            let m = matcher(patterns)
            for sizes in [[Int.max], [65_536], [4096, 333], [1 << 20]] {
                #expect(literalMatches(scan(m, text, chunkSizes: sizes)) == expected, "long round \(round), sizes \(sizes)")
            }
        }
    }

    @Test("contextual normalisation: separators between ideographs, radicals, compatibility ideographs, symbol-font stars, against a naive search")
    func propertyContextualNormalisation() {
        // Separators after forms that become ideographs, and variation selectors in a run.
        for (text, pattern) in [("豈 密", "豈密"), ("丽\n一", "丽一"), ("\u{2F00} 一", "一一"), ("机\u{FE0F} \u{FE0F}\n密", "机密")] {
            let patterns = [LiteralPattern(pattern)]
            for sizes in [[Int.max], [1], [2, 5]] {
                let found = literalMatches(scan(matcher(patterns), bytes(text), chunkSizes: sizes))
                #expect(found.count == 1 && found == naiveSearch(patterns, bytes(text)), "\(text.debugDescription) \(sizes)")
            }
        }
        // Runs cut by a chunk's edge, in chunks the literal filter takes.
        let filler = String(repeating: "a", count: 2046)
        for pieces in [[filler + "机 ", "密" + filler + "aa"], [filler + "机 ", " 密" + filler], [filler + "机", "\u{3000}\n密" + filler],
                       [filler + "机 \u{FE0F}", "\u{FE0F} 密" + filler]] {
            let keyword = [LiteralPattern("机密")]
            var scanner = matcher(keyword).makeScanner()
            var found: [Match] = []
            for piece in pieces { scanner.feed(bytes(piece), into: &found) }
            scanner.finish(into: &found)
            #expect(literalMatches(found) == naiveSearch(keyword, bytes(pieces.joined())), "\(pieces.map { $0.suffix(6) })")
        }
        // Radicals at every offset of the filter's radical pass (blocks of 64 bytes, stretches
        // of 4 KiB), among quotation marks that share their lead byte E2.
        let radicalKeyword = [LiteralPattern("一一")]
        for shift in 0..<72 {
            let around = String(repeating: "“中”a", count: 600)
            let text = bytes(String(repeating: "b", count: shift) + around + "\u{2F00}一“" + around + "\u{2F00}\u{2F00}")
            let expected = naiveSearch(radicalKeyword, text)
            #expect(expected.count == 2)
            for sizes in [[Int.max], [4096, 777]] {
                #expect(literalMatches(scan(matcher(radicalKeyword), text, chunkSizes: sizes)) == expected, "shift \(shift), sizes \(sizes)")
            }
        }
        // Every shape of run in long texts (the literal filter's path), between all kinds of text.
        let runs = [" ", "\n", "\r\n", "\t", "  \n ", "\u{A0}", "\u{3000}", "\u{3000}\u{3000}", " \u{3000}", "\u{3000} ",
                    "\u{A0} \u{A0}", " \u{FE0F} ", "\u{FE0F} ", "        ", "         ", "\u{A0}   ", "\u{3000}\u{3000}  ",
                    " \u{A0}\n", "\r\n\u{3000}\t", "\u{3000} \u{A0} \u{3000}", "\t\t\u{3000}"]
        let fillers = ["中文 English text, ", "，。\n“引号”", "abc def\r\n", "\u{3000}\u{3000}段落。\n", "１２３ 0x1F "]
        var filled = ""
        var index = 0
        while filled.utf8.count < 200_000 {
            filled += fillers[index % fillers.count] + "机" + runs[index % runs.count] + "密" + fillers[(index / 3) % fillers.count]
            index += 1
        }
        let longText = bytes(filled)
        let keyword = [LiteralPattern("机密"), LiteralPattern("中文")]
        let longExpected = naiveSearch(keyword, longText)
        for sizes in [[Int.max], [65_536], [4096, 777]] {
            let found = literalMatches(scan(matcher(keyword), longText, chunkSizes: sizes))
            #expect(found == longExpected, "runs in long text, sizes \(sizes), \(difference(found, longExpected, text: longText))")
        }
        var rng = SplitMix64(seed: 7272)
        let textAlphabet: [String] = [
            "机", "密", "一", "a", " ", "\n", "\r\n", "\t", "\u{A0}", "\u{3000}", "★", "\u{F0AB}", "\u{FE0F}",
            "\u{2F00}", "\u{F900}", "豈", "\u{2F800}", "丽", "，", "1", "\u{200B}", "Ａ",
        ]
        let patternAlphabet: [String] = ["机", "密", "一", "豈", "丽", "★", " ", "a", "1"]
        for round in 0..<400 {
            let patterns = randomPatterns(patternAlphabet, &rng, maxLength: 4)
            let text = bytes((0..<Int.random(in: 0...60, using: &rng)).map { _ in textAlphabet.randomElement(using: &rng)! }.joined())
            let sizes = round % 3 == 0 ? [Int.max] : (0..<3).map { _ in Int.random(in: 1...9, using: &rng) }
            let found = literalMatches(scan(matcher(patterns), text, chunkSizes: sizes))
            let expected = naiveSearch(patterns, text)
            #expect(found == expected, "round \(round), sizes \(sizes), \(difference(found, expected)), text \(String(decoding: text, as: UTF8.self).debugDescription)")
        }
        // Long texts: sites everywhere, most of them with nothing to rewrite; chunk sizes
        // that take the literal filter's path and the automaton's.
        for round in 0..<4 {
            let patterns = randomPatterns(patternAlphabet, &rng, maxLength: 4) + [LiteralPattern("机密★"), LiteralPattern("一一一")]
            var pieces: [String] = []
            for _ in 0..<40_000 {
                let common = ["机", "密", "一", " ", "a", "\n", "b", "，"]
                let rare = Int.random(in: 0..<300, using: &rng) == 0
                pieces.append(rare ? textAlphabet.randomElement(using: &rng)! : common.randomElement(using: &rng)!)
            }
            let text = bytes(pieces.joined())
            let expected = naiveSearch(patterns, text)
            let m = matcher(patterns)
            for sizes in [[Int.max], [65_536], [4096, 333], [1 << 20], [3, 1000]] {
                let found = literalMatches(scan(m, text, chunkSizes: sizes))
                #expect(found == expected, "long round \(round), sizes \(sizes), \(difference(found, expected, text: text))")
            }
        }
    }

    /// The first matches only one side has, briefly, with the text around them.
    func difference(_ found: [LiteralMatch], _ expected: [LiteralMatch], text: [UInt8]? = nil) -> String {
        let extra = found.filter { !expected.contains($0) }.prefix(3)
        let missing = expected.filter { !found.contains($0) }.prefix(3)
        func show(_ m: LiteralMatch) -> String {
            guard let text else { return "\(m.pattern)@\(m.start)..<\(m.end)" }
            let context = String(decoding: text[max(0, m.start - 12)..<min(text.count, m.end + 12)], as: UTF8.self)
            return "\(m.pattern)@\(m.start)..<\(m.end) \(context.debugDescription)"
        }
        return "extra \(extra.map(show)), missing \(missing.map(show))"
    }

    func randomPatterns(_ alphabet: [String], _ rng: inout SplitMix64, maxLength: Int) -> [LiteralPattern] {
        var patterns: [LiteralPattern] = []
        for _ in 0..<Int.random(in: 1...8, using: &rng) {
            let length = Int.random(in: 1...maxLength, using: &rng)
            let text = (0..<length).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            patterns.append(LiteralPattern(text, caseInsensitive: Bool.random(using: &rng), wholeWord: Bool.random(using: &rng)))
        }
        return patterns
    }

    @Test("full-width letters and digits match their ASCII keywords; offsets are original bytes")
    func fullWidthKeywords() {
        let m = matcher([LiteralPattern("PLA", caseInsensitive: true, wholeWord: true), LiteralPattern("A100")])
        let text = bytes("型号Ａ１００与ｐｌａ")
        let found = literalMatches(scan(m, text))
        // Ａ１００ is 12 bytes starting after 型号 (6 bytes); ｐｌａ is 9 bytes after 与.
        #expect(found == [
            LiteralMatch(pattern: 1, start: 6, end: 18),
            LiteralMatch(pattern: 0, start: 21, end: 30),
        ])
        for size in 1...7 {
            #expect(literalMatches(scan(m, text, chunkSizes: [size])) == found, "chunk size \(size)")
        }
    }

    @Test("a zero-width space inside a keyword is ignored, and the match spans it")
    func zeroWidthInside() {
        let m = matcher([LiteralPattern("绝密"), LiteralPattern("top secret", caseInsensitive: true)])
        let text = bytes("标注绝\u{200B}密，TOP\u{3000}SE\u{00AD}CRET")
        let found = literalMatches(scan(m, text))
        #expect(found.count == 2)
        #expect(found.first == LiteralMatch(pattern: 0, start: 6, end: 15))
        let english = found.last!
        #expect(String(decoding: text[english.start..<english.end], as: UTF8.self) == "TOP\u{3000}SE\u{00AD}CRET")
        for size in 1...5 {
            #expect(literalMatches(scan(m, text, chunkSizes: [size])) == found, "chunk size \(size)")
        }
    }

    @Test("full-width and ASCII punctuation match each other")
    func punctuation() {
        let m = matcher([LiteralPattern("export-controlled", caseInsensitive: true), LiteralPattern("（秘密）")])
        let found = literalMatches(scan(m, bytes("Export－Controlled, export-controlled (秘密) （秘密) （秘密）")))
        #expect(found.filter { $0.pattern == 0 }.count == 2)
        #expect(found.filter { $0.pattern == 1 }.count == 3)
    }

    @Test("Chinese keywords are matched in both scripts")
    func variants() {
        #expect(ChineseVariants.spellings(of: "国家秘密") == ["国家秘密", "國家秘密"])
        #expect(ChineseVariants.spellings(of: "機密") == ["機密", "机密"])
        #expect(ChineseVariants.spellings(of: "secret") == ["secret"])
        // As a policy compiles them: every spelling is a literal of its own.
        let m = matcher(ChineseVariants.spellings(of: "机密").map { LiteralPattern($0) })
        let found = literalMatches(scan(m, bytes("一份機密文件和机密资料")))
        #expect(found.map(\.pattern) == [1, 0])
        #expect(found.map(\.start) == [6, 21])
    }

    @Test("the offset map: replacements and removals, before, at and after each edit")
    func offsetMap() {
        var map = OffsetMap()
        // Original "１a\u{200B}b": １ (3 bytes) → "1" at normalised 0; a at 1; ZWSP removed before b (normalised 2).
        map.record(boundary: 1, removed: 2, trailing: true)
        map.record(boundary: 2, removed: 3, trailing: false)
        #expect(map.start(0) == 0)
        #expect(map.end(1) == 3)
        #expect(map.start(1) == 3)
        #expect(map.end(2) == 4)
        #expect(map.start(2) == 7)
        #expect(map.end(3) == 8)
        map.prune(below: 2)
        #expect(map.start(2) == 7)
        #expect(map.end(2) == 4)
        #expect(map.end(3) == 8)
    }
}
