import ExportGuardCore

/// The one place that decides how a stream is decoded. It holds a stream's first bytes
/// until it can sniff them, then hands everything to the decoder for that content.
/// Containers open child dispatchers for their members, so every stream at every depth
/// goes through the same sniffing, limits and reporting.
final class StreamDispatcher {
    let session: InspectionSession
    let location: Location
    let depth: Int
    private var head: [UInt8] = []
    private var decoder: (any StreamDecoder)?
    private var decided = false
    private var textOpen = false
    private var stopped = false
    /// The charset a container declared for this stream's text (iconv's name), if any.
    private var charsetHint: String?
    /// The content kind decided in advance, instead of sniffed.
    private let forcedKind: ContentKind?
    /// Runs of other encodings in this stream's plain text (see ``EncodedTextRuns``).
    private var encodedRuns: EncodedTextRuns?

    init(session: InspectionSession, location: Location, depth: Int, kind: ContentKind? = nil) {
        self.session = session
        self.location = location
        self.depth = depth
        self.forcedKind = kind
    }

    // MARK: Input

    func feed(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        if stopped { return }
        if !decided {
            head.append(contentsOf: bytes)
            if head.count < session.limits.sniffBytes { return }
            decide()
            return
        }
        if session.overTime {
            stop(.limitExceeded("time limit of \(session.limits.maxSeconds) s per input"))
            return
        }
        withDecoder { $0.decode(bytes, in: self) }
    }

    func finish() {
        if !decided { decide() }
        if var active = decoder {
            decoder = nil
            active.finish(in: self)
        }
        closeText()
        readEncodedRuns()
    }

    /// Runs the decoder outside of `self.decoder`, so it may stop this stream meanwhile;
    /// a decoder that stopped its stream is finished at once, to close its children.
    private func withDecoder(_ body: (inout any StreamDecoder) -> Void) {
        guard var active = decoder, !stopped else { return }
        decoder = nil
        body(&active)
        if stopped {
            active.finish(in: self)
        } else {
            decoder = active
        }
    }

    private func decide() {
        decided = true
        let held = head
        head = []
        // The window, not whatever the first read held: the kind must not depend on read sizes.
        let window = min(held.count, session.limits.sniffBytes)
        let kind = forcedKind ?? held.withUnsafeBytes { ContentKind.sniff(UnsafeRawBufferPointer(rebasing: $0[0..<window])) }
        decoder = makeDecoder(for: kind)
        if decoder == nil {
            stopped = true
            return
        }
        held.withUnsafeBytes { bytes in withDecoder { $0.decode(bytes, in: self) } }
    }

    private func makeDecoder(for kind: ContentKind) -> (any StreamDecoder)? {
        switch kind {
        case .empty, .utf8Text, .utf16, .utf32, .legacyText:
            encodedRuns = EncodedTextRuns()
        case .binary where charsetHint != nil:
            encodedRuns = EncodedTextRuns()
        default:
            break
        }
        switch kind {
        case .empty, .utf8Text:
            // Without a declared charset, the first bytes outside ASCII settle it.
            if let charsetHint { return textDecoder(charset: charsetHint) }
            return DeferredCharsetDecoder(window: session.limits.sniffBytes)
        case .utf16(let bigEndian):
            return CharsetTextDecoder(charset: bigEndian ? "UTF-16BE" : "UTF-16LE", skipBOM: true)
        case .utf32(let bigEndian):
            return CharsetTextDecoder(charset: bigEndian ? "UTF-32BE" : "UTF-32LE", skipBOM: true)
        case .legacyText(let charset):
            // A charset its container declared wins over a guess.
            if let charsetHint { return textDecoder(charset: charsetHint) }
            if let doubt = charset.doubt { uninspected(.unknownCharset(doubt)) }
            return textDecoder(charset: charset.name)
        case .compressed(let compression):
            guard let decoder = CompressedStreamDecoder(compression) else {
                uninspected(.unsupported("\(compression.name) data (no decompression library on this machine)"))
                return nil
            }
            return container { decoder }
        case .zip:
            return container { ZipStreamDecoder() }
        case .tar:
            return container { CumulatingDecoder(TarDecoder()) }
        case .ar:
            return container { CumulatingDecoder(ArDecoder()) }
        case .cpio:
            return container { CumulatingDecoder(CpioDecoder()) }
        case .sevenZip:
            return container { BoundedWholeDecoder(SevenZipInStream()) }
        case .unreadableArchive(let name):
            uninspected(.unsupported(name))
            return nil
        case .mail:
            return container { MIMEDecoder(limits: session.limits) }
        case .xml:
            return XMLDecoder(limits: session.limits)
        case .html:
            return HTMLTextDecoder()
        case .zeros:
            return ZeroPrefixDecoder()
        case .layoutCache:
            return BoundedWholeDecoder(LayoutCacheDecoder())
        case .printerSettings:
            return BoundedWholeDecoder(PrinterSettingsDecoder())
        case .pdf:
            return container { BoundedWholeDecoder(PDFInStream()) }
        case .rtf:
            return container { RTFDecoder() }
        case .compoundFile:
            return container { BoundedWholeDecoder(CompoundFileInStream()) }
        case .tnef:
            return container { BoundedWholeDecoder(TNEFDecoder()) }
        case .image(let format):
            return MediaDecoders.make(format)
        case .binary:
            // Text in a single-byte charset (ISO-8859-1 …) sniffs as binary; its container said otherwise.
            if let charsetHint { return textDecoder(charset: charsetHint) }
            uninspected(.binaryContent("unknown binary data"))
            return nil
        }
    }

