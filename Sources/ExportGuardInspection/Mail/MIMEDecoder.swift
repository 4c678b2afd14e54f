import ExportGuardCore
import Glibc

/// Reads a mail message (RFC 5322 and MIME, RFC 2045–2049) as it streams, or an mbox of
/// messages, and re-enters the dispatcher for every part, so an attachment is sniffed and
/// unpacked like any other input.
///
/// Locations, for a message `message.eml`:
/// - `message.eml!Subject:` (`From:`, `To:`, `Cc:` …): header text, encoded words decoded;
///   for senders and recipients only their display names.
/// - `message.eml!part 1`: the body of a message that is not multipart.
/// - `message.eml!part 2 (customers.csv)`: the second part of a multipart message, named
///   by its file name when it has one; parts of a nested multipart are numbered as IMAP
///   numbers them, `part 2.1`, `part 2.2`.
/// - `message.eml!part 2 (customers.csv)!Content-Disposition:`: a part's header text (its
///   file name, its description).
/// - `message.eml!part 3 (fwd.eml)!Subject:`: an attached message (`message/rfc822`) is a
///   part like any other; its content is sniffed as mail and read the same way.
/// - `inbox.mbox!message 2!part 1`: each message of an mbox is a stream of its own.
///
/// Nothing is held whole: part bodies stream through their transfer decoding to a child;
/// a header block is held up to ``InspectionLimits/maxMailHeaderBytes``; to find boundary
/// lines across chunks only the start of a line (at most a boundary's length plus some
/// white space) and its preceding line break are held back. Preambles and epilogues are
/// not text of the message and are skipped.
///
/// Failing closed: an oversized header block, too many parts, a multipart whose closing
/// boundary never comes, malformed base64 or quoted-printable, an unknown transfer
/// encoding are reported as uninspected; the rest of the message is still read.
final class MIMEDecoder {
    private let maxHeaderBytes: Int
    private let maxParts: Int
    private let maxMessages: Int
    private let sniffBytes: Int

    /// An open multipart: its delimiter line (`--` and the boundary), where it is.
    private struct Frame {
        let delimiter: [UInt8]
        let path: [Int]
        let location: Location
        let type: String
        var parts = 0
    }

    /// The entity whose header block is being read.
    private struct Entity {
        /// The part number (`[2, 1]` for part 2.1); empty for the message itself.
        let path: [Int]
        /// Parts of a multipart/digest are messages unless they say otherwise.
        let inDigest: Bool
        var isMessage: Bool { path.isEmpty }
    }

    private enum Mode {
        case headers(MailHeaderBlock, Entity)
        case body(MailPartBody)
        /// Preamble, epilogue, a part that cannot be read.
        case discard
        /// A message of an mbox, streamed to its own child.
        case mboxMessage(StreamDispatcher)
    }

    private var mode: Mode
    private var frames: [Frame] = []
    private var partsInMessage = 0
    private var mbox = false
    private var messages = 0

    // The line scanner.
    /// At the start of a line, its first bytes while they could still be a boundary line
    /// or an mbox `From ` line.
    private var atLineStart = true
    private var lineHead: [UInt8] = []
    /// The previous line's break, held back: before a boundary line it belongs to the boundary.
    private var pendingEOL: [UInt8] = []
    /// A CR at the end of a chunk, which may start a CR LF.
    private var heldCR = false
    private var lineLength = 0
    private var previousLineEmpty = true
    private var firstLineDecided = false
    /// The rest of an mbox `From ` line, skipped.
    private var skippingLine = false

    private static let lf: [UInt8] = [0x0A]
    private static let crlf: [UInt8] = [0x0D, 0x0A]
    private static let mboxFrom = Array("From ".utf8)
    /// White space after a boundary (transport padding) still taken for a boundary line.
    static let maxBoundaryPadding = 128
    /// Longest boundary taken (RFC 2046 allows 70).
    static let maxBoundaryLength = 200

    init(limits: InspectionLimits) {
        maxHeaderBytes = limits.maxMailHeaderBytes
        maxParts = limits.maxMailParts
        maxMessages = limits.maxEntries
        sniffBytes = limits.sniffBytes
        mode = .headers(MailHeaderBlock(maxBytes: limits.maxMailHeaderBytes, skipsLeadingBlankLines: true), Entity(path: [], inDigest: false))
    }
}

