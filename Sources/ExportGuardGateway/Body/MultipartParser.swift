import ExportGuardInspection
import Glibc

/// A streaming `multipart/*` parser (RFC 2046, RFC 7578 for form data): fed bytes in any
/// pieces, it reports each part's start (with its headers), its body bytes and its end,
/// holding no more than a part head and a boundary's length of bytes.
///
/// Bytes outside parts are reported too, so nothing escapes inspection: a preamble or an
/// epilogue with anything but whitespace becomes a segment of its own, and a body whose
/// boundary never appears is all preamble.
public struct MultipartParser: Sendable {
    public struct PartInfo: Sendable, Hashable {
        /// 1-based.
        public var index: Int
        /// The form field name (`Content-Disposition: form-data; name=...`).
        public var fieldName: String?
        /// The file name, when the part is a file.
        public var fileName: String?
        public var contentType: String?
        /// The part's head could not be read (too large); its bytes are inspected as body.
        public var malformedHead: Bool
    }

    public enum Segment: Sendable, Hashable {
        case preamble
        case part(PartInfo)
        case epilogue

        /// How the segment is named in locations: `part 1 (report.docx)`.
        public var displayName: String {
            switch self {
            case .preamble: "preamble"
            case .epilogue: "epilogue"
            case .part(let info):
                if let file = info.fileName, !file.isEmpty { "part \(info.index) (\(file))" }
                else if let field = info.fieldName, !field.isEmpty { "part \(info.index) (field \(field))" }
                else { "part \(info.index)" }
            }
        }
    }

    public enum Event: Sendable, Hashable {
        case begin(Segment)
        case data([UInt8])
        case end
    }

    private enum State: Sendable {
        /// Looking for a delimiter; data belongs to the open segment (or the preamble).
        case body
        /// Just matched `CRLF--boundary`: deciding between a part, the close delimiter or a false match.
        case afterDelimiter
        /// Reading a part's head.
        case head
        /// After the close delimiter (or the part limit): everything is epilogue data.
        case epilogue
    }

    public let maxPartHeadBytes: Int
    public let maxParts: Int
    private let delimiter: [UInt8]
    private var pending: [UInt8]
    private var position = 0
    private var state = State.body
    private var open: Segment?
    private var heldWhitespace: [UInt8] = []
    private var holding = true
    private var partCount = 0
    public private(set) var sawCloseDelimiter = false
    private static let whitespaceHoldLimit = 1024

    public init(boundary: String, maxPartHeadBytes: Int = 16 << 10, maxParts: Int = 1000) {
        self.delimiter = Array("\r\n--\(boundary)".utf8)
        self.maxPartHeadBytes = maxPartHeadBytes
        self.maxParts = maxParts
        // The first delimiter may start the body: parse as if a CRLF came before it.
        self.pending = [0x0D, 0x0A]
    }

