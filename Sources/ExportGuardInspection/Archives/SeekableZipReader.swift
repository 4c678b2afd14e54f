import ExportGuardCore

/// Reads a zip file the way unzip tools do when they can seek: through its central
/// directory (zip64 included), then each entry's local header and data. Checks the two
/// against each other — names or sizes that disagree and entries whose data overlaps (the
/// non-recursive zip bomb) are reported — and finds archives behind prepended data
/// (self-extractors, executable jars, polyglot files) that a front-to-back reader would
/// call binary. What comes before the archive and after its end record is read as streams
/// of their own (`before-archive`, `after-end`): a script stub is text, a program is binary.
struct SeekableZipReader {
    struct Entry {
        var name: String
        var flags: Int
        var method: Int
        var crc: Int
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
        var comment = ""
    }

    let source: any RandomAccessByteSource
    let size: Int
    /// Bytes in front of the archive (a self-extractor's program), added to every offset.
    private(set) var prefix = 0
    /// Where the archive begins (its first local header: anything in front of it is read as
    /// `before-archive`), and where its end record and comment end.
    private(set) var archiveStart = 0
    private(set) var archiveEnd = 0
    private(set) var entries: [Entry] = []
    private(set) var truncated = false
    /// Entries the end record counts that the directory did not hold.
    private(set) var shortDirectory = 0
    private(set) var oversizedDirectory = false
    /// The archive's own comment (after its end record).
    private(set) var comment = ""
    /// The central directory is read up to this size.
    static let maxDirectoryBytes = 64 << 20

