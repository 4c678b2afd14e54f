/// Reads an OLE2 compound file as the document it is: Word (`.doc`, `.wps`), Excel
/// (`.xls`, `.et`) and PowerPoint (`.ppt`, `.dps`) text by part (`memo.doc#main`,
/// `book.xls#sheet=Summary`), the summary properties, VBA module source, and embedded
/// objects — OLE 1.0 packages, OOXML packages, documents in sub-storages — as nested
/// streams. Password-encrypted documents (an OOXML `EncryptedPackage`, Word's fEncrypted,
/// Excel's FILEPASS, PowerPoint's CryptSession) are `encrypted`; a compound file of a kind
/// not read here (an installer, an Outlook message) is `unsupported`, never passed.
struct CompoundDocumentReader {
    /// Bytes one stream may have to be read.
    static let streamLimit = 64 << 20

    let file: CompoundFile
    /// Entries by the storage that holds them (`""` is the root), indexed once.
    private let index: [String: [(path: String, name: String, entry: CompoundFile.Entry)]]

    init(file: CompoundFile) {
        self.file = file
        var index: [String: [(path: String, name: String, entry: CompoundFile.Entry)]] = [:]
        for (path, entry) in file.paths() {
            let parent = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            index[parent, default: []].append((path, entry.name, entry))
        }
        self.index = index
    }

    static func read(source: any RandomAccessByteSource, size: Int, into stream: StreamDispatcher) {
        let file: CompoundFile
        do {
            file = try CompoundFile(source: source, size: size)
        } catch {
            stream.uninspected(Self.reason(error))
            return
        }
        let reader = CompoundDocumentReader(file: file)
        if !reader.readStorage("", into: stream) {
            let names = reader.children(of: "").prefix(4).map(\.name).joined(separator: ", ")
            stream.uninspected(.unsupported("an OLE2 compound file of a kind not read here (\(names))"))
        }
        stream.closeText()
    }

    // MARK: The tree

    /// Entries directly in a storage (`""` is the root).
    func children(of storage: String) -> [(path: String, name: String, entry: CompoundFile.Entry)] {
        index[storage] ?? []
    }

    /// Why a compound file, or a stream of one, cannot be read.
    static func reason(_ error: any Error) -> UninspectedReason {
        switch error {
        case CompoundFile.Failure.corrupt(let detail): .corrupt("compound file: \(detail)")
        case CompoundFile.Failure.limitExceeded(let detail): .limitExceeded("compound file: \(detail)")
        default: .readError("\(error)")
        }
    }

    /// A path inside `storage`, as a member of the stream that stands for it.
    private func relative(_ path: String, to storage: String) -> String {
        storage.isEmpty ? path : String(path.dropFirst(storage.count + 1))
    }

    func streamNamed(_ name: String, in storage: String) -> CompoundFile.Entry? {
        children(of: storage).first { $0.name.caseInsensitiveCompare(name) == .orderedSame && $0.entry.type == 2 }?.entry
    }

    private func bytes(_ entry: CompoundFile.Entry, in stream: StreamDispatcher, at path: String) -> [UInt8]? {
        do {
            let data = try file.read(entry, limit: Self.streamLimit)
            guard stream.charge(data.count) else { return nil }
            return data
        } catch {
            stream.uninspected(Self.reason(error), at: stream.location.appending(part: path))
        }
        return nil
    }

    private func emit(_ text: [UInt8], label: String, into stream: StreamDispatcher) {
        guard text.contains(where: { $0 > 0x20 }), !stream.isStopped else { return }
        stream.mark(.element(label))
        (text + [0x0A]).withUnsafeBytes { stream.emitText($0) }
    }

    // MARK: Storages

    /// Reads what a storage holds; false when nothing in it was recognised.
    @discardableResult
    func readStorage(_ storage: String, into stream: StreamDispatcher) -> Bool {
        guard !stream.isStopped, !stream.session.sinkWantsToStop() else { return true }
        if stream.session.overTime {
            stream.stop(.limitExceeded("time limit of \(stream.session.limits.maxSeconds) s per input"))
            return true
        }
        // A password-protected OOXML document (here or embedded) is a compound file holding these.
        if streamNamed("EncryptionInfo", in: storage) != nil, streamNamed("EncryptedPackage", in: storage) != nil {
            stream.uninspected(.encrypted)
            return true
        }
        var recognised = false
        if let word = streamNamed("WordDocument", in: storage) {
            recognised = true
            readWord(word, storage: storage, into: stream)
        }
        if let workbook = streamNamed("Workbook", in: storage) ?? streamNamed("Book", in: storage) {
            recognised = true
            if let data = bytes(workbook, in: stream, at: "Workbook") {
                do throws(ExcelBinaryText.Failure) {
                    for part in try ExcelBinaryText.parts(data) { emit(part.text, label: part.label, into: stream) }
                } catch {
                    switch error {
                    case .encrypted: stream.uninspected(.encrypted)
                    case .unsupported(let detail): stream.uninspected(.unsupported(detail))
                    case .corrupt(let detail): stream.uninspected(.corrupt(detail))
                    }
                }
            }
        }
        if let slides = streamNamed("PowerPoint Document", in: storage) {
            recognised = true
            if let data = bytes(slides, in: stream, at: "PowerPoint Document") {
                do throws(PowerPointBinaryText.Failure) {
                    let presentation = try PowerPointBinaryText.read(data, objectLimit: Self.streamLimit)
                    emit(presentation.text, label: "slides", into: stream)
                    for (index, object) in presentation.objects.enumerated() where stream.charge(object.count) {
                        feed(object, named: "object \(index + 1)", into: stream)
                    }
                } catch .encrypted {
                    stream.uninspected(.encrypted)
                } catch {
                    if case .corrupt(let detail) = error { stream.uninspected(.corrupt(detail)) }
                }
            }
        }
        for name in ["\u{5}SummaryInformation", "\u{5}DocumentSummaryInformation"] {
            guard let entry = streamNamed(name, in: storage), let data = bytes(entry, in: stream, at: name) else { continue }
            emit(Array(PropertySetText.strings(data).joined(separator: "\n").utf8), label: "properties", into: stream)
        }
        for child in children(of: storage) {
            switch (child.entry.type, child.name) {
            case (1, _) where streamNamed("dir", in: child.path) != nil && child.name.uppercased() == "VBA":
                recognised = true
                readVBA(child.path, base: storage, into: stream)
            case (1, _):
                // A sub-storage: VBA projects and embedded documents live in them.
                stream.closeText()
                let nested = stream.child(named: child.name)
                nested.readAsContainer()
                if readStorage(child.path, into: nested) {
                    recognised = true
                } else if children(of: child.path).contains(where: { $0.entry.type == 2 }) {
                    let names = children(of: child.path).prefix(4).map(\.name).joined(separator: ", ")
                    nested.uninspected(.unsupported("an OLE2 storage of a kind not read here (\(names))"))
                }
                nested.finish()
            case (2, "\u{1}Ole10Native"):
                recognised = true
                readOle10Native(child.entry, path: child.path, base: storage, into: stream)
            case (2, "Package"), (2, "CONTENTS"), (2, "EmbeddedOdf"), (2, "Item"), (2, "Properties"):
                // Embedded packages, and the custom XML parts of an MsoDataStore.
                recognised = true
                if let data = bytes(child.entry, in: stream, at: child.path) { feed(data, named: child.name, into: stream) }
            default:
                break
            }
        }
        return recognised
    }