    /// Feeds bytes; returns the events they complete.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [Event] {
        if position > 0 && position >= pending.count / 2 {
            pending.removeFirst(position)
            position = 0
        }
        pending.append(contentsOf: bytes)
        var events: [Event] = []
        process(&events, final: false)
        return events
    }

    /// The input ended: flushes what is held and closes the open segment.
    public mutating func finish() -> [Event] {
        var events: [Event] = []
        process(&events, final: true)
        switch state {
        case .afterDelimiter:
            // The input ended right after a delimiter: the part simply ends.
            position = pending.count
        case .head:
            // A part head that never ended: its bytes are inspected as the part's data.
            let rest = Array(pending[position...])
            position = pending.count
            closeSegment(&events)
            beginPartWithoutHead(&events)
            emit(rest, &events)
        case .body:
            let rest = Array(pending[position...])
            position = pending.count
            emit(rest, &events)
        case .epilogue:
            break
        }
        flushHeld(&events, force: false)
        if open != nil {
            events.append(.end)
            open = nil
        }
        return events
    }

    private mutating func process(_ events: inout [Event], final: Bool) {
        while true {
            switch state {
            case .body:
                if let match = find(delimiter, from: position) {
                    emit(pending[position..<match], &events)
                    position = match + delimiter.count
                    state = .afterDelimiter
                } else {
                    // Keep what could be the start of a delimiter.
                    let safe = max(position, pending.count - (delimiter.count - 1))
                    if safe > position {
                        emit(pending[position..<safe], &events)
                        position = safe
                    }
                    return
                }
            case .afterDelimiter:
                let available = pending.count - position
                guard available >= 2 else { return }
                if pending[position] == 0x2D && pending[position + 1] == 0x2D {
                    // Close delimiter.
                    position += 2
                    closeSegment(&events)
                    sawCloseDelimiter = true
                    state = .epilogue
                    open = nil
                    holding = true
                    heldWhitespace = []
                    continue
                }
                // Transport padding, then CRLF.
                var index = position
                while index < pending.count && (pending[index] == 0x20 || pending[index] == 0x09) { index += 1 }
                if index - position > 256 {
                    falseDelimiter(&events)
                    continue
                }
                guard index + 1 < pending.count else {
                    if index < pending.count && pending[index] != 0x0D { falseDelimiter(&events) ; continue }
                    return
                }
                guard pending[index] == 0x0D && pending[index + 1] == 0x0A else {
                    falseDelimiter(&events)
                    continue
                }
                position = index + 2
                closeSegment(&events)
                if partCount >= maxParts {
                    // Past the part limit the rest is inspected as one segment.
                    partCount += 1
                    open = .part(PartInfo(index: partCount, fieldName: "rest", fileName: nil, contentType: nil, malformedHead: true))
                    events.append(.begin(open!))
                    state = .epilogue
                    continue
                }
                state = .head
            case .head:
                let available = pending[position...]
                if let headEnd = headEnd(available) {
                    let head = Array(pending[position..<headEnd])
                    position = headEnd
                    beginPart(head: head, &events)
                    state = .body
                    continue
                }
                if available.count > maxPartHeadBytes {
                    beginPartWithoutHead(&events)
                    state = .body
                    continue
                }
                return
            case .epilogue:
                if position < pending.count {
                    emit(pending[position...], &events)
                    position = pending.count
                }
                return
            }
        }
    }

    /// A `CRLF--boundary` that is followed by something else is part of the data.
    private mutating func falseDelimiter(_ events: inout [Event]) {
        emit(delimiter, &events)
        state = .body
    }

    private mutating func closeSegment(_ events: inout [Event]) {
        if open != nil {
            events.append(.end)
            open = nil
        }
        // A preamble of whitespace only is dropped.
        heldWhitespace = []
        holding = false
    }

    private mutating func beginPart(head: [UInt8], _ events: inout [Event]) {
        partCount += 1
        var info = PartInfo(index: partCount, fieldName: nil, fileName: nil, contentType: nil, malformedHead: false)
        if let block = try? HeaderBlock.parse([UInt8]("part\r\n".utf8) + head, strict: false) {
            info.contentType = block["Content-Type"]
            if let disposition = block["Content-Disposition"] {
                // RFC 7578/8187: `filename*` wins over `filename`; the shared parser decodes both.
                let media = MIMEParameters(parsing: Array(disposition.utf8), dialect: .http)
                info.fieldName = media["name"].map(Self.cleanName)
                info.fileName = media["filename"].map(Self.cleanName)
            }
        }
        open = .part(info)
        events.append(.begin(open!))
    }

    private mutating func beginPartWithoutHead(_ events: inout [Event]) {
        partCount += 1
        open = .part(PartInfo(index: partCount, fieldName: nil, fileName: nil, contentType: nil, malformedHead: true))
        events.append(.begin(open!))
    }

    /// Emits data for the open segment; before any part, as preamble (once it is more than whitespace).
    private mutating func emit(_ bytes: some Collection<UInt8>, _ events: inout [Event]) {
        guard !bytes.isEmpty else { return }
        if open == nil {
            if state == .epilogue || partCount == 0 || holding {
                // Preamble or epilogue: hold whitespace, open the segment when anything else shows.
                if holding {
                    heldWhitespace.append(contentsOf: bytes)
                    flushHeld(&events, force: false)
                    return
                }
                open = partCount == 0 && !sawCloseDelimiter ? .preamble : .epilogue
                events.append(.begin(open!))
            } else {
                open = .epilogue
                events.append(.begin(open!))
            }
        }
        events.append(.data(Array(bytes)))
    }

    private mutating func flushHeld(_ events: inout [Event], force: Bool) {
        guard holding, !heldWhitespace.isEmpty else { return }
        var meaningful = heldWhitespace
        if partCount == 0 && !sawCloseDelimiter && meaningful.starts(with: [0x0D, 0x0A]) {
            // Drop the virtual CRLF put before the first delimiter.
            meaningful.removeFirst(2)
        }
        let onlySpace = meaningful.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        guard force || !onlySpace || meaningful.count > Self.whitespaceHoldLimit else { return }
        holding = false
        heldWhitespace = []
        guard !meaningful.isEmpty else { return }
        open = partCount == 0 && !sawCloseDelimiter ? .preamble : .epilogue
        events.append(.begin(open!))
        events.append(.data(meaningful))
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard needle.count > 0, pending.count - start >= needle.count else { return nil }
        let first = needle[0]
        var index = start
        let last = pending.count - needle.count
        return pending.withUnsafeBufferPointer { haystack -> Int? in
            needle.withUnsafeBufferPointer { pattern -> Int? in
                while index <= last {
                    guard let hit = UnsafeBufferPointer(rebasing: haystack[index...last]).firstIndex(of: first) else { return nil }
                    let at = index + hit
                    if memcmp(haystack.baseAddress! + at, pattern.baseAddress!, pattern.count) == 0 { return at }
                    index = at + 1
                }
                return nil
            }
        }
    }

    /// Index just past the empty line ending a part head (the head may be empty).
    private func headEnd(_ bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        var lineStart = index
        while index < bytes.endIndex {
            if bytes[index] == 0x0A {
                let line = bytes[lineStart..<index]
                if line.isEmpty || (line.count == 1 && line.first == 0x0D) { return index + 1 }
                lineStart = index + 1
            }
            index += 1
        }
        return nil
    }

    public static func cleanName(_ name: String) -> String {
        // Browsers on some systems send a full path; keep the last component, printable, short.
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? name
        let printable = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
        return printable.count > 120 ? String(printable.prefix(120)) : printable
    }
}
