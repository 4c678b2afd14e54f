import CByteMasks
import Glibc

/// Finds text that carries another encoding inside plain text and decodes it, so that what
/// it says is read too: JSON and JavaScript `\uXXXX` escapes (how `json.dumps` writes
/// Chinese by default), percent-encoding (URLs, form bodies, `.har` files), quoted-printable
/// (a pasted mail body) and base64 (a pasted attachment, a PEM block, a `data:` URI).
///
/// Each run is decoded into bytes of its own and held until the text part ends; the
/// dispatcher then reads each as a nested part, `notes.txt:12!base64` (line 12 of
/// `notes.txt`), under the same limits as any container member. Held runs are bounded
/// (``maximumHeldBytes``); past that, the part is reported as over a limit.
///
/// The text is read line by line, but only lines that hold a `\`, `%`, `=` or `;` (found
/// sixteen bytes at a time) are looked at in detail, besides a glance at the first bytes of
/// each line for base64: prose costs one vector pass.
///
/// Base64 is taken when it is framed (a PEM block, a `data:` URI, which are reported
/// whatever they hold) or when it is a block of whole lines of at least ``minimumBase64Line``
/// characters mixing cases and digits; such an unframed block is kept only if it decodes to
/// text or to a format the inspector reads, since hashes, keys and tokens look the same.
struct EncodedTextRuns {
    enum Kind: String {
        case base64
        case unicodeEscapes = "unicode-escapes"
        case percentEncoded = "percent-encoded"
        case quotedPrintable = "quoted-printable"
    }

    struct Run {
        var kind: Kind
        /// The line of the part it starts on (1-based).
        var line: Int
        var bytes: [UInt8]
    }

    static let maximumHeldBytes = 16 << 20
    /// Runs held at most, as archives hold entries at most.
    static let maximumRuns = 10_000
    /// Longer lines are looked at in pieces of this size.
    static let maximumLine = 64 << 10
    static let minimumBase64Line = 40

    private(set) var runs: [Run] = []
    private var heldBytes = 0
    /// More runs than ``maximumHeldBytes`` allows were found (and dropped).
    private(set) var overflowed = false
    /// The number of the line being read.
    private var line = 1
    /// The current line's bytes so far, when it began in an earlier chunk.
    private var carry: [UInt8] = []
    /// The current line is longer than a piece and has been looked at in part already.
    private var inLongLine = false
    /// An open base64 block: its characters, first line, and whether a PEM frame holds it.
    private var block: [UInt8]?
    private var blockLine = 0
    private var inPEM = false
    /// An open quoted-printable run (its last line ended in a soft line break).
    private var quotedPrintable: [UInt8]?
    private var quotedPrintableLine = 0

