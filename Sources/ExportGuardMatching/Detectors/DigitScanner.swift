import CByteMasks

/// Finds identifier candidates and coordinate pairs by jumping from digit to digit.
///
/// Every identifier the classifier knows (resident IDs, credit codes, mobile numbers, bank
/// cards, passports, `Unit 61398`) and every coordinate contains an ASCII digit, and digits
/// are rare in prose. So instead of walking every byte, the scanner looks for the start of
/// each run of digits 64 bytes at a time (a bit mask per block) and only then reads the text around it:
///
/// - **identifiers**: the run of ASCII letters and digits containing the digit (extended to
///   the left through the window), and digit groups joined by single spaces or hyphens
///   (`138 1234 5678`, `+86 139-1234-5678`; U+3000 and `－` count too); each candidate goes to the
///   ``IdentifierClassifier``. A run longer than ``longestToken`` is no identifier.
/// - **coordinates**: see ``CoordinateParser``.
///
/// The text it reads is normalised (full-width digits are ASCII already, see
/// ``TextNormalisation``). Results never depend on how the stream is cut into chunks: an
/// analysis that needs bytes beyond the current chunk stops, keeps its starting point (which
/// stays inside the window's history) and runs again when the next chunk arrives; nothing is
/// reported until it is complete.
struct DigitScanner {
    /// Longer runs of letters and digits (hashes, base64) cannot be any identifier we know.
    static let longestToken = 24
    static let longestGroup = 24

    let classifier: IdentifierClassifier
    let findIdentifiers: Bool
    let findCoordinates: Bool

    /// Every digit run starting before this offset has been handled by the identifier analysis.
    private var identifiersDone = 0
    /// The letters-and-digits run at `identifiersDone` is already too long and continues.
    private var skippingToken = false
    private var identifiersPending = false
    /// The same for the coordinate analysis.
    private var coordinatesDone = 0
    private var coordinatesPending = false
    /// End of the last coordinate pair: a marker before the next value must start after it.
    private var lastCoordinateEnd = 0
    private var token: [UInt8] = []

    init(classifier: IdentifierClassifier, identifiers: Bool, coordinates: Bool) {
        self.classifier = classifier
        self.findIdentifiers = identifiers
        self.findCoordinates = coordinates
        token.reserveCapacity(Self.longestGroup)
    }

    var isEnabled: Bool { findIdentifiers || findCoordinates }

    /// Scans the window's chunk (and whatever earlier analyses left pending in its history).
    mutating func scan(_ window: StreamWindow, streamEnded: Bool, into matches: inout [DetectorMatch]) {
        guard isEnabled else { return }
        window.tail.withUnsafeBufferPointer { tail in
            let view = TextView(window: window, tail: tail, streamEnded: streamEnded)
            scan(view, window: window, into: &matches)
        }
    }

