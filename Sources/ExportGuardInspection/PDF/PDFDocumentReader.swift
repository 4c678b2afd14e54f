import ExportGuardCore

/// Reads a PDF document into text parts: its pages (`report.pdf#page=3`), their
/// annotations, the form fields, the outline, the document information and XMP metadata,
/// and its embedded files as nested streams — each sniffed and inspected like any member.
///
/// What cannot be read is reported, never passed over: an encrypted file that needs a
/// password, text in a font with no Unicode mapping, a page that is only a picture (a scan
/// without a text layer), a damaged stream.
struct PDFDocumentReader {
    /// Bytes one stream may decode to; also the largest embedded file read.
    static let streamLimit = 64 << 20
    /// Glyphs without Unicode text a font may show on a page before the page is reported
    /// (a bullet or a symbol in a picture font is no reason to review a page).
    static let unmappedTolerance = 8
    /// Outline items and form fields read at most.
    static let maxTreeNodes = 100_000

    let file: PDFFile
    let stream: StreamDispatcher

    /// Opens `source` and reads it, or reports why it cannot be read.
    static func read(source: any RandomAccessByteSource, size: Int, into stream: StreamDispatcher) {
        let file: PDFFile
        let session = stream.session
        do throws(PDFError) {
            file = try PDFFile(source: source, size: size, streamLimit: streamLimit,
                               decodeBudget: max(0, session.limits.maxDecodedBytes - session.stats.unpackedBytes))
        } catch {
            stream.uninspected(error.reason)
            return
        }
        file.isOverTime = { session.overTime }
        PDFDocumentReader(file: file, stream: stream).read()
    }

    private var catalog: PDFDictionary? { file.resolve(file.trailer["Root"])?.dictionary }

    func read() {
        guard catalog != nil else {
            stream.uninspected(file.problems.first?.reason ?? .corrupt("PDF: the document catalog is missing"))
            return
        }
        readInformation()
        let shownFields = readPages()
        readOutline()
        readForm(skippingValuesOf: shownFields)
        readMetadata()
        readEmbeddedFiles()
        stream.closeText()
        // Objects that could not be read on the way (each kind once, at the document).
        for problem in file.problems where !stream.isStopped {
            stream.uninspected(problem.reason)
        }
    }

    private var shouldStop: Bool {
        if stream.isStopped || stream.session.sinkWantsToStop() { return true }
        if stream.session.overTime {
            stream.stop(.limitExceeded("time limit of \(stream.session.limits.maxSeconds) s per input"))
            return true
        }
        return false
    }

    /// Text under `label` (`page=3`, `info`) of this document's part.
    private func emit(_ text: [UInt8], label: String) {
        guard text.contains(where: { $0 > 0x20 }), !stream.isStopped else { return }
        stream.mark(.element(label))
        // A line break after each section: words of two sections must not run together.
        (text + [0x0A]).withUnsafeBytes { stream.emitText($0) }
    }

    private func text(_ object: PDFObject?) -> String? {
        guard let bytes = file.resolve(object)?.string else { return nil }
        let value = PDFSimpleEncoding.text(bytes)
        return value.isEmpty ? nil : value
    }

    // MARK: Document information

    private func readInformation() {
        guard let info = file.resolve(file.trailer["Info"])?.dictionary else { return }
        var lines: [String] = []
        for key in ["Title", "Author", "Subject", "Keywords", "Creator", "Producer"] {
            if let value = text(info[key]) { lines.append(value) }
        }
        // Custom keys (company, document number) carry text too.
        for (key, value) in info.entries.sorted(by: { $0.key < $1.key })
        where !["Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate", "Trapped"].contains(key) {
            if let value = text(value) { lines.append(value) }
        }
        emit(Array(lines.joined(separator: "\n").utf8), label: "info")
    }

    // MARK: Pages

