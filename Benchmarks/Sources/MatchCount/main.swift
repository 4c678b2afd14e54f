// match-count: streams a corpus through ExportGuard's matching core and counts matches.
//
//   match-count --patterns FILE [--detectors | --detector-kinds KIND,...] [--chunk BYTES] [--in-memory] [--verbose] CORPUS
//
// Patterns are one a line. A line of pure ASCII is English and matches case-insensitively
// (ASCII folding only, not whole-word), like `grep -F -i`; any other line matches exactly.
// Empty lines are skipped. The corpus is read with read(2) in chunks, never whole.
//
// Prints one line:
//
//   count=N detectors=M bytes=B seconds=S MBps=X
//
// count is every literal match, overlapping ones included: each (pattern, end offset)
// once, as Hyperscan reports them. detectors counts validated detector matches (0 without
// --detectors). seconds covers reading and scanning (only scanning with --in-memory), not
// compiling the patterns; MBps = bytes / 10^6 / seconds.
//
// --detectors enables every DetectorKind; --detector-kinds only those named (their raw
// values, e.g. `resident-id,coordinates`), to see what each one costs.
//
// --in-memory reads the whole corpus first and times only the scan (still fed to the
// streaming scanner in chunks), the closest match to Hyperscan's block mode.
//
// --verbose adds a second line: the compile time, the automaton size, detector matches by
// kind, and `leftmostLongest`, the number of literal matches a leftmost-longest,
// non-overlapping search finds (what `grep -F -o` prints), for cross-checking other tools.

import ExportGuardMatching

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Options {
    var patternsPath = ""
    var corpusPath = ""
    var detectors: Set<DetectorKind> = []
    var chunkSize = 1 << 20
    var verbose = false
    var inMemory = false
}

func fail(_ message: String, status: Int32) -> Never {
    var line = "match-count: \(message)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(status)
}

func usage() -> Never {
    fail("usage: match-count --patterns FILE [--detectors | --detector-kinds KIND,...] [--chunk BYTES] [--in-memory] [--verbose] CORPUS", status: 64)
}

/// `65536`, `64K`, `1M`.
func parseByteCount(_ text: String) -> Int? {
    var digits = Substring(text)
    var scale = 1
    switch digits.last {
    case "K", "k": scale = 1 << 10
    case "M", "m": scale = 1 << 20
    default: break
    }
    if scale != 1 { digits = digits.dropLast() }
    guard let value = Int(digits), value > 0 else { return nil }
    return value * scale
}

func parseOptions() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst()
    while let argument = arguments.popFirst() {
        switch argument {
        case "--patterns":
            guard let value = arguments.popFirst() else { usage() }
            options.patternsPath = value
        case "--chunk":
            guard let value = arguments.popFirst(), let size = parseByteCount(value) else { usage() }
            options.chunkSize = size
        case "--detectors":
            options.detectors = Set(DetectorKind.allCases)
        case "--detector-kinds":
            guard let value = arguments.popFirst() else { usage() }
            for name in value.split(separator: ",") {
                guard let kind = DetectorKind(rawValue: String(name)) else {
                    fail("unknown detector \(name); known: \(DetectorKind.allCases.map(\.rawValue).joined(separator: ","))", status: 64)
                }
                options.detectors.insert(kind)
            }
        case "--verbose":
            options.verbose = true
        case "--in-memory":
            options.inMemory = true
        case "-h", "--help":
            usage()
        default:
            guard !argument.hasPrefix("-"), options.corpusPath.isEmpty else { usage() }
            options.corpusPath = argument
        }
    }
    if options.patternsPath.isEmpty || options.corpusPath.isEmpty { usage() }
    return options
}

func openForReading(_ path: String) -> Int32 {
    let fd = open(path, O_RDONLY)
    if fd < 0 { fail("cannot open \(path): \(String(cString: strerror(errno)))", status: 66) }
    return fd
}

/// Reads `fd` in chunks of `size` bytes, calling `body` with each; a short read is not the end.
func forEachChunk(of fd: Int32, size: Int, _ body: (UnsafeRawBufferPointer) -> Void) {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
    defer { buffer.deallocate() }
    while true {
        var filled = 0
        while filled < size {
            let n = read(fd, buffer.baseAddress! + filled, size - filled)
            if n < 0 {
                if errno == EINTR { continue }
                fail("read error: \(String(cString: strerror(errno)))", status: 74)
            }
            if n == 0 { break }
            filled += n
        }
        if filled == 0 { return }
        body(UnsafeRawBufferPointer(rebasing: buffer[0..<filled]))
        if filled < size { return }
    }
}