    private func feed(_ data: [UInt8], named name: String, into stream: StreamDispatcher) {
        stream.closeText()
        let child = stream.child(named: name)
        data.withUnsafeBytes { child.feed($0) }
        child.finish()
    }

    // MARK: Word

    private func readWord(_ word: CompoundFile.Entry, storage: String, into stream: StreamDispatcher) {
        guard let document = bytes(word, in: stream, at: "WordDocument") else { return }
        do throws(WordBinaryText.Failure) {
            let tableName = try WordBinaryText.tableStreamName(document)
            guard let tableEntry = streamNamed(tableName, in: storage) else {
                stream.uninspected(.corrupt("Word: the table stream \(tableName) is missing"))
                return
            }
            guard let table = bytes(tableEntry, in: stream, at: tableName) else { return }
            for story in try WordBinaryText.stories(wordDocument: document, table: table) {
                emit(story.text, label: story.name, into: stream)
            }
        } catch {
            switch error {
            case .encrypted: stream.uninspected(.encrypted)
            case .unsupported(let detail): stream.uninspected(.unsupported(detail))
            case .corrupt(let detail): stream.uninspected(.corrupt(detail))
            }
        }
    }

    // MARK: VBA

    private func readVBA(_ storage: String, base: String, into stream: StreamDispatcher) {
        let local = relative(storage, to: base)
        guard let dirEntry = streamNamed("dir", in: storage), let compressed = bytes(dirEntry, in: stream, at: local + "/dir") else { return }
        guard let directory = VBAProject.directory(compressed) else {
            stream.uninspected(.corrupt("VBA: the dir stream does not decompress"), at: stream.location.appending(part: local + "/dir"))
            return
        }
        if directory.modules.isEmpty {
            stream.uninspected(.corrupt("VBA: the dir stream names no module"), at: stream.location.appending(part: local + "/dir"))
        }
        for module in directory.modules {
            let path = local + "/" + module.stream
            guard let entry = streamNamed(module.stream, in: storage) else {
                stream.uninspected(.corrupt("VBA: module stream \(module.stream) is missing"), at: stream.location.appending(part: path))
                continue
            }
            guard let data = bytes(entry, in: stream, at: path) else { continue }
            guard module.offset >= 0, module.offset < data.count,
                  let source = VBAProject.decompress(data[module.offset...]) else {
                stream.uninspected(.corrupt("VBA: the module's source does not decompress"), at: stream.location.appending(part: path))
                continue
            }
            stream.closeText()
            let child = stream.child(named: path, charset: WindowsCodePage.charsetName(directory.codePage))
            source.withUnsafeBytes { child.feed($0) }
            child.finish()
        }
    }

    // MARK: OLE 1.0 packages

    /// `\u{1}Ole10Native`: the native data's size, then the data — for a Package, the file.
    private func readOle10Native(_ entry: CompoundFile.Entry, path fullPath: String, base: String, into stream: StreamDispatcher) {
        let path = relative(fullPath, to: base)
        guard let data = bytes(entry, in: stream, at: path) else { return }
        let reader = ByteReader(bytes: data)
        var native = Array(data.dropFirst(4))
        if let total = try? reader.u32(0), total <= data.count - 4 { native = Array(data[4..<(4 + total)]) }
        if let package = OLE1Package.file(in: native) {
            feed(package.data, named: package.label.isEmpty ? path : path + " (" + package.label + ")", into: stream)
        } else {
            feed(native, named: path, into: stream)
        }
    }
}

/// A compound file met inside a stream (an attachment, a zip member, an embedded object):
/// its FAT may point anywhere, so it is held in memory, up to a bound, and read from there.
/// One on disk is read in place.
struct CompoundFileInStream: WholeFormat {
    static let maximumBytes = 64 << 20
    static let partName = "an OLE2 compound file inside a stream (held whole to be read)"

    func read(_ bytes: [UInt8], in stream: StreamDispatcher) {
        CompoundDocumentReader.read(source: SeekableMemorySource(bytes), size: bytes.count, into: stream)
    }
}