    /// Reads the pages; returns the form fields whose values were read on them.
    private func readPages() -> Set<Int> {
        var shownFields: Set<Int> = []
        let fonts = PDFFontCache(file: file)
        var reportedImages: Set<PDFReference> = []
        var pageNumber = 0
        // The page tree, depth first, with inherited resources; a node met twice is skipped.
        var pending: [(PDFObject, PDFDictionary?)] = []
        if let root = catalog?["Pages"] { pending.append((root, nil)) }
        var visited: Set<Int> = []
        var missingPages = 0
        defer {
            if missingPages > 0 {
                stream.uninspected(.corrupt("PDF: the page tree names \(missingPages) page objects that are missing (a truncated file?)"))
            }
        }
        while let (node, inherited) = pending.popLast() {
            if shouldStop { return shownFields }
            guard Self.firstVisit(node, &visited) else { continue }
            guard let dictionary = file.resolve(node)?.dictionary else {
                // A page that is not there (a file cut short): its text is not read.
                missingPages += 1
                continue
            }
            let resources = file.resolve(dictionary["Resources"])?.dictionary ?? inherited
            if let kids = file.resolve(dictionary["Kids"])?.array, file.resolve(dictionary["Type"])?.name != "Page" {
                guard visited.count <= stream.session.limits.maxEntries * 2 else {
                    stream.uninspected(.limitExceeded("PDF: more than \(stream.session.limits.maxEntries) pages"))
                    return shownFields
                }
                for kid in kids.reversed() { pending.append((kid, resources)) }
                continue
            }
            pageNumber += 1
            guard pageNumber <= stream.session.limits.maxEntries else {
                stream.uninspected(.limitExceeded("PDF: more than \(stream.session.limits.maxEntries) pages"))
                return shownFields
            }
            readPage(dictionary, number: pageNumber, resources: resources, fonts: fonts, reportedImages: &reportedImages, shownFields: &shownFields)
        }
        return shownFields
    }

    private func readPage(_ page: PDFDictionary, number: Int, resources: PDFDictionary?, fonts: PDFFontCache,
                          reportedImages: inout Set<PDFReference>, shownFields: inout Set<Int>) {
        let label = "page=\(number)"
        let at = stream.location.at(.element(label))
        var content: [UInt8] = []
        var problems: [PDFError] = []
        let parts: [PDFObject] = file.resolve(page["Contents"])?.array ?? (page["Contents"].map { [$0] } ?? [])
        for part in parts {
            guard case .stream(let contentStream)? = file.resolve(part) else {
                problems.append(.corrupt("a content stream of the page is missing"))
                continue
            }
            do {
                let output = try file.decodedData(of: contentStream)
                if output.damaged { problems.append(.corrupt("a content stream is damaged")) }
                guard stream.charge(output.bytes.count) else { return }
                guard content.count + output.bytes.count <= Self.streamLimit else {
                    problems.append(.limitExceeded("the page's content streams decode to more than \(Self.streamLimit) bytes"))
                    break
                }
                content += output.bytes
                content.append(0x0A)
            } catch {
                problems.append(error)
            }
        }
        var extractor = PDFPageText(file: file, fonts: fonts)
        extractor.run(content, resources: resources)
        var fieldValues: [String] = []
        let comments = readAnnotations(page, fieldValues: &fieldValues, shownFields: &shownFields)
        emit(extractor.text + (fieldValues.isEmpty ? [] : Array(("\n" + fieldValues.joined(separator: "\n")).utf8)), label: label)
        emit(Array(comments.joined(separator: "\n").utf8), label: "annotations/\(label)")
        for problem in problems + extractor.problems {
            stream.uninspected(problem.reason, at: at)
        }
        // The tolerance holds for the page: many fonts with a few glyphs each are as many glyphs.
        let unmapped = extractor.unmapped.values.reduce(0, +)
        if unmapped >= Self.unmappedTolerance {
            let fonts = extractor.unmapped.keys.sorted().prefix(3).joined(separator: ", ")
            stream.uninspected(.unsupported("PDF: \(unmapped) glyphs have no Unicode mapping (font \(fonts))"), at: at)
        }
        if extractor.glyphCount == 0, !extractor.images.isEmpty {
            // A scan: what it says is in its pixels, which are not read.
            stream.uninspected(.unsupported("PDF: the page is an image without a text layer (a scan?)"), at: at)
            return
        }
        for image in extractor.images {
            if let reference = image.reference {
                guard !reportedImages.contains(reference) else { continue }
                reportedImages.insert(reference)
            }
            stream.closeText()
            stream.session.sink.media(MediaPart(location: stream.location.at(.element("\(label)/\(image.name)")), format: image.format, bytes: image.bytes, nested: true))
        }
    }