    private mutating func scan(_ view: TextView, window: StreamWindow, into matches: inout [DetectorMatch]) {
        let chunkStart = view.chunkStart
        let end = view.end
        identifiersPending = false
        coordinatesPending = false
        if !findIdentifiers { identifiersDone = end }
        if !findCoordinates { coordinatesDone = end }

        // Runs too long to matter that continue from the previous chunk.
        if skippingToken {
            var position = max(identifiersDone, chunkStart)
            while position < end, view[position].isASCIILetterOrDigit { position += 1 }
            identifiersDone = position
            skippingToken = position == end && !view.streamEnded
        }

        // Digit runs in the history that an analysis left pending last time.
        let resume = min(identifiersDone, coordinatesDone)
        if resume < chunkStart {
            var position = max(resume, view.lowerBound)
            while position < chunkStart {
                if view[position].isASCIIDigit, position == view.lowerBound || !view[position - 1].isASCIIDigit {
                    visit(position, view, window: window, into: &matches)
                }
                position += 1
            }
        }

        // Digit runs in the chunk, 64 bytes at a time: a bit mask of the digits (one bit per
        // byte, see `eg_digit_mask64`) gives the starts of the runs.
        if let chunk = view.chunk, chunkStart < end, !(identifiersPending && coordinatesPending) {
            let count = end - chunkStart
            var previousIsDigit: UInt64 = chunkStart > view.lowerBound && view[chunkStart - 1].isASCIIDigit ? 1 : 0
            var index = 0
            scanning: while index + 64 <= count {
                // One bit a byte: the starts of digit runs are digits not preceded by one.
                let digits = eg_digit_mask64(chunk + index)
                var starts = digits & ~(digits << 1 | previousIsDigit)
                previousIsDigit = digits >> 63
                while starts != 0 {
                    let bit = starts.trailingZeroBitCount
                    starts &= starts - 1
                    // Most digit runs are years and counts between Chinese characters:
                    // when the bytes around the run show that neither analysis can find
                    // anything, skip both.
                    let nonDigits = ~digits >> UInt64(bit)
                    if Self.nothingToFind(chunk, index + bit, count, length: nonDigits == 0 ? nil : nonDigits.trailingZeroBitCount) {
                        continue
                    }
                    visit(chunkStart + index + bit, view, window: window, into: &matches)
                    if identifiersPending && coordinatesPending { break scanning }
                }
                index += 64
            }
            if !(identifiersPending && coordinatesPending) {
                var previous = previousIsDigit != 0
                while index < count {
                    let isDigit = chunk[index].isASCIIDigit
                    if isDigit, !previous {
                        visit(chunkStart + index, view, window: window, into: &matches)
                        if identifiersPending && coordinatesPending { break }
                    }
                    previous = isDigit
                    index += 1
                }
            }
        }

        if !identifiersPending && !skippingToken { identifiersDone = max(identifiersDone, end) }
        if !coordinatesPending { coordinatesDone = max(coordinatesDone, end) }
    }

    /// Whether the digit run at `offset` of the chunk certainly yields nothing, judged from
    /// bytes inside the chunk (false when unsure): no letter or digit touches it, its length
    /// fits no identifier, no digit group continues after it, and it is not one to three
    /// digits followed by `.` and a digit or by `°`. `length` is the run's length when known.
    @inline(__always)
    static func nothingToFind(_ chunk: UnsafePointer<UInt8>, _ offset: Int, _ count: Int, length known: Int?) -> Bool {
        guard offset > 0, !chunk[offset - 1].isASCIILetterOrDigit else { return false }
        var end = offset + (known ?? 1)
        if known == nil {
            while end < count, chunk[end].isASCIIDigit, end - offset < 20 { end += 1 }
        }
        guard end + 2 < count else { return false }
        let length = end - offset
        let after = chunk[end], second = chunk[end + 1]
        if after.isASCIILetterOrDigit || length == 5 || (8...19).contains(length) { return false }
        switch after {
        case UInt8(ascii: " "), UInt8(ascii: "-"):
            return !second.isASCIIDigit
        case UInt8(ascii: "."):
            return length > 3 || !second.isASCIIDigit
        case 0xC2:
            return length > 3
        case 0xEF:
            // A full-width hyphen (EF BC 8D) may join digit groups.
            return !(second == 0xBC && chunk[end + 2] == 0x8D)
        case 0xE3:
            // So may U+3000 (E3 80 80).
            return !(second == 0x80 && chunk[end + 2] == 0x80)
        default:
            return true
        }
    }

    /// Runs both analyses at the digit run starting at `run`.
    private mutating func visit(_ run: Int, _ view: TextView, window: StreamWindow, into matches: inout [DetectorMatch]) {
        if !identifiersPending, run >= identifiersDone {
            do throws(NeedMoreInput) {
                identifiersDone = try identifiers(at: run, view, window: window, into: &matches)
            } catch {
                identifiersPending = true
                identifiersDone = run
            }
        }
        if !coordinatesPending, run >= coordinatesDone {
            do throws(NeedMoreInput) {
                coordinatesDone = try coordinates(at: run, view, into: &matches)
            } catch {
                coordinatesPending = true
                coordinatesDone = run
            }
        }
    }

    // MARK: Identifiers