extension MIMEDecoder: StreamDecoder {
    func decode(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        let count = bytes.count
        var index = 0
        while index < count && !stream.isStopped {
            if skippingLine {
                if let lf = Self.firstLF(bytes, from: index) {
                    index = lf + 1
                    skippingLine = false
                    atLineStart = true
                    lineLength = 0
                    previousLineEmpty = false
                } else {
                    index = count
                }
                continue
            }
            if atLineStart {
                if classifying {
                    let byte = bytes[index]
                    index += 1
                    if byte == 0x0A {
                        headLineEnded(in: stream)
                    } else {
                        lineHead.append(byte)
                        switch classify(lineHead, final: false) {
                        case .undecided, .boundary:
                            break
                        case .content:
                            headIsContent(in: stream)
                        case .separator:
                            lineHead.removeAll()
                            pendingEOL.removeAll()
                            firstLineDecided = true
                            skippingLine = true
                            separator(in: stream)
                        }
                    }
                    continue
                }
                atLineStart = false
                firstLineDecided = true
                releasePendingEOL(in: stream)
                continue
            }
            if heldCR {
                heldCR = false
                if bytes[index] == 0x0A {
                    index += 1
                    endLine(Self.crlf, in: stream)
                    continue
                }
                content([0x0D], in: stream)
                continue
            }
            if let lf = Self.firstLF(bytes, from: index) {
                var end = lf
                var eol = Self.lf
                if end > index, bytes[end - 1] == 0x0D {
                    end -= 1
                    eol = Self.crlf
                }
                if end > index { content(UnsafeRawBufferPointer(rebasing: bytes[index..<end]), in: stream) }
                index = lf + 1
                endLine(eol, in: stream)
            } else {
                var end = count
                if bytes[count - 1] == 0x0D {
                    end -= 1
                    heldCR = true
                }
                if end > index { content(UnsafeRawBufferPointer(rebasing: bytes[index..<end]), in: stream) }
                index = count
            }
        }
    }

    func finish(in stream: StreamDispatcher) {
        if stream.isStopped {
            closeQuietly()
            return
        }
        // The last line, if it had no line break.
        skippingLine = false
        if heldCR {
            heldCR = false
            content([0x0D], in: stream)
        }
        if atLineStart, !lineHead.isEmpty {
            let line = lineHead
            lineHead.removeAll()
            var stripped = line
            if stripped.last == 0x0D { stripped.removeLast() }
            if case .boundary(let frame, let close) = classify(stripped, final: true) {
                pendingEOL.removeAll()
                boundary(frame: frame, close: close, in: stream)
            } else {
                releasePendingEOL(in: stream)
                content(line, in: stream)
            }
        }
        releasePendingEOL(in: stream)
        guard !stream.isStopped else {
            closeQuietly()
            return
        }
        endEntity(in: stream)
        if case .mboxMessage(let child) = mode {
            child.finish()
            mode = .discard
        }
        reportOpenFrames(above: -1, in: stream)
    }
}

// MARK: - Lines

extension MIMEDecoder {
    private enum HeadClass {
        case undecided
        case content
        case separator
        case boundary(Int, close: Bool)
    }

    private var separatorPossible: Bool {
        !firstLineDecided || (mbox && previousLineEmpty)
    }

    /// Whether the start of a line must be held until it is known not to be a boundary or
    /// an mbox separator.
    private var classifying: Bool {
        !frames.isEmpty || separatorPossible
    }

    private func classify(_ head: [UInt8], final: Bool) -> HeadClass {
        var possible = false
        if separatorPossible {
            if head.count >= Self.mboxFrom.count {
                if head.starts(with: Self.mboxFrom) { return .separator }
            } else if !final, Self.mboxFrom.starts(with: head) {
                possible = true
            }
        }
        for index in frames.indices.reversed() {
            let delimiter = frames[index].delimiter
            if head.count < delimiter.count {
                if !final, delimiter.starts(with: head) { possible = true }
                continue
            }
            guard head.starts(with: delimiter) else { continue }
            let rest = head[delimiter.count...]
            if final {
                if let close = Self.boundaryTail(rest) { return .boundary(index, close: close) }
            } else if Self.couldBeBoundaryTail(rest) {
                possible = true
            }
        }
        return possible ? .undecided : .content
    }