    /// A page's annotations: the values of its form fields join the page's text (a reader
    /// draws them on the page); comments, their authors and link targets are a part of
    /// their own (`annotations/page=3`).
    private func readAnnotations(_ page: PDFDictionary, fieldValues: inout [String], shownFields: inout Set<Int>) -> [String] {
        guard let annotations = file.resolve(page["Annots"])?.array else { return [] }
        var lines: [String] = []
        for entry in annotations.prefix(stream.session.limits.maxEntries) {
            guard let annotation = file.resolve(entry)?.dictionary else { continue }
            switch file.resolve(annotation["Subtype"])?.name {
            case "Widget":
                // The field's value, on the widget or the field it belongs to.
                var field: PDFObject? = entry
                var dictionary: PDFDictionary? = annotation
                for _ in 0..<8 {
                    guard let current = dictionary else { break }
                    if let value = fieldValue(current["V"]) {
                        if let number = field?.reference?.number { shownFields.insert(number) }
                        fieldValues.append(value)
                        break
                    }
                    field = current["Parent"]
                    dictionary = file.resolve(field)?.dictionary
                }
            case "FileAttachment":
                if let specification = file.resolve(annotation["FS"])?.dictionary { readFileSpecification(specification) }
                fallthrough
            default:
                for key in ["T", "Subj", "Contents"] {
                    if let value = text(annotation[key]) { lines.append(value) }
                }
                if let action = file.resolve(annotation["A"])?.dictionary, let uri = file.resolve(action["URI"])?.string {
                    lines.append(String(decoding: uri, as: UTF8.self))
                }
            }
        }
        return lines
    }

    private func fieldValue(_ object: PDFObject?) -> String? {
        switch file.resolve(object) {
        case .string(let bytes)?: PDFSimpleEncoding.text(bytes)
        case .name(let name)? where name != "Off": name
        case .array(let items)?: items.compactMap { text($0) }.joined(separator: "\n")
        default: nil
        }
    }

    // MARK: Outline and form

    private func readOutline() {
        guard let outlines = file.resolve(catalog?["Outlines"])?.dictionary else { return }
        var lines: [String] = []
        var pending: [PDFObject] = outlines["First"].map { [$0] } ?? []
        var visited: Set<Int> = []
        defer { reportUnread(pending, "outline items") }
        while !shouldStop, visited.count < Self.maxTreeNodes, let item = pending.popLast() {
            guard Self.firstVisit(item, &visited) else { continue }
            guard let dictionary = file.resolve(item)?.dictionary else { continue }
            if let title = text(dictionary["Title"]) { lines.append(title) }
            // Next is visited after the children: push it first.
            if let next = dictionary["Next"] { pending.append(next) }
            if let first = dictionary["First"] { pending.append(first) }
        }
        emit(Array(lines.joined(separator: "\n").utf8), label: "outline")
    }

    /// Field names and tooltips, and the values not already read on a page.
    private func readForm(skippingValuesOf shownFields: Set<Int>) {
        guard let form = file.resolve(catalog?["AcroForm"])?.dictionary, let fields = file.resolve(form["Fields"])?.array else { return }
        var lines: [String] = []
        var pending = Array(fields.reversed())
        var visited: Set<Int> = []
        defer { reportUnread(pending, "form fields") }
        while !shouldStop, visited.count < Self.maxTreeNodes, let field = pending.popLast() {
            guard Self.firstVisit(field, &visited) else { continue }
            guard let dictionary = file.resolve(field)?.dictionary else { continue }
            for key in ["T", "TU"] {
                if let value = text(dictionary[key]) { lines.append(value) }
            }
            if !shownFields.contains(field.reference?.number ?? -1), let value = fieldValue(dictionary["V"]) { lines.append(value) }
            if let kids = file.resolve(dictionary["Kids"])?.array { pending += kids.reversed() }
        }
        emit(Array(lines.joined(separator: "\n").utf8), label: "form")
    }