    // MARK: Input

    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else { return }
        let count = bytes.count
        var lineStart = 0
        if !carry.isEmpty || inLongLine {
            // Finish the line the last chunk began.
            let end = Self.index(of: 0x0A, in: base, count: count)
            appendToLine(base, end)
            guard end < count else { return }
            flushCarry(endsLine: true)
            lineStart = end + 1
        }
        var index = lineStart
        var special = false
        while index < count {
            let found = index + eg_find_any5(base + index, count - index, 0x0A, 0x5C, 0x25, 0x3D, 0x3B)
            guard found < count else { break }
            if base[found] == 0x0A {
                lineEnded(UnsafeBufferPointer(start: base + lineStart, count: found - lineStart), special: special)
                lineStart = found + 1
                special = false
                index = found + 1
            } else {
                // The line is read in detail anyway: go straight to its end.
                special = true
                index = found + 1
                index += Self.index(of: 0x0A, in: base + index, count: count - index)
            }
        }
        if lineStart < count { appendToLine(base + lineStart, count - lineStart) }
    }

    /// Keeps the start of a line that goes on in the next chunk; a line is looked at in
    /// pieces of ``maximumLine`` bytes from its start, however the chunks fall.
    private mutating func appendToLine(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
        var taken = 0
        while taken < count {
            let take = min(Self.maximumLine - carry.count, count - taken)
            carry.append(contentsOf: UnsafeBufferPointer(start: bytes + taken, count: take))
            taken += take
            if carry.count == Self.maximumLine { flushCarry(endsLine: false) }
        }
    }

    /// The text ended: closes what is open.
    mutating func finish() {
        if !carry.isEmpty { flushCarry(endsLine: true) }
        closeBlock()
        closeQuotedPrintable()
    }

    private mutating func flushCarry(endsLine: Bool) {
        inLongLine = !endsLine
        guard !carry.isEmpty else {
            // A long line whose last piece was just looked at.
            if endsLine { line += 1 }
            return
        }
        let text = carry
        carry.removeAll(keepingCapacity: true)
        text.withUnsafeBufferPointer { buffer in
            let special = eg_find_any5(buffer.baseAddress!, buffer.count, 0x5C, 0x25, 0x3D, 0x3B, 0x3B) < buffer.count
            examine(buffer, special: special)
        }
        if endsLine { line += 1 }
    }

    private mutating func lineEnded(_ text: UnsafeBufferPointer<UInt8>, special: Bool) {
        guard text.count > Self.maximumLine, let base = text.baseAddress else {
            examine(text, special: special)
            line += 1
            return
        }
        // The same pieces as a line that came in several chunks.
        var start = 0
        while start < text.count {
            let piece = UnsafeBufferPointer(start: base + start, count: min(Self.maximumLine, text.count - start))
            examine(piece, special: eg_find_any5(piece.baseAddress!, piece.count, 0x5C, 0x25, 0x3D, 0x3B, 0x3B) < piece.count)
            start += piece.count
        }
        line += 1
    }

    // MARK: One line

    private mutating func examine(_ raw: UnsafeBufferPointer<UInt8>, special: Bool) {
        var text = raw
        if let last = text.last, last == 0x0D { text = UnsafeBufferPointer(rebasing: text.dropLast()) }
        if quotedPrintable != nil || special { quotedPrintableRuns(text) }
        base64(text, special: special)
        guard special else { return }
        unicodeEscapes(text)
        percentRuns(text)
    }

    /// The index of the first `byte` in `bytes[0 ..< count]`, or `count` (memchr, vectorised).
    private static func index(of byte: UInt8, in bytes: UnsafePointer<UInt8>, count: Int) -> Int {
        guard count > 0, let found = memchr(bytes, Int32(byte), count) else { return count }
        return bytes.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The index of the next `byte` in `text` at or after `start`, or nil.
    private static func next(_ byte: UInt8, in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < text.count, let base = text.baseAddress else { return nil }
        let found = start + index(of: byte, in: base + start, count: text.count - start)
        return found < text.count ? found : nil
    }

    // MARK: Base64

    private static func isBase64(_ byte: UInt8) -> Bool {
        Self.isAlphanumeric(byte) || byte == 0x2B || byte == 0x2F
    }

    private mutating func base64(_ text: UnsafeBufferPointer<UInt8>, special: Bool) {
        let trimmed = text.trimmingASCIIWhitespace
        if inPEM {
            if trimmed.starts(with: Array("-----END".utf8)) {
                closeBlock()
                inPEM = false
                return
            }
            if trimmed.allSatisfy({ Self.isBase64($0) || $0 == 0x3D }) {
                append(toBlock: trimmed)
                return
            }
            // Headers (`Version: …`) and the blank line after them belong to the block; any
            // other line means its END is missing: the block ends here.
            if trimmed.contains(0x3A) && block?.isEmpty != false { return }
            closeBlock()
            inPEM = false
        }
        if trimmed.starts(with: Array("-----BEGIN ".utf8)), trimmed.count > 16, trimmed.suffix(5).elementsEqual(Array("-----".utf8)) {
            closeBlock()
            let label = String(decoding: trimmed.dropFirst(11).dropLast(5), as: UTF8.self)
            // A signature or a public key says nothing itself (a PGP-signed mail carries one).
            block = Self.notContent.contains(label) ? nil : []
            blockLine = line + 1
            inPEM = true
            return
        }
        let wholeLine = trimmed.count >= 4 && trimmed.allSatisfy { Self.isBase64($0) || $0 == 0x3D }
            && !trimmed.dropLast(2).contains(0x3D)
        if wholeLine, block != nil {
            append(toBlock: trimmed)
            if trimmed.last == 0x3D { closeBlock() }
            return
        }
        closeBlock()
        if wholeLine, trimmed.count >= Self.minimumBase64Line, Self.looksEncoded(trimmed) {
            block = []
            blockLine = line
            append(toBlock: trimmed)
            if trimmed.last == 0x3D { closeBlock() }
            return
        }
        if special, text.count >= 24 { dataURIs(text) }
    }

    /// PEM labels of blocks that hold no content of their own.
    static let notContent: Set<String> = ["PGP SIGNATURE", "SIGNATURE", "PGP PUBLIC KEY BLOCK", "PUBLIC KEY", "SSH2 PUBLIC KEY"]

    /// Random data in base64 mixes upper and lower case and digits; words and hex do not.
    private static func looksEncoded(_ text: some Collection<UInt8>) -> Bool {
        var upper = false, lower = false, other = false
        for byte in text {
            if byte &- 0x41 < 26 { upper = true } else if byte &- 0x61 < 26 { lower = true } else { other = true }
        }
        return upper && lower && other
    }

    private mutating func append(toBlock text: some Collection<UInt8>) {
        guard block != nil else { return }
        if block!.count + text.count > Self.maximumHeldBytes / 3 * 4 {
            overflowed = true
            block = nil
            inPEM = false
            return
        }
        block!.append(contentsOf: text)
    }

    private mutating func closeBlock() {
        guard let characters = block else { return }
        let framed = inPEM
        block = nil
        inPEM = false
        guard let decoded = Self.decodeBase64(characters), framed || decoded.count >= 16 else { return }
        if framed || Self.isReadable(decoded) {
            hold(Run(kind: .base64, line: blockLine, bytes: decoded))
        }
    }

    /// `data:…;base64,…` in the line.
    private mutating func dataURIs(_ text: UnsafeBufferPointer<UInt8>) {
        let marker = Array(";base64,".utf8)
        var index = 0
        while let found = text[index...].firstRange(of: marker) {
            var end = found.upperBound
            while end < text.count, Self.isBase64(text[end]) || text[end] == 0x3D { end += 1 }
            if end - found.upperBound >= 16, let decoded = Self.decodeBase64(Array(text[found.upperBound..<end])) {
                hold(Run(kind: .base64, line: line, bytes: decoded))
            }
            index = max(end, found.upperBound)
        }
    }

    /// Standard base64 (padding optional, whitespace already removed); nil when malformed.
    static func decodeBase64(_ characters: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(characters.count / 4 * 3 + 3)
        var group: UInt32 = 0
        var bits = 0
        for byte in characters {
            let value: UInt32
            switch byte {
            case 0x41...0x5A: value = UInt32(byte - 0x41)
            case 0x61...0x7A: value = UInt32(byte - 0x61 + 26)
            case 0x30...0x39: value = UInt32(byte - 0x30 + 52)
            case 0x2B: value = 62
            case 0x2F: value = 63
            case 0x3D: continue
            default: return nil
            }
            group = group << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: group >> UInt32(bits)))
            }
        }
        return output
    }

    /// Whether unframed decoded bytes are worth reading: a format the inspector knows (an
    /// archive, a document, a picture) or clean UTF-8 text.
    private static func isReadable(_ bytes: [UInt8]) -> Bool {
        let kind = bytes.withUnsafeBytes { ContentKind.sniff(UnsafeRawBufferPointer(rebasing: $0.prefix(4096))) }
        switch kind {
        case .binary, .empty, .zeros, .legacyText, .utf16, .utf32, .unreadableArchive:
            return false
        case .utf8Text:
            guard let text = String(validating: bytes, as: UTF8.self) else { return false }
            return text.unicodeScalars.allSatisfy { $0.value >= 0x20 || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        default:
            return true
        }
    }

    // MARK: \uXXXX

    private mutating func unicodeEscapes(_ text: UnsafeBufferPointer<UInt8>) {
        var index = 0
        while let backslash = Self.next(0x5C, in: text, from: index), backslash + 5 < text.count {
            index = backslash
            guard text[index + 1] == 0x75, let first = Self.hex(text, index + 2, digits: 4), first >= 0x80 else {
                index += 1
                continue
            }
            // A run: escapes and plain characters up to the string's closing quote.
            var decoded: [UInt8] = []
            var position = index
            var pendingHigh: UInt32?
            func emit(_ value: UInt32) {
                let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                decoded.append(contentsOf: String(Character(scalar)).utf8)
            }
            while position < text.count, text[position] != 0x22 {
                if text[position] == 0x5C, position + 1 < text.count {
                    let escape = text[position + 1]
                    if escape == 0x75, let value = Self.hex(text, position + 2, digits: 4) {
                        position += 6
                        if (0xD800...0xDBFF).contains(value) {
                            if pendingHigh != nil { emit(0xFFFD) }
                            pendingHigh = value
                            continue
                        }
                        if (0xDC00...0xDFFF).contains(value), let high = pendingHigh {
                            emit(0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00))
                            pendingHigh = nil
                            continue
                        }
                        if pendingHigh != nil { emit(0xFFFD); pendingHigh = nil }
                        emit(value)
                        continue
                    }
                    if pendingHigh != nil { emit(0xFFFD); pendingHigh = nil }
                    switch escape {
                    case 0x6E: decoded.append(0x0A)
                    case 0x74: decoded.append(0x09)
                    case 0x72: decoded.append(0x0D)
                    case 0x62, 0x66: decoded.append(0x20)
                    default: decoded.append(escape)   // \" \\ \/ and anything else as itself
                    }
                    position += 2
                    continue
                }
                if pendingHigh != nil { emit(0xFFFD); pendingHigh = nil }
                decoded.append(text[position])
                position += 1
            }
            if pendingHigh != nil { emit(0xFFFD) }
            hold(Run(kind: .unicodeEscapes, line: line, bytes: decoded))
            index = max(position, index + 6)
        }
    }

    // MARK: %XX

    /// Characters a URL or form body holds besides `%XX`.
    private static func isURLCharacter(_ byte: UInt8) -> Bool {
        Self.isAlphanumeric(byte) || "-._~+!*'(),;:@&=$/?#[]".utf8.contains(byte)
    }

    private mutating func percentRuns(_ text: UnsafeBufferPointer<UInt8>) {
        var index = 0
        while let percent = Self.next(0x25, in: text, from: index), percent + 5 < text.count {
            index = percent
            guard Self.twoHighEscapes(text, at: index) else {
                index += 1
                continue
            }
            var decoded: [UInt8] = []
            var position = index
            while position < text.count {
                let byte = text[position]
                if byte == 0x25, let value = Self.hex(text, position + 1, digits: 2) {
                    decoded.append(UInt8(value))
                    position += 3
                } else if Self.isURLCharacter(byte) {
                    decoded.append(byte == 0x2B ? 0x20 : byte)
                    position += 1
                } else {
                    break
                }
            }
            hold(Run(kind: .percentEncoded, line: line, bytes: decoded))
            index = position
        }
    }

    // MARK: =XX

    private mutating func quotedPrintableRuns(_ text: UnsafeBufferPointer<UInt8>) {
        var index = 0
        if quotedPrintable != nil {
            // The run goes on from the last line's soft line break.
            index = decodeQuotedPrintable(text, from: 0)
        }
        while let equals = Self.next(0x3D, in: text, from: index), equals + 5 < text.count {
            index = equals
            guard Self.twoHighEscapes(text, at: index) else {
                index += 1
                continue
            }
            quotedPrintable = []
            quotedPrintableLine = line
            index = decodeQuotedPrintable(text, from: index)
        }
    }

    /// Decodes from `start` to the end of the line (or the first space after the run's text);
    /// keeps the run open when the line ends in a soft line break. Returns where it stopped.
    private mutating func decodeQuotedPrintable(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var position = start
        while position < text.count {
            let byte = text[position]
            if byte == 0x3D {
                if position + 1 == text.count {
                    // `=` at the end of the line: a soft line break, the run goes on.
                    return text.count
                }
                if let value = Self.hex(text, position + 1, digits: 2) {
                    guard (quotedPrintable?.count ?? 0) < Self.maximumHeldBytes else {
                        // Held no further: the run is over the limit.
                        overflowed = true
                        quotedPrintable = nil
                        return text.count
                    }
                    quotedPrintable?.append(UInt8(value))
                    position += 3
                    continue
                }
            }
            quotedPrintable?.append(byte)
            position += 1
        }
        closeQuotedPrintable()
        return position
    }

    private mutating func closeQuotedPrintable() {
        guard let decoded = quotedPrintable else { return }
        quotedPrintable = nil
        hold(Run(kind: .quotedPrintable, line: quotedPrintableLine, bytes: decoded))
    }

    // MARK: Helpers

    /// Two escapes of non-ASCII bytes in a row (`%E6%9C`, `=E6=9C`) at `index`, marked by the
    /// byte there: what begins a percent-encoded or quoted-printable run (one character of
    /// UTF-8 or GBK takes two bytes or more).
    private static func twoHighEscapes(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + 5 < text.count, text[index + 3] == text[index],
              let first = hex(text, index + 1, digits: 2), let second = hex(text, index + 4, digits: 2) else { return false }
        return first >= 0x80 && second >= 0x80
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10 || (byte | 0x20) &- 0x61 < 26
    }

    private static func hex(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, digits: Int) -> UInt32? {
        guard start + digits <= text.count else { return nil }
        var value: UInt32 = 0
        for k in start..<(start + digits) {
            let byte = text[k]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private mutating func hold(_ run: Run) {
        guard !run.bytes.isEmpty else { return }
        guard heldBytes + run.bytes.count <= Self.maximumHeldBytes, runs.count < Self.maximumRuns else {
            overflowed = true
            return
        }
        heldBytes += run.bytes.count
        runs.append(run)
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Without ASCII spaces and tabs at either end.
    var trimmingASCIIWhitespace: Slice<UnsafeBufferPointer<UInt8>> {
        var start = startIndex, end = endIndex
        while start < end, self[start] == 0x20 || self[start] == 0x09 { start += 1 }
        while end > start, self[end - 1] == 0x20 || self[end - 1] == 0x09 { end -= 1 }
        return self[start..<end]
    }
}