    /// What may follow the boundary on its line, complete: nothing, or `--` for the close
    /// delimiter, then white space. Nil if it is not a boundary line.
    private static func boundaryTail(_ rest: ArraySlice<UInt8>) -> Bool? {
        var tail = rest
        while let last = tail.last, last == 0x20 || last == 0x09 { tail.removeLast() }
        if tail.isEmpty { return false }
        if tail.elementsEqual([0x2D, 0x2D]) { return true }
        return nil
    }

    /// Whether the bytes after a boundary so far can still make a boundary line.
    private static func couldBeBoundaryTail(_ rest: ArraySlice<UInt8>) -> Bool {
        guard rest.count <= 2 + maxBoundaryPadding + 1 else { return false }
        var index = rest.startIndex
        if index < rest.endIndex, rest[index] == 0x2D {
            index += 1
            if index == rest.endIndex { return true }
            guard rest[index] == 0x2D else { return false }
            index += 1
        }
        while index < rest.endIndex, rest[index] == 0x20 || rest[index] == 0x09 { index += 1 }
        return index == rest.endIndex || (index == rest.endIndex - 1 && rest[index] == 0x0D)
    }

    private static func firstLF(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let found = memchr(base + start, 0x0A, bytes.count - start) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }

    /// A line ended while its start was held: a boundary line, or content after all.
    private func headLineEnded(in stream: StreamDispatcher) {
        var line = lineHead
        lineHead.removeAll()
        var eol = Self.lf
        if line.last == 0x0D {
            line.removeLast()
            eol = Self.crlf
        }
        firstLineDecided = true
        if case .boundary(let frame, let close) = classify(line, final: true) {
            pendingEOL.removeAll()
            lineLength = 0
            previousLineEmpty = false
            atLineStart = true
            boundary(frame: frame, close: close, in: stream)
            return
        }
        releasePendingEOL(in: stream)
        if !line.isEmpty { content(line, in: stream) }
        endLine(eol, in: stream)
    }

    /// The held start of a line cannot be a boundary: it is content.
    private func headIsContent(in stream: StreamDispatcher) {
        firstLineDecided = true
        atLineStart = false
        releasePendingEOL(in: stream)
        var head = lineHead
        lineHead.removeAll()
        if head.last == 0x0D {
            head.removeLast()
            heldCR = true
        }
        if !head.isEmpty { content(head, in: stream) }
    }

    private func content(_ bytes: [UInt8], in stream: StreamDispatcher) {
        bytes.withUnsafeBytes { content($0, in: stream) }
    }

    private func content(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        lineLength += bytes.count
        deliver(bytes, in: stream)
    }

    private func endLine(_ eol: [UInt8], in stream: StreamDispatcher) {
        previousLineEmpty = lineLength == 0
        lineLength = 0
        atLineStart = true
        guard case .headers(let block, let entity) = mode else {
            pendingEOL = eol
            return
        }
        // Header lines are taken at once: a blank line may open a multipart whose first
        // boundary is the very next line.
        let (result, overLimit) = block.endLine(eolLength: eol.count)
        if overLimit { reportHeaderLimit(entity, in: stream) }
        switch result {
        case .more:
            break
        case .end:
            beginBody(block, entity, in: stream)
        case .bodyStarts(let line):
            beginBody(block, entity, in: stream)
            line.withUnsafeBytes { deliver($0, in: stream) }
            pendingEOL = eol
        }
    }

    private func releasePendingEOL(in stream: StreamDispatcher) {
        guard !pendingEOL.isEmpty else { return }
        let eol = pendingEOL
        pendingEOL.removeAll()
        switch mode {
        case .body(let part):
            (part.normalizesLineEnds ? Self.lf : eol).withUnsafeBytes { part.feed($0, in: stream) }
        case .mboxMessage(let child):
            eol.withUnsafeBytes { bytes in if stream.charge(bytes.count) { child.feed(bytes) } }
        case .headers, .discard:
            break
        }
    }

    /// Content of the current line, to whatever reads it now.
    private func deliver(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        switch mode {
        case .headers(let block, let entity):
            if block.append(bytes) { reportHeaderLimit(entity, in: stream) }
        case .body(let part):
            part.feed(bytes, in: stream)
        case .mboxMessage(let child):
            if stream.charge(bytes.count) { child.feed(bytes) }
        case .discard:
            break
        }
    }
}