    /// Text in `charset` (UTF-8 when nil). UTF-8 goes through the validator, never iconv:
    /// glibc's UTF-8 to UTF-8 passes code points past U+10FFFF through as they are.
    private func textDecoder(charset: String?) -> any StreamDecoder {
        guard let charset, charset.uppercased().filter({ $0 != "-" && $0 != "_" }) != "UTF8" else { return UTF8TextDecoder() }
        return CharsetTextDecoder(charset: charset, skipBOM: false)
    }

    private func container(_ make: () -> any StreamDecoder) -> (any StreamDecoder)? {
        mayNest() ? make() : nil
    }

    /// Whether this stream may have nested parts; reports it when not.
    private func mayNest() -> Bool {
        guard depth < session.limits.maxDepth else {
            uninspected(.limitExceeded("nesting deeper than \(session.limits.maxDepth) levels"))
            return false
        }
        return true
    }

    /// The stream is a container read by other means (a zip file through its central
    /// directory): nothing is sniffed and no text part is opened for it.
    func readAsContainer() {
        decided = true
        decoder = nil
    }

    // MARK: Output for decoders

    /// Text of this stream, in UTF-8. Opens the text part on first use.
    func emitText(_ bytes: UnsafeRawBufferPointer) {
        guard !stopped else { return }
        if !textOpen {
            textOpen = true
            session.sink.beginText(at: location)
        }
        guard bytes.count > 0 else { return }
        let room = session.limits.maxDecodedBytes - session.stats.decodedBytes
        if bytes.count > room {
            // Inspect up to the budget, then report the rest. The cut moves back to the
            // start of a character: the text stays valid UTF-8.
            var cut = max(room, 0)
            while cut > 0, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
            if cut > 0 {
                session.stats.decodedBytes += cut
                session.sink.text(UnsafeRawBufferPointer(rebasing: bytes[0..<cut]))
            }
            spendBudget()
            return
        }
        session.stats.decodedBytes += bytes.count
        session.sink.text(bytes)
        encodedRuns?.feed(bytes)
    }

    /// Reads the runs of other encodings found in this stream's text, each as a part of its
    /// own named after the line it starts on: `notes.txt:12!base64`.
    private func readEncodedRuns() {
        guard var found = encodedRuns, !stopped else { return }
        encodedRuns = nil
        found.finish()
        if found.overflowed {
            uninspected(.limitExceeded("encoded text (base64, escapes) beyond \(EncodedTextRuns.maximumHeldBytes >> 20) MiB or \(EncodedTextRuns.maximumRuns) runs in one text"))
        }
        guard !found.runs.isEmpty else { return }
        guard mayNest() else { return }
        let name = location.parts.last ?? "-"
        for run in found.runs {
            guard !session.halted, !stopped else { return }
            let part = Location(parts: location.parts.dropLast() + ["\(name):\(run.line)", run.kind.rawValue])
            let child = StreamDispatcher(session: session, location: part, depth: depth + 1)
            // Percent-encoded bytes that are not UTF-8 are GBK in a Chinese form or URL.
            if run.kind == .percentEncoded, String(validating: run.bytes, as: UTF8.self) == nil {
                child.charsetHint = MailCharset.converterName("GB18030")
            }
            run.bytes.withUnsafeBytes { child.feed($0) }
            child.finish()
        }
    }

