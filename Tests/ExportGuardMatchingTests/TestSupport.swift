@testable import ExportGuardMatching

/// A small seeded generator so property tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Feeds `text` to a fresh scanner in chunks of the given sizes (cycled) and returns every match.
func scan(_ matcher: Matcher, _ text: [UInt8], chunkSizes: [Int] = [Int.max]) -> [Match] {
    var scanner = matcher.makeScanner()
    var matches: [Match] = []
    var offset = 0
    var turn = 0
    while offset < text.count {
        let size = max(1, min(chunkSizes[turn % chunkSizes.count], text.count - offset))
        scanner.feed(Array(text[offset..<(offset + size)]), into: &matches)
        offset += size
        turn += 1
    }
    scanner.finish(into: &matches)
    return matches
}

func literalMatches(_ matches: [Match]) -> [LiteralMatch] {
    matches.compactMap { if case .literal(let m) = $0 { m } else { nil } }
        .sorted { ($0.end, $0.pattern) < ($1.end, $1.pattern) }
}

func detectorMatches(_ matches: [Match]) -> [DetectorMatch] {
    matches.compactMap { if case .detector(let m) = $0 { m } else { nil } }
        .sorted { ($0.start, $0.end, $0.detector.rawValue) < ($1.start, $1.end, $1.detector.rawValue) }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