func readPatterns(_ path: String) -> [LiteralPattern] {
    let fd = openForReading(path)
    defer { close(fd) }
    var bytes: [UInt8] = []
    forEachChunk(of: fd, size: 1 << 16) { bytes.append(contentsOf: $0) }
    var patterns: [LiteralPattern] = []
    for var line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        if line.isEmpty { continue }
        let english = line.allSatisfy { $0 < 0x80 }
        patterns.append(LiteralPattern(bytes: Array(line), caseInsensitive: english, wholeWord: false))
    }
    return patterns
}

func seconds(_ duration: Duration) -> Double {
    let (s, attoseconds) = duration.components
    return Double(s) + Double(attoseconds) * 1e-18
}

func format(_ value: Double, decimals: Int) -> String {
    // Fixed-point without Foundation.
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int64((value * scale).rounded())
    let whole = scaled / Int64(scale)
    var fraction = String(scaled % Int64(scale))
    while fraction.count < decimals { fraction = "0" + fraction }
    return decimals == 0 ? String(whole) : "\(whole).\(fraction)"
}

/// Non-overlapping matches chosen leftmost first, longest at equal starts, as `grep -o` does.
func leftmostLongestCount(_ spans: inout [(start: Int, end: Int)]) -> Int {
    spans.sort { $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end }
    var count = 0
    var position = Int.min
    for span in spans where span.start >= position {
        count += 1
        position = span.end
    }
    return count
}

let options = parseOptions()
let clock = ContinuousClock()

let patterns = readPatterns(options.patternsPath)
let compileStart = clock.now
var patternSet = PatternSet(detectors: options.detectors)
for pattern in patterns { patternSet.add(pattern) }
let matcher = Matcher(patternSet)
let compileSeconds = seconds(clock.now - compileStart)

/// What the scan found.
struct Tally {
    var literals = 0
    var detectors = 0
    var detectorsByKind: [DetectorKind: Int] = [:]
    /// Literal match spans, kept only for `--verbose`.
    var spans: [(start: Int, end: Int)] = []
    let keepDetails: Bool

    mutating func add(_ matches: inout [Match]) {
        for match in matches {
            switch match {
            case .literal(let literal):
                literals += 1
                if keepDetails { spans.append((literal.start, literal.end)) }
            case .detector(let detector):
                detectors += 1
                if keepDetails { detectorsByKind[detector.detector, default: 0] += 1 }
            }
        }
        matches.removeAll(keepingCapacity: true)
    }
}

let fd = openForReading(options.corpusPath)
var scanner = matcher.makeScanner()
var matches: [Match] = []
matches.reserveCapacity(1024)
var tally = Tally(keepDetails: options.verbose)

var corpus: [UInt8] = []
if options.inMemory {
    forEachChunk(of: fd, size: 1 << 20) { corpus.append(contentsOf: $0) }
}
let scanStart = clock.now
if options.inMemory {
    corpus.withUnsafeBytes { bytes in
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + options.chunkSize, bytes.count)
            scanner.feed(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]), into: &matches)
            tally.add(&matches)
            offset = end
        }
    }
} else {
    forEachChunk(of: fd, size: options.chunkSize) { chunk in
        scanner.feed(chunk, into: &matches)
        tally.add(&matches)
    }
}
let bytes = scanner.offset
scanner.finish(into: &matches)
tally.add(&matches)
let elapsed = seconds(clock.now - scanStart)
close(fd)

print("count=\(tally.literals) detectors=\(tally.detectors) bytes=\(bytes) seconds=\(format(elapsed, decimals: 4)) MBps=\(format(Double(bytes) / 1e6 / elapsed, decimals: 1))")
if options.verbose {
    let kinds = DetectorKind.allCases.compactMap { kind in tally.detectorsByKind[kind].map { "\(kind.rawValue):\($0)" } }
    print("patterns=\(patterns.count) states=\(matcher.stateCount) compileSeconds=\(format(compileSeconds, decimals: 4)) leftmostLongest=\(leftmostLongestCount(&tally.spans)) chunk=\(options.chunkSize) detectorKinds=\(kinds.isEmpty ? "-" : kinds.joined(separator: ","))")
}