    /// The text that follows comes from this position of the part (e.g. an XML element).
    func mark(_ position: Location.Position) {
        if !textOpen {
            textOpen = true
            session.sink.beginText(at: location)
        }
        session.sink.mark(position)
    }

    /// The text that follows comes from this element of the part (see ``ElementStep``).
    func mark(elementPath path: UnsafeBufferPointer<ElementStep>, line: Int) {
        if !textOpen {
            textOpen = true
            session.sink.beginText(at: location)
        }
        session.sink.mark(elementPath: path, line: line)
    }

    /// Ends this stream's text part, if one is open (a container emits none).
    func closeText() {
        if textOpen {
            textOpen = false
            session.sink.endText()
        }
    }

    /// A child stream for a container member; `name` nil keeps this location (gzip).
    func child(named name: String?) -> StreamDispatcher {
        let childLocation = name.map { location.appending(part: $0) } ?? location
        return StreamDispatcher(session: session, location: childLocation, depth: depth + 1)
    }

    /// A child stream whose container declared its charset (a MIME part's `charset=`):
    /// content that sniffs as UTF-8, legacy Chinese or unknown binary is converted from that
    /// charset instead; anything else (a zip, XML, UTF-16 with a BOM) is read as sniffed.
    /// UTF-8, US-ASCII and charsets iconv does not know leave the content to sniffing.
    func child(named name: String?, charset: String?) -> StreamDispatcher {
        let created = child(named: name)
        created.charsetHint = charset.flatMap(MailCharset.converterName)
        return created
    }

    // MARK: Media

    /// This stream is a whole image or media part: reported for the policy to decide.
    func reportMedia(format: String, bytes: Int) {
        closeText()
        session.sink.media(MediaPart(location: location, format: format, bytes: bytes, nested: depth > 0))
    }

    /// Text read from this media part's metadata (a PNG text chunk, a JPEG comment, an EXIF
    /// tag), as a text part of its own at `#label`, e.g. `image1.png#iTXt:Comment`.
    func emitMetadata(_ label: String, _ utf8: [UInt8]) {
        guard utf8.contains(where: { $0 > 0x20 }) else { return }
        closeText()
        let part = child(named: nil)
        part.mark(.element(label))
        utf8.withUnsafeBytes { part.emitText($0) }
        part.closeText()
    }

    /// Counts unpacked bytes; false (and the stream stopped) once the input's budget is spent.
    func charge(_ count: Int) -> Bool {
        if session.charge(count) { return true }
        spendBudget()
        return false
    }

    /// The input's byte budget is spent — decoded text and unpacked bytes count against it
    /// apart, and which count finds it first depends on how reads fall. This stream stops;
    /// the input is reported once, at its own location, in the same words either way.
    private func spendBudget() {
        let first = !session.budgetSpent
        session.budgetSpent = true
        stop(first ? .limitExceeded("more than \(session.limits.maxDecodedBytes) bytes decoded or unpacked from the input") : nil,
             at: session.root)
    }

    /// Reports a part of this stream (or a member) as not inspected.
    func uninspected(_ reason: UninspectedReason, at part: Location? = nil) {
        closeText()
        // Streams cut short because the sink stopped the input are not damaged.
        guard !session.halted else { return }
        session.sink.uninspected(at: part ?? location, reason: reason)
    }

    /// Gives up on the rest of this stream. Its decoder is finished (closing any open
    /// members) and must not report the stream as truncated: check ``isStopped``.
    func stop(_ reason: UninspectedReason) {
        stop(reason, at: nil)
    }

    /// Stops, reporting `reason` (when there is one) at `part`, or at this stream.
    private func stop(_ reason: UninspectedReason?, at part: Location?) {
        guard !stopped else { return }
        stopped = true
        if let reason { uninspected(reason, at: part) }
        if var active = decoder {
            decoder = nil
            active.finish(in: self)
        }
    }

    var isStopped: Bool { stopped }
}
