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
    let all: [(path: String, entry: CompoundFile.Entry)]

    static func read(source: any RandomAccessByteSource, size: Int, into stream: StreamDispatcher) {
        let file: CompoundFile
        do {
            file = try CompoundFile(source: source, size: size)
        } catch let failure as CompoundFile.Failure {
            switch failure {
            case .corrupt(let detail): stream.uninspected(.corrupt("compound file: \(detail)"))
            case .limitExceeded(let detail): stream.uninspected(.limitExceeded("compound file: \(detail)"))
            }
            return
        } catch {
            stream.uninspected(.readError("\(error)"))
            return
        }
        let reader = CompoundDocumentReader(file: file, all: file.paths())
        if reader.streamNamed("EncryptionInfo", in: "") != nil, reader.streamNamed("EncryptedPackage", in: "") != nil {
            stream.uninspected(.encrypted)
            return
        }
        if !reader.readStorage("", into: stream) {
            let names = reader.children(of: "").prefix(4).map(\.name).joined(separator: ", ")
            stream.uninspected(.unsupported("an OLE2 compound file of a kind not read here (\(names))"))
        }
        stream.closeText()
    }

    // MARK: The tree

    /// Entries directly in a storage (`""` is the root).
    func children(of storage: String) -> [(path: String, name: String, entry: CompoundFile.Entry)] {
        all.compactMap { path, entry in
            let parent = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            guard parent == storage else { return nil }
            return (path, entry.name, entry)
        }
    }

    func streamNamed(_ name: String, in storage: String) -> CompoundFile.Entry? {
        children(of: storage).first { $0.name.caseInsensitiveCompare(name) == .orderedSame && $0.entry.type == 2 }?.entry
    }

    private func bytes(_ entry: CompoundFile.Entry, in stream: StreamDispatcher, at path: String) -> [UInt8]? {
        do {
            let data = try file.read(entry, limit: Self.streamLimit)
            guard stream.charge(data.count) else { return nil }
            return data
        } catch let failure as CompoundFile.Failure {
            let at = stream.location.appending(part: path)
            switch failure {
            case .corrupt(let detail): stream.uninspected(.corrupt("compound file: \(detail)"), at: at)
            case .limitExceeded(let detail): stream.uninspected(.limitExceeded("compound file: \(detail)"), at: at)
            }
        } catch {
            stream.uninspected(.readError("\(error)"), at: stream.location.appending(part: path))
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
        var recognised = false
        let prefix = storage.isEmpty ? "" : storage + "/"
        if let word = streamNamed("WordDocument", in: storage) {
            recognised = true
            readWord(word, storage: storage, into: stream)
        }
        if let workbook = streamNamed("Workbook", in: storage) ?? streamNamed("Book", in: storage) {
            recognised = true
            if let data = bytes(workbook, in: stream, at: prefix + "Workbook") {
                do throws(ExcelBinaryText.Failure) {
                    for part in try ExcelBinaryText.parts(data) { emit(part.text, label: part.label, into: stream) }
                } catch .encrypted {
                    stream.uninspected(.encrypted)
                } catch {
                    if case .corrupt(let detail) = error { stream.uninspected(.corrupt(detail)) }
                }
            }
        }
        if let slides = streamNamed("PowerPoint Document", in: storage) {
            recognised = true
            if let data = bytes(slides, in: stream, at: prefix + "PowerPoint Document") {
                do throws(PowerPointBinaryText.Failure) {
                    emit(try PowerPointBinaryText.text(data), label: "slides", into: stream)
                } catch .encrypted {
                    stream.uninspected(.encrypted)
                } catch {
                    if case .corrupt(let detail) = error { stream.uninspected(.corrupt(detail)) }
                }
            }
        }
        for name in ["\u{5}SummaryInformation", "\u{5}DocumentSummaryInformation"] {
            guard let entry = streamNamed(name, in: storage), let data = bytes(entry, in: stream, at: prefix + name) else { continue }
            emit(Array(PropertySetText.strings(data).joined(separator: "\n").utf8), label: "properties", into: stream)
        }
        for child in children(of: storage) {
            switch (child.entry.type, child.name) {
            case (1, _) where streamNamed("dir", in: child.path) != nil && child.name.uppercased() == "VBA":
                recognised = true
                readVBA(child.path, into: stream)
            case (1, _):
                // A sub-storage: VBA projects and embedded documents live in them.
                let nested = stream.child(named: child.path)
                nested.readAsContainer()
                if readStorage(child.path, into: nested) { recognised = true }
                nested.finish()
            case (2, "\u{1}Ole10Native"):
                recognised = true
                readOle10Native(child.entry, path: child.path, into: stream)
            case (2, "Package"), (2, "CONTENTS"), (2, "EmbeddedOdf"):
                recognised = true
                if let data = bytes(child.entry, in: stream, at: child.path) { feed(data, named: child.path, into: stream) }
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
        let prefix = storage.isEmpty ? "" : storage + "/"
        guard let document = bytes(word, in: stream, at: prefix + "WordDocument") else { return }
        do throws(WordBinaryText.Failure) {
            let tableName = try WordBinaryText.tableStreamName(document)
            guard let tableEntry = streamNamed(tableName, in: storage) else {
                stream.uninspected(.corrupt("Word: the table stream \(tableName) is missing"))
                return
            }
            guard let table = bytes(tableEntry, in: stream, at: prefix + tableName) else { return }
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

    private func readVBA(_ storage: String, into stream: StreamDispatcher) {
        guard let dirEntry = streamNamed("dir", in: storage), let compressed = bytes(dirEntry, in: stream, at: storage + "/dir") else { return }
        guard let directory = VBAProject.directory(compressed) else {
            stream.uninspected(.corrupt("VBA: the dir stream does not decompress"), at: stream.location.appending(part: storage + "/dir"))
            return
        }
        for module in directory.modules {
            let path = storage + "/" + module.stream
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

    /// `\u{1}Ole10Native`: a size, then for a Package its label, paths and the file's data.
    private func readOle10Native(_ entry: CompoundFile.Entry, path: String, into stream: StreamDispatcher) {
        guard let data = bytes(entry, in: stream, at: path) else { return }
        let reader = ByteReader(bytes: data)
        var name = path
        var payload = Array(data.dropFirst(4))
        if let total = try? reader.u32(0), total <= data.count - 4 {
            payload = Array(data[4..<(4 + total)])
            // Packager: type (2), label\0, source path\0, 4 bytes, temp path (length-prefixed), data size, data.
            var offset = 6
            func cString() -> String? {
                guard let end = data[offset...].firstIndex(of: 0), end - offset < 4096 else { return nil }
                defer { offset = end + 1 }
                return WindowsCodePage.decode(data[offset..<end], codePage: 1252)
            }
            if let label = cString(), cString() != nil {
                offset += 4
                if let tempLength = try? reader.u32(offset), tempLength < 4096 {
                    offset += 4 + tempLength
                    if let size = try? reader.u32(offset), reader.contains(offset + 4, length: size) {
                        payload = Array(data[(offset + 4)..<(offset + 4 + size)])
                        if !label.isEmpty { name = path + " (" + label + ")" }
                    }
                }
            }
        }
        feed(payload, named: name, into: stream)
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