    /// Analyses the token containing the digit at `run` and any digit group it starts.
    /// Returns the offset up to which everything is handled.
    private mutating func identifiers(
        at run: Int, _ view: TextView, window: StreamWindow, into matches: inout [DetectorMatch]
    ) throws(NeedMoreInput) -> Int {
        // The token's start: letters before the digits belong to it.
        var start = run
        while start > view.lowerBound, view[start - 1].isASCIILetterOrDigit {
            start -= 1
            if run - start > Self.longestToken { break }
        }
        var end = run
        var allDigits = start == run
        while let byte = try view.byte(end), byte.isASCIILetterOrDigit {
            if !byte.isASCIIDigit { allDigits = false }
            end += 1
            if end - start > Self.longestToken { break }
        }
        if end - start > Self.longestToken {
            // Too long for any identifier: skip the rest of the run.
            while let byte = view.byteIfPresent(end), byte.isASCIILetterOrDigit { end += 1 }
            if end == view.end && !view.streamEnded { skippingToken = true }
            return end
        }
        // Digits of a decimal number (`442.6123456789141`, a spreadsheet's float) are no
        // identifier, before the point or after it.
        if allDigits {
            let fraction = view.byteIfPresent(start - 1) == UInt8(ascii: ".") && view.byteIfPresent(start - 2)?.isASCIIDigit == true
            if fraction { return end }
            if try view.byte(end) == UInt8(ascii: "."), let next = try view.byte(end + 1), next.isASCIIDigit { return end }
        }

        var found: [DetectorMatch] = []
        classifyToken(start..<end, view, window: window, into: &found)
        guard allDigits else {
            if !found.isEmpty { matches.append(contentsOf: found) }
            return end
        }
        // Digit groups joined by one space or hyphen each.
        var parts = 1
        var digits = end - start
        var lastPart = digits
        var groupEnd = end
        while let separatorLength = try separator(at: groupEnd, view),
              let next = try view.byte(groupEnd + separatorLength), next.isASCIIDigit {
            let partStart = groupEnd + separatorLength
            var partEnd = partStart
            var partIsDigits = true
            while let byte = try view.byte(partEnd), byte.isASCIILetterOrDigit {
                if !byte.isASCIIDigit { partIsDigits = false }
                partEnd += 1
                if partEnd - partStart > Self.longestToken { break }
            }
            let length = partEnd - partStart
            // A resident ID's check character X may end the last group (`110101 19900307 100X`).
            let endsInCheckX = !partIsDigits && digits + length == 18 && (view[partEnd - 1] | 0x20) == UInt8(ascii: "x")
                && (partStart..<(partEnd - 1)).allSatisfy { view[$0].isASCIIDigit }
            guard partIsDigits || endsInCheckX, length <= Self.longestToken, digits + length <= Self.longestGroup else { break }
            if partIsDigits { classifyToken(partStart..<partEnd, view, window: window, into: &found) }
            parts += 1
            digits += length
            lastPart = length
            groupEnd = partEnd
            if endsInCheckX { break }
        }
        if parts > 1 {
            token.removeAll(keepingCapacity: true)
            for offset in start..<groupEnd where view[offset].isASCIILetterOrDigit { token.append(view[offset].asciiUppercased) }
            classifier.classify(token, range: start..<groupEnd, lastPart: lastPart, window: window, into: &found)
        }
        if !found.isEmpty { matches.append(contentsOf: found) }
        return groupEnd
    }

    /// One space or hyphen (ASCII or full-width) between digit groups: its length.
    private func separator(at offset: Int, _ view: TextView) throws(NeedMoreInput) -> Int? {
        guard let byte = try view.byte(offset) else { return nil }
        if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") { return 1 }
        if byte == 0xEF, try view.packedAhead(offset, length: 3) == Packed.fullWidthHyphen { return 3 }
        if byte == 0xE3, try view.packedAhead(offset, length: 3) == Packed.ideographicSpace { return 3 }
        return nil
    }

    private mutating func classifyToken(_ range: Range<Int>, _ view: TextView, window: StreamWindow, into found: inout [DetectorMatch]) {
        // Only these lengths can be an identifier (see IdentifierClassifier).
        let length = range.count
        guard length == 5 || (8...19).contains(length) else { return }
        token.removeAll(keepingCapacity: true)
        for offset in range { token.append(view[offset]) }
        classifier.classify(token, range: range, lastPart: nil, window: window, into: &found)
    }

    // MARK: Coordinates