    /// True the first time a tree node is met (a direct object always is): a tree whose
    /// nodes point back at each other is walked once.
    private static func firstVisit(_ node: PDFObject, _ visited: inout Set<Int>) -> Bool {
        guard let number = node.reference?.number else { return true }
        return visited.insert(number).inserted
    }

    /// Items of a tree left when its walk stopped at the limit.
    private func reportUnread(_ pending: [PDFObject], _ what: String) {
        guard !pending.isEmpty, !stream.isStopped else { return }
        stream.uninspected(.limitExceeded("PDF: more than \(Self.maxTreeNodes) \(what)"))
    }

    // MARK: Metadata and embedded files

    private func readMetadata() {
        guard case .stream(let metadata)? = file.resolve(catalog?["Metadata"]) else { return }
        feedChild(named: "(XMP metadata)", stream: metadata)
    }

    private func readEmbeddedFiles() {
        guard let names = file.resolve(file.resolve(catalog?["Names"])?.dictionary?["EmbeddedFiles"])?.dictionary else { return }
        // A name tree: leaves hold `/Names [name spec name spec …]`.
        var pending: [PDFObject] = [.dictionary(names)]
        var visited: Set<Int> = []
        var count = 0
        while let node = pending.popLast(), !shouldStop {
            guard Self.firstVisit(node, &visited) else { continue }
            guard let dictionary = file.resolve(node)?.dictionary else { continue }
            if let kids = file.resolve(dictionary["Kids"])?.array { pending += kids.reversed() }
            guard let pairs = file.resolve(dictionary["Names"])?.array else { continue }
            for index in stride(from: 1, to: pairs.count, by: 2) {
                count += 1
                guard count <= stream.session.limits.maxEntries else {
                    stream.uninspected(.limitExceeded("PDF: more than \(stream.session.limits.maxEntries) embedded files"))
                    return
                }
                if let specification = file.resolve(pairs[index])?.dictionary { readFileSpecification(specification) }
            }
        }
    }

    /// An embedded file of a file specification (`/EF /F`), as a nested stream named by it.
    private func readFileSpecification(_ specification: PDFDictionary) {
        let name = text(specification["UF"]) ?? text(specification["F"]) ?? "embedded file"
        guard let embedded = file.resolve(specification["EF"])?.dictionary,
              case .stream(let data)? = file.resolve(embedded["F"] ?? embedded["UF"]) else { return }
        feedChild(named: name, stream: data)
    }

    private func feedChild(named name: String, stream data: PDFStream) {
        guard !stream.isStopped else { return }
        stream.closeText()
        let child = stream.child(named: name)
        do {
            let output = try file.decodedData(of: data)
            guard stream.charge(output.bytes.count) else { return }
            output.bytes.withUnsafeBytes { child.feed($0) }
            child.finish()
            if output.damaged { stream.uninspected(.corrupt("PDF: the stream is damaged"), at: child.location) }
        } catch {
            child.finish()
            stream.uninspected(error.reason, at: child.location)
        }
    }
}

/// A PDF met inside a stream (a mail attachment, a zip member, standard input): its
/// cross-reference data is at its end, so it is held in memory, up to a bound, and read
/// from there. A PDF file on disk is read in place instead.
struct PDFInStream: WholeFormat {
    static let maximumBytes = 64 << 20
    static let partName = "a PDF inside a stream (held whole to be read: its index is at its end)"

    func read(_ bytes: [UInt8], in stream: StreamDispatcher) {
        PDFDocumentReader.read(source: SeekableMemorySource(bytes), size: bytes.count, into: stream)
    }
}
