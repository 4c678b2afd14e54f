import ExportGuardMatching
import FuzzSupport

/// The first bytes choose a few literal patterns, the rest is the text; the matcher's
/// literal matches, fed in two chunks split where the input says, must equal a naive
/// search's (every occurrence of every pattern, exact bytes, no normalisation at work:
/// patterns and text are kept to ASCII letters that normalisation leaves alone).
func checkMatcher(_ input: [UInt8]) {
    guard input.count >= 4 else { return }
    let patternCount = 1 + Int(input[0] % 6)
    let split = Int(input[1])
    var cursor = 2
    var patterns: [[UInt8]] = []
    for _ in 0..<patternCount where cursor < input.count {
        let length = 3 + Int(input[cursor] % 6)
        cursor += 1
        let end = min(cursor + length, input.count)
        let pattern = input[cursor..<end].map { UInt8(ascii: "a") + $0 % 3 }
        cursor = end
        if pattern.count >= 3, !patterns.contains(pattern) { patterns.append(pattern) }
    }
    guard !patterns.isEmpty, cursor < input.count else { return }
    let text = input[cursor...].map { UInt8(ascii: "a") + $0 % 3 }

    var set = PatternSet()
    var ids: [Int] = []
    for pattern in patterns { ids.append(set.add(LiteralPattern(bytes: pattern, caseInsensitive: false, wholeWord: false))) }
    let matcher = Matcher(set)
    var scanner = matcher.makeScanner()
    var matches: [Match] = []
    let cut = min(split, text.count)
    scanner.feed(Array(text[..<cut]), into: &matches)
    scanner.feed(Array(text[cut...]), into: &matches)
    scanner.finish(into: &matches)
    var found = Set<[Int]>()
    for case .literal(let match) in matches { found.insert([match.pattern, match.start, match.end]) }

    var expected = Set<[Int]>()
    for (index, pattern) in patterns.enumerated() where pattern.count <= text.count {
        for start in 0...(text.count - pattern.count) where text[start..<(start + pattern.count)].elementsEqual(pattern) {
            expected.insert([ids[index], start, start + pattern.count])
        }
    }
    if found != expected {
        Fuzzer.fail("matcher disagrees with the naive search: patterns \(patterns.map { String(decoding: $0, as: UTF8.self) }), text \(String(decoding: text, as: UTF8.self)), split \(cut); missing \(expected.subtracting(found)), extra \(found.subtracting(expected))")
    }
}

@main
struct FuzzMatcher {
    static func main() {
        Fuzzer.run { checkMatcher(Array($0)) }
    }
}