// MARK: - Structure

extension MIMEDecoder {
    /// An mbox `From ` line: the first line makes the input an mbox; later ones end a message.
    private func separator(in stream: StreamDispatcher) {
        if case .mboxMessage(let child) = mode { child.finish() }
        mode = .discard
        mbox = true
        frames.removeAll()
        messages += 1
        guard messages <= maxMessages else {
            stream.stop(.limitExceeded("more than \(maxMessages) messages in an mbox"))
            return
        }
        mode = .mboxMessage(stream.child(named: "message \(messages)"))
    }

    /// A boundary line of the multipart at `index` on the stack.
    private func boundary(frame index: Int, close: Bool, in stream: StreamDispatcher) {
        endEntity(in: stream)
        reportOpenFrames(above: index, in: stream)
        guard index < frames.count else { return }
        if close {
            frames.removeLast()
            mode = .discard
            return
        }
        frames[index].parts += 1
        partsInMessage += 1
        guard partsInMessage <= maxParts else {
            stream.stop(.limitExceeded("more than \(maxParts) parts in a message"))
            return
        }
        let frame = frames[index]
        mode = .headers(MailHeaderBlock(maxBytes: maxHeaderBytes), Entity(path: frame.path + [frame.parts], inDigest: frame.type == "multipart/digest"))
    }

    /// Ends the entity being read: a header block without its body yet, or a body.
    private func endEntity(in stream: StreamDispatcher) {
        if case .headers(let block, let entity) = mode {
            block.finish()
            beginBody(block, entity, in: stream)
        }
        if case .body(let part) = mode {
            mode = .discard
            part.finish(in: stream)
        }
        if case .mboxMessage = mode { return }
        mode = .discard
    }

    /// Multiparts above `index` on the stack ended without their closing boundary.
    private func reportOpenFrames(above index: Int, in stream: StreamDispatcher) {
        while frames.count > index + 1 {
            let frame = frames.removeLast()
            let detail = frame.parts == 0
                ? "MIME: no boundary of the \(frame.type) found"
                : "MIME: \(frame.type) ends without its closing boundary"
            stream.uninspected(.corrupt(detail), at: frame.location)
        }
    }

    private func closeQuietly() {
        switch mode {
        case .body(let part): part.close()
        case .mboxMessage(let child): child.finish()
        case .headers, .discard: break
        }
        mode = .discard
        frames.removeAll()
    }

    private func reportHeaderLimit(_ entity: Entity, in stream: StreamDispatcher) {
        let location = entity.isMessage ? stream.location : stream.location.appending(part: Self.partName(entity.path, filename: nil))
        stream.uninspected(.limitExceeded("a mail header block longer than \(maxHeaderBytes) bytes"), at: location)
    }