    /// Finds the central directory; nil when the file is not a zip archive.
    init?(source: any RandomAccessByteSource, size: Int, maxEntries: Int) throws(InspectionError) {
        self.source = source
        self.size = size
        guard size >= 22 else { return nil }
        // The end record sits in the last 22 bytes plus at most a 65,535-byte comment.
        let tailLength = min(size, 22 + 65_535)
        let tail = ByteReader(bytes: try source.bytes(at: size - tailLength, count: tailLength))
        var endIndex: Int?
        var index = tail.count - 22
        // The last end record whose comment fits the file (data may follow the comment).
        while index >= 0 {
            if tail.bytes[index] == 0x50, tail.bytes[index + 1] == 0x4B, tail.bytes[index + 2] == 0x05, tail.bytes[index + 3] == 0x06,
               let comment = try? tail.u16(index + 20), comment <= tail.count - index - 22 {
                endIndex = index
                break
            }
            index -= 1
        }
        guard let endIndex, var count = try? tail.u16(endIndex + 10), var directorySize = try? tail.u32(endIndex + 12),
              var directoryOffset = try? tail.u32(endIndex + 16)
        else { return nil }
        let endOffset = size - tailLength + endIndex
        let commentLength = (try? tail.u16(endIndex + 20)) ?? 0
        archiveEnd = endOffset + 22 + commentLength
        comment = (try? tail.name((endIndex + 22)..<(endIndex + 22 + commentLength))) ?? ""
        // zip64: a locator just before the end record, and the zip64 end record (56 bytes)
        // before that, right after the directory. Writers add them even when the 32-bit
        // fields suffice; the directory then ends where they begin.
        var directoryEnd = endOffset
        if endOffset >= 76 {
            let locator = ByteReader(bytes: try source.bytes(at: endOffset - 20, count: 20))
            let record = ByteReader(bytes: try source.bytes(at: endOffset - 76, count: 56))
            if (try? locator.u32(0)) == 0x0706_4B50, (try? record.u32(0)) == 0x0606_4B50,
               let count64 = try? record.u64(32), let size64 = try? record.u64(40), let offset64 = try? record.u64(48) {
                if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
                    count = count64
                    directorySize = size64
                    directoryOffset = offset64
                }
                directoryEnd = endOffset - 76
            }
        }
        // Offsets count from the archive's start; data in front of it shifts them all.
        // zip64 fields can claim anything: nothing larger than the file is an offset or size.
        guard directorySize <= size, directoryOffset <= size else { return nil }
        prefix = directoryEnd - directorySize - directoryOffset
        guard prefix >= 0, directorySize >= 0, directoryOffset + prefix + directorySize <= size else { return nil }
        // Offsets that already count the data in front (as `zip -A` leaves them, and as some
        // writers get wrong): a directory record where the unadjusted offset points wins, as
        // in Go's reader.
        if prefix > 0, let signature = try? ByteReader(bytes: try source.bytes(at: directoryOffset, count: 4)).u32(0),
           signature == 0x0201_4B50 {
            prefix = 0
        }
        // Records are read up to the end record, not only as far as the declared size: a
        // writer that got the size wrong still wrote every record (Go reads them so too).
        let directoryBytes = max(directorySize, directoryEnd - (directoryOffset + prefix))
        oversizedDirectory = directoryBytes > Self.maxDirectoryBytes
        let directory = ByteReader(bytes: try source.bytes(at: directoryOffset + prefix, count: min(directoryBytes, Self.maxDirectoryBytes)))
        var cursor = 0
        while (try? directory.u32(cursor)) == 0x0201_4B50 {
            if entries.count >= maxEntries {
                truncated = true
                break
            }
            // A record cut short by the directory's end is where the directory ends.
            guard let entry = try? Self.centralEntry(directory, at: cursor) else { break }
            entries.append(entry.entry)
            cursor = entry.next
        }
        if entries.isEmpty && count > 0 { return nil }
        // The archive's data starts at its first local header (or its directory, if empty).
        archiveStart = min(entries.map { $0.localHeaderOffset }.min() ?? directoryOffset, directoryOffset) + prefix
        // Fewer records than the end record counts: the rest would go unread.
        if !truncated && entries.count < count { shortDirectory = count - entries.count }
    }

    /// The central directory record at `cursor`, and where the next one starts.
    private static func centralEntry(_ directory: ByteReader, at cursor: Int) throws(ByteReader.Truncated) -> (entry: Entry, next: Int) {
        let nameLength = try directory.u16(cursor + 28), extraLength = try directory.u16(cursor + 30)
        let commentLength = try directory.u16(cursor + 32)
        var entry = Entry(
            name: try directory.name((cursor + 46)..<(cursor + 46 + nameLength)), flags: try directory.u16(cursor + 8),
            method: try directory.u16(cursor + 10), crc: try directory.u32(cursor + 16), compressedSize: try directory.u32(cursor + 20),
            uncompressedSize: try directory.u32(cursor + 24), localHeaderOffset: try directory.u32(cursor + 42))
        _ = try directory.slice((cursor + 46 + nameLength)..<(cursor + 46 + nameLength + extraLength))
        let commentStart = cursor + 46 + nameLength + extraLength
        entry.comment = try directory.name(commentStart..<(commentStart + commentLength))
        if entry.compressedSize == 0xFFFF_FFFF || entry.uncompressedSize == 0xFFFF_FFFF || entry.localHeaderOffset == 0xFFFF_FFFF {
            let fields = ZipStreamDecoder.zip64Central(
                directory, extraStart: cursor + 46 + nameLength, extraLength: extraLength,
                needUncompressed: entry.uncompressedSize == 0xFFFF_FFFF, needCompressed: entry.compressedSize == 0xFFFF_FFFF,
                needOffset: entry.localHeaderOffset == 0xFFFF_FFFF)
            entry.uncompressedSize = fields.uncompressed ?? entry.uncompressedSize
            entry.compressedSize = fields.compressed ?? entry.compressedSize
            entry.localHeaderOffset = fields.offset ?? entry.localHeaderOffset
        }
        return (entry, cursor + 46 + nameLength + extraLength + commentLength)
    }

    /// Reads every entry into child streams of `stream`.
    func read(into stream: StreamDispatcher) throws(InspectionError) {
        let limits = stream.session.limits
        if truncated {
            stream.uninspected(.limitExceeded("more than \(limits.maxEntries) entries in a zip archive"))
        }
        try readOutside(0..<min(max(archiveStart, 0), size), named: "before-archive", into: stream)
        if oversizedDirectory {
            stream.uninspected(.limitExceeded("zip: a central directory larger than \(Self.maxDirectoryBytes >> 20) MiB"))
        } else if shortDirectory > 0 {
            stream.uninspected(.corrupt("zip: the central directory holds \(shortDirectory) entries fewer than its end record counts"))
        }
        // Data ranges in file order, to find entries that share bytes.
        var claimed: [(start: Int, end: Int, name: String)] = []
        for entry in entries {
            if stream.isStopped || stream.session.sinkWantsToStop() { return }
            let location = stream.location.appending(part: entry.name)
            guard entry.localHeaderOffset <= size, entry.compressedSize <= size else {
                stream.uninspected(.corrupt("zip: \(entry.name) claims an offset or size beyond the file"), at: location)
                continue
            }
            let headerOffset = entry.localHeaderOffset + prefix
            let header = ByteReader(bytes: try source.bytes(at: headerOffset, count: min(30, max(0, size - headerOffset))))
            guard (try? header.u32(0)) == 0x0403_4B50, let nameLength = try? header.u16(26), let extraLength = try? header.u16(28) else {
                stream.uninspected(.corrupt("zip: the central directory entry \(entry.name) points at no local header"), at: location)
                continue
            }
            let nameBytes = ByteReader(bytes: try source.bytes(at: headerOffset + 30, count: nameLength))
            guard let localName = try? nameBytes.name(0..<nameLength) else {
                stream.uninspected(.corrupt("zip: the local header of \(entry.name) runs past the end of the file"), at: location)
                continue
            }
            if localName != entry.name {
                stream.uninspected(.corrupt("zip: the entry at offset \(entry.localHeaderOffset) is named \(localName) locally but \(entry.name) in the central directory"), at: location)
            }
            let dataStart = headerOffset + 30 + nameLength + extraLength
            let dataEnd = dataStart + entry.compressedSize
            if let other = claimed.first(where: { $0.start < dataEnd && dataStart < $0.end }) {
                stream.uninspected(.corrupt("zip: \(entry.name) shares its data with \(other.name): overlapping entries"), at: location)
                continue
            }
            claimed.append((headerOffset, dataEnd, entry.name))
            guard dataEnd <= size else {
                stream.uninspected(.corrupt("zip: \(entry.name) runs past the end of the file"), at: location)
                continue
            }
            if entry.name.hasSuffix("/") { continue }
            let decompressor: (any Decompressor)?
            switch ZipCompressionMethod(method: entry.method, flags: entry.flags, size: entry.uncompressedSize) {
            case .stored: decompressor = nil
            case .compressed(let chosen): decompressor = chosen
            case .unreadable(let reason):
                stream.uninspected(reason, at: location)
                continue
            }
            try readData(entry, decompressor: decompressor, from: dataStart, to: dataEnd, location: location, limits: limits, into: stream)
        }
        var metadata = ArchiveMetadata()
        for entry in entries {
            metadata.name(entry.name)
            metadata.comment(entry.comment, of: entry.name)
        }
        metadata.comment(comment)
        metadata.emit(into: stream)
        try readAfterEnd(into: stream)
    }

    /// Bytes after the end record's comment: padding is nothing, anything else a stream of its own.
    private func readAfterEnd(into stream: StreamDispatcher) throws(InspectionError) {
        guard archiveEnd < size, !stream.isStopped else { return }
        var trailer = TrailingData()
        var offset = archiveEnd
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: stream.session.limits.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while offset < size, !stream.isStopped {
            let count = try source.read(at: offset, into: buffer)
            guard count > 0 else { break }
            offset += count
            trailer.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), in: stream)
        }
        trailer.finish(in: stream)
    }

    /// Bytes outside the archive, read as a stream of their own (sniffed like any other).
    private func readOutside(_ range: Range<Int>, named name: String, into stream: StreamDispatcher) throws(InspectionError) {
        guard !range.isEmpty, !stream.isStopped else { return }
        let child = stream.child(named: name)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: stream.session.limits.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var offset = range.lowerBound
        while offset < range.upperBound, !stream.isStopped {
            let count = try source.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, range.upperBound - offset)]))
            guard count > 0 else { break }
            offset += count
            child.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        child.finish()
    }

    private func readData(_ entry: Entry, decompressor: (any Decompressor)?, from start: Int, to end: Int, location: Location, limits: InspectionLimits, into stream: StreamDispatcher) throws(InspectionError) {
        let child = stream.child(named: entry.name)
        var crc = CRC32()
        var budget = ExpansionBudget(limits)
        var problem: UninspectedReason?
        var ended = decompressor == nil
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: limits.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var offset = start
        reading: while offset < end, problem == nil, !stream.isStopped, !stream.session.sinkWantsToStop() {
            let count = try source.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, end - offset)]))
            guard count > 0 else { break }
            offset += count
            budget.read(count)
            let piece = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            let deliver: (UnsafeRawBufferPointer) -> Bool = { output in
                if decompressor != nil {
                    guard stream.charge(output.count) else { return false }
                }
                if let reason = budget.unpack(output.count, what: "zip entry") {
                    problem = reason
                    return false
                }
                crc.update(output)
                child.feed(output)
                return true
            }
            guard let decompressor else {
                _ = deliver(piece)
                continue
            }
            switch decompressor.decompress(piece, emit: deliver) {
            case .needsInput: break
            case .streamEnd:
                ended = true
                break reading
            case .corrupt(let message): problem = .corrupt("zip: \(message)")
            case .limitExceeded(let message): problem = .limitExceeded("zip: \(message)")
            }
        }
        child.finish()
        if let problem {
            stream.uninspected(problem, at: location)
        } else if stream.isStopped {
            return
        } else if !ended {
            stream.uninspected(.corrupt("zip: compressed data of \(entry.name) is incomplete"), at: location)
        } else if Int(crc.value) != entry.crc {
            stream.uninspected(.corrupt("zip: CRC-32 of \(entry.name) does not match"), at: location)
        } else if budget.unpacked != entry.uncompressedSize {
            stream.uninspected(.corrupt("zip: \(entry.name) unpacks to \(budget.unpacked) bytes, not \(entry.uncompressedSize)"), at: location)
        }
    }
}