    private mutating func coordinates(at run: Int, _ view: TextView, into matches: inout [DetectorMatch]) throws(NeedMoreInput) -> Int {
        // Quick rejection: a value has at most three integer digits, then `.` or `°`.
        var index = run
        while let byte = try view.byte(index), byte.isASCIIDigit {
            index += 1
            if index - run > 3 { return index }
        }
        guard let next = try view.byte(index), next == UInt8(ascii: ".") || next == 0xC2 else { return index }
        let parser = CoordinateParser(view: view)
        guard let first = try parser.value(at: run, notBefore: lastCoordinateEnd) else { return index }
        guard let secondRun = try parser.nextValueStart(after: first.end),
              let second = try parser.value(at: secondRun, notBefore: first.end),
              let pair = CoordinateParser.pair(first, second, view: view) else {
            return first.end
        }
        matches.append(pair)
        lastCoordinateEnd = second.end
        return second.end
    }
}

/// Thrown by an analysis that needs bytes the stream has not delivered yet.
struct NeedMoreInput: Error {}

/// The window's bytes (history and current chunk) by absolute offset.
struct TextView {
    let tail: UnsafePointer<UInt8>?
    /// Absolute offset of the first byte of the history.
    let lowerBound: Int
    let chunk: UnsafePointer<UInt8>?
    let chunkStart: Int
    /// One past the last byte delivered.
    let end: Int
    /// No more bytes will come: reading past the end finds the end of the text.
    let streamEnded: Bool

    init(window: StreamWindow, tail: UnsafeBufferPointer<UInt8>, streamEnded: Bool) {
        self.tail = tail.baseAddress
        self.lowerBound = window.chunkStart - tail.count
        self.chunk = window.chunk.baseAddress?.assumingMemoryBound(to: UInt8.self)
        self.chunkStart = window.chunkStart
        self.end = window.chunkStart + window.chunk.count
        self.streamEnded = streamEnded
    }

    /// The byte at an offset known to be inside the window.
    @inline(__always)
    subscript(offset: Int) -> UInt8 {
        offset >= chunkStart ? chunk.unsafelyUnwrapped[offset - chunkStart] : tail.unsafelyUnwrapped[offset - lowerBound]
    }

    /// The byte at `offset`; nil before the window or after the end of the stream; throws
    /// when the stream goes on but the byte has not arrived yet.
    @inline(__always)
    func byte(_ offset: Int) throws(NeedMoreInput) -> UInt8? {
        if offset >= end {
            if streamEnded { return nil }
            throw NeedMoreInput()
        }
        return offset >= lowerBound ? self[offset] : nil
    }

    /// The byte at `offset` when it is in the window, nil otherwise (never throws).
    @inline(__always)
    func byteIfPresent(_ offset: Int) -> UInt8? {
        offset >= lowerBound && offset < end ? self[offset] : nil
    }

    /// The `length` (at most 8) bytes ending just before `end`, packed little-endian (see
    /// ``Packed``); nil when some are outside the window.
    @inline(__always)
    func packedBefore(_ end: Int, length: Int) -> UInt64? {
        let start = end - length
        guard start >= lowerBound, end <= self.end else { return nil }
        var value: UInt64 = 0
        for k in 0..<length { value |= UInt64(self[start + k]) << (8 * UInt64(k)) }
        return value
    }

    /// The `length` (at most 8) bytes from `offset`, packed little-endian; nil when the stream
    /// ends before them; throws when they have not all arrived yet.
    @inline(__always)
    func packedAhead(_ offset: Int, length: Int) throws(NeedMoreInput) -> UInt64? {
        if offset + length > end {
            if streamEnded { return nil }
            throw NeedMoreInput()
        }
        guard offset >= lowerBound else { return nil }
        var value: UInt64 = 0
        for k in 0..<length { value |= UInt64(self[offset + k]) << (8 * UInt64(k)) }
        return value
    }
}

extension UInt8 {
    @inline(__always)
    var isASCIIDigit: Bool { self &- 0x30 < 10 }

    @inline(__always)
    var isASCIILetterOrDigit: Bool { self &- 0x30 < 10 || (self | 0x20) &- 0x61 < 26 }
}