    static func partName(_ path: [Int], filename: String?) -> String {
        let number = "part " + path.map(String.init).joined(separator: ".")
        guard let filename else { return number }
        var cleaned = String(String.UnicodeScalarView(filename.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
            .trimmingWhitespace
        if cleaned.count > 200 { cleaned = String(cleaned.prefix(200)) + "…" }
        return cleaned.isEmpty ? number : "\(number) (\(cleaned))"
    }

    /// The header block is complete: its text is emitted, and its body set up.
    private func beginBody(_ block: MailHeaderBlock, _ entity: Entity, in stream: StreamDispatcher) {
        let contentType = block.contentType
        var type = contentType?.value ?? ""
        if contentType?.type.isEmpty != false || contentType?.subtype.isEmpty != false || type.contains(" ") {
            type = entity.inDigest ? "message/rfc822" : "text/plain"
        }
        let encoding = block.transferEncoding ?? ""
        let dispositionName = block.disposition?["filename"].flatMap { $0.isEmpty ? nil : $0 }
        let typeName = contentType?["name"].flatMap { $0.isEmpty ? nil : $0 }
        let filename = dispositionName ?? typeName

        let entityLocation = entity.isMessage ? stream.location : stream.location.appending(part: Self.partName(entity.path, filename: filename))
        for (header, text) in block.texts {
            // A file name given twice, the same, is one text.
            if header == "Content-Type:", typeName == dispositionName { continue }
            Self.emit(text, at: entityLocation.appending(part: header), in: stream)
        }

        let identity = ["", "7bit", "8bit", "binary"].contains(encoding)
        if type.hasPrefix("multipart/"), identity {
            if let boundary = contentType?["boundary"], Self.isValidBoundary(boundary) {
                frames.append(Frame(delimiter: Array("--\(boundary)".utf8), path: entity.path, location: entityLocation, type: type))
                mode = .discard
                return
            }
            stream.uninspected(.corrupt("MIME: \(type) without a valid boundary; read as one part"), at: entityLocation)
        }

        let location = entity.isMessage ? stream.location.appending(part: Self.partName([1], filename: filename)) : entityLocation
        let name = location.parts.last
        let transfer: MailPartBody.Transfer
        switch encoding {
        case "base64": transfer = .base64
        case "quoted-printable": transfer = .quotedPrintable
        case _ where identity: transfer = .identity
        default:
            stream.uninspected(.unsupported("MIME transfer encoding \(encoding)"), at: location)
            mode = .discard
            return
        }
        let isText = type.hasPrefix("text/")
        let charset = contentType?["charset"]
        let target: MailPartBody.Target
        if type == "text/html" {
            target = .html(HTMLPart(child: stream.child(named: name), charset: charset.flatMap(MailCharset.converterName), sniffBytes: sniffBytes))
        } else if isText {
            target = .child(stream.child(named: name, charset: charset))
        } else {
            target = .child(stream.child(named: name))
        }
        let normalizes = isText && (transfer == .quotedPrintable || (transfer == .identity && encoding != "binary"))
        mode = .body(MailPartBody(location: location, transfer: transfer, target: target, normalizesLineEnds: normalizes,
                                  findsUUEncoded: type == "text/plain"))
    }

    private static func isValidBoundary(_ boundary: String) -> Bool {
        let bytes = boundary.utf8
        return !bytes.isEmpty && bytes.count <= maxBoundaryLength && bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// Header text as a text part of its own.
    private static func emit(_ text: String, at location: Location, in stream: StreamDispatcher) {
        let part = StreamDispatcher(session: stream.session, location: location, depth: stream.depth + 1)
        var text = text
        text.withUTF8 { part.emitText(UnsafeRawBufferPointer($0)) }
        part.closeText()
    }
}

// MARK: - Part bodies

/// One part's body on its way out: transfer decoding (base64, quoted-printable or none),
/// then a child stream — through the dispatcher for anything but HTML, which is reduced to
/// text first.
final class MailPartBody {
    enum Transfer { case identity, base64, quotedPrintable }
    enum Target {
        case child(StreamDispatcher)
        case html(HTMLPart)
    }

    let location: Location
    /// Text parts in 7bit, 8bit or quoted-printable: their line breaks become LF.
    let normalizesLineEnds: Bool
    private let transfer: Transfer
    private var base64 = Base64StreamDecoder()
    private var quotedPrintable = QuotedPrintableStreamDecoder()
    private var target: Target?
    private var decoded: [UInt8] = []
    /// Files uuencoded or in BinHex inside a plain-text part.
    private var uuencoded: UUEncodedBlocks?
    private var binHex: BinHexBlocks?

    init(location: Location, transfer: Transfer, target: Target, normalizesLineEnds: Bool, findsUUEncoded: Bool = false) {
        self.location = location
        self.transfer = transfer
        self.target = target
        self.normalizesLineEnds = normalizesLineEnds
        if findsUUEncoded {
            uuencoded = UUEncodedBlocks()
            binHex = BinHexBlocks()
        }
    }

    func feed(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        guard target != nil, !bytes.isEmpty else { return }
        switch transfer {
        case .identity:
            deliver(bytes, in: stream)
        case .base64:
            decoded.removeAll(keepingCapacity: true)
            let valid = base64.decode(bytes, into: &decoded)
            decoded.withUnsafeBytes { deliver($0, in: stream) }
            if !valid { fail(.corrupt(base64.error ?? "base64: malformed"), in: stream) }
        case .quotedPrintable:
            decoded.removeAll(keepingCapacity: true)
            quotedPrintable.decode(bytes, into: &decoded)
            decoded.withUnsafeBytes { deliver($0, in: stream) }
        }
    }

    /// The part ended: what the decoding still holds goes out, the child is finished, and
    /// malformed input is reported.
    func finish(in stream: StreamDispatcher) {
        guard target != nil else { return }
        decoded.removeAll(keepingCapacity: true)
        switch transfer {
        case .identity:
            break
        case .base64:
            let valid = base64.finish(into: &decoded)
            decoded.withUnsafeBytes { deliver($0, in: stream) }
            if !valid {
                fail(.corrupt(base64.error ?? "base64: malformed"), in: stream)
                return
            }
        case .quotedPrintable:
            quotedPrintable.finish(into: &decoded)
            decoded.withUnsafeBytes { deliver($0, in: stream) }
        }
        close()
        if quotedPrintable.malformedEscapes > 0, !stream.isStopped {
            let count = quotedPrintable.malformedEscapes
            stream.uninspected(.corrupt("quoted-printable: \(count) malformed escape\(count == 1 ? "" : "s") kept as text"), at: location)
        }
    }

    /// Finishes the child without reporting anything.
    func close() {
        let open = target
        target = nil
        switch open {
        case .child(let child)?:
            uuencoded?.finish(part: child)
            uuencoded = nil
            binHex?.finish(part: child)
            binHex = nil
            child.finish()
        case .html(let html)?: html.finish()
        case nil: break
        }
    }

    private func deliver(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        guard !bytes.isEmpty, let target, stream.charge(bytes.count) else { return }
        switch target {
        case .child(let child):
            child.feed(bytes)
            uuencoded?.feed(bytes, part: child)
            binHex?.feed(bytes, part: child)
        case .html(let html): html.feed(bytes)
        }
    }

    /// The rest of the part cannot be decoded: what came before was inspected; the part is
    /// reported, and its remaining bytes are skipped.
    private func fail(_ reason: UninspectedReason, in stream: StreamDispatcher) {
        close()
        stream.uninspected(reason, at: location)
    }
}

/// An HTML part: converted to UTF-8 (from its declared charset, or sniffed from its first
/// bytes like any stream), reduced to text by ``HTMLTextExtractor``, and emitted at its
/// child's location.
final class HTMLPart {
    private let child: StreamDispatcher
    private let sniffBytes: Int
    private var converter: (any CharsetConverter)?
    private var decided: Bool
    private var head: [UInt8] = []
    private var utf8 = UTF8TextDecoder()
    private var extractor = HTMLTextExtractor()

    init(child: StreamDispatcher, charset: String?, sniffBytes: Int) {
        self.child = child
        self.sniffBytes = max(sniffBytes, 1)
        if let charset, let converter = CharsetConverters.make(from: charset) {
            self.converter = converter
            decided = true
        } else {
            decided = false
        }
    }

    func feed(_ bytes: UnsafeRawBufferPointer) {
        guard decided else {
            head.append(contentsOf: bytes)
            if head.count >= sniffBytes { decide() }
            return
        }
        convert(bytes, final: false)
    }

    func finish() {
        if !decided { decide() }
        convert(UnsafeRawBufferPointer(start: nil, count: 0), final: true)
        extractor.finish { child.emitText($0) }
        child.finish()
    }

    private func decide() {
        decided = true
        let held = head
        head = []
        held.withUnsafeBytes { bytes in
            // The first `sniffBytes` decide, however the input was cut into chunks.
            let window = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, sniffBytes)])
            if !UTF8Validator.looksLikeText(window), let charset = ContentKind.legacyChineseCharset(window) {
                converter = CharsetConverters.make(from: charset)
            }
            convert(bytes, final: false)
        }
    }

    private func convert(_ bytes: UnsafeRawBufferPointer, final: Bool) {
        let stats = { (count: Int) in self.child.session.stats.replacedSequences += count }
        if let converter {
            let before = converter.replaced
            converter.convert(bytes, final: final) { extract($0) }
            stats(converter.replaced - before)
        } else {
            let before = utf8.replacements
            if final {
                utf8.finish { extract($0) }
            } else {
                utf8.decode(bytes) { extract($0) }
            }
            stats(utf8.replacements - before)
        }
    }

    private func extract(_ bytes: UnsafeRawBufferPointer) {
        extractor.feed(bytes) { child.emitText($0) }
    }
}
