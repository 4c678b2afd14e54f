import ExportGuardCore

/// Reads a zip archive front to back as it streams — local headers, entry data (stored or
/// deflated, with or without data descriptors, zip64 sizes) — and dispatches each file
/// entry as a child stream. The central directory at the end is then checked against
/// what the local headers said: names or sizes that disagree, and entries that point at
/// bytes no local header introduced (overlapping entries, the non-recursive zip bomb),
/// are reported, because another unzip would extract something this scan did not see.
struct ZipStreamDecoder {
    private enum State {
        /// Collecting a record's 4-byte signature.
        case signature
        /// Collecting a fixed-size header, then its variable part.
        case header(HeaderKind, needed: Int)
        /// Entry data of known compressed size.
        case data(remaining: Int)
        /// Deflated entry data whose size is only known from where the deflate stream ends.
        /// Compressed data of unknown length (a data descriptor follows): the decompressor finds its end.
        case decompressToEnd
        /// A data descriptor after entry data (signature optional; 32- or 64-bit sizes).
        case descriptor
        /// Bytes to pass over (an entry that cannot be read, a zip64 end record).
        case skip(remaining: Int)
        /// The archive comment after the end of central directory record.
        case comment(remaining: Int)
        /// The end of central directory and its comment were read.
        case done
        /// Nothing more can be read.
        case failed
    }

    private enum HeaderKind {
        case local, central, endOfCentralDirectory, zip64EndOfCentralDirectory, zip64Locator
    }

    private var state = State.signature
    private var buffer: [UInt8] = []
    /// Absolute offset of the next input byte, and of the record being collected.
    private var offset = 0
    private var recordStart = 0

    // The entry being read.
    private var entry: ZipEntryRecord?
    private var entryZip64 = false
    private var entryHasDescriptor = false
    private var entryChild: StreamDispatcher?
    private var entryLocation: Location?
    private var decompressor: (any Decompressor)?
    private var compressedEnded = false
    private var crc = CRC32()
    private var budget = ExpansionBudget(InspectionLimits())
    private var entryFailed = false
    private var descriptorAfterSkip = false

    // The cross-check with the central directory.
    private var localEntries: [Int: ZipEntryRecord] = [:]
    private var centralOffsets: Set<Int> = []
    private var entryCount = 0
    private var problems: [String] = []
    private var metadata = ArchiveMetadata()
    /// Bytes after the end record and its comment, read as a stream of their own.
    private var trailer = TrailingData()
    private var commentBytes: [UInt8] = []

    init() {}
}

extension ZipStreamDecoder: StreamDecoder {
    mutating func decode(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        var input = bytes
        while input.count > 0 && !stream.isStopped {
            var used = 0
            switch state {
            case .signature:
                if buffer.isEmpty { recordStart = offset }
                used = collect(input, upTo: 4)
                if buffer.count == 4 { readSignature(in: stream) }
            case .header(let kind, let needed):
                used = collect(input, upTo: needed)
                if buffer.count == needed { readHeader(kind, in: stream) }
            case .data(let remaining):
                used = min(remaining, input.count)
                entryData(UnsafeRawBufferPointer(rebasing: input[0..<used]), in: stream)
                if remaining == used {
                    dataEnded(in: stream)
                } else {
                    state = .data(remaining: remaining - used)
                }
            case .decompressToEnd:
                used = decompressToEnd(input, in: stream)
            case .descriptor:
                used = collect(input, upTo: buffer.count < 4 ? 4 : descriptorLength)
                if buffer.count >= 4 && buffer.count == descriptorLength { readDescriptor(in: stream) }
            case .skip(let remaining):
                used = min(remaining, input.count)
                if remaining == used {
                    state = descriptorAfterSkip ? .descriptor : .signature
                    descriptorAfterSkip = false
                } else {
                    state = .skip(remaining: remaining - used)
                }
            case .comment(let remaining):
                used = min(remaining, input.count)
                commentBytes.append(contentsOf: input[0..<used])
                if remaining == used {
                    metadata.comment(ArchiveMetadata.decode(commentBytes))
                    state = .done
                } else {
                    state = .comment(remaining: remaining - used)
                }
            case .done:
                trailer.feed(input, in: stream)
                used = input.count
            case .failed:
                return
            }
            offset += used
            input = UnsafeRawBufferPointer(rebasing: input[used...])
        }
    }

    mutating func finish(in stream: StreamDispatcher) {
        entryChild?.finish()
        entryChild = nil
        guard !stream.isStopped else { return }
        trailer.finish(in: stream)
        metadata.emit(into: stream)
        switch state {
        case .done:
            for problem in problems { stream.uninspected(.corrupt("zip: \(problem)")) }
        case .failed:
            break
        default:
            stream.uninspected(.corrupt(offset == 0 ? "zip: empty archive" : "zip: archive is truncated (no end of central directory)"))
        }
    }

    // MARK: Records

    private mutating func collect(_ input: UnsafeRawBufferPointer, upTo needed: Int) -> Int {
        let take = min(max(needed - buffer.count, 0), input.count)
        buffer.append(contentsOf: input[0..<take])
        return take
    }

    private mutating func readSignature(in stream: StreamDispatcher) {
        // The signature stays in the buffer, so header offsets match the specification.
        guard let signature = try? ByteReader(bytes: buffer).u32(0) else { return }
        switch signature {
        case 0x0403_4B50: state = .header(.local, needed: 30)
        case 0x0201_4B50: state = .header(.central, needed: 46)
        case 0x0605_4B50: state = .header(.endOfCentralDirectory, needed: 22)
        case 0x0606_4B50: state = .header(.zip64EndOfCentralDirectory, needed: 12)
        case 0x0706_4B50: state = .header(.zip64Locator, needed: 20)
        case 0x0807_4B50 where recordStart == 0:
            // A spanning marker at the very start of a single-part archive.
            buffer.removeAll(keepingCapacity: true)
        default:
            fail("zip: unexpected bytes at offset \(recordStart) (0x\(String(signature, radix: 16)))", in: stream)
        }
    }

    private mutating func readHeader(_ kind: HeaderKind, in stream: StreamDispatcher) {
        do {
            try readHeader(ByteReader(bytes: buffer), kind, in: stream)
        } catch {
            // The collected record is shorter than its own fields say: never expected, as
            // records are collected to the length they give, but corrupt, never a trap.
            fail("zip: a record at offset \(recordStart) is shorter than its fields", in: stream)
        }
    }

    private mutating func readHeader(_ header: ByteReader, _ kind: HeaderKind, in stream: StreamDispatcher) throws(ByteReader.Truncated) {
        switch kind {
        case .local:
            let variable = try header.u16(26) + header.u16(28)
            if buffer.count == 30 && variable > 0 {
                state = .header(.local, needed: 30 + variable)
                return
            }
            try beginEntry(header, in: stream)
        case .central:
            let variable = try header.u16(28) + header.u16(30) + header.u16(32)
            if buffer.count == 46 && variable > 0 {
                state = .header(.central, needed: 46 + variable)
                return
            }
            try readCentral(header)
            buffer.removeAll(keepingCapacity: true)
            state = .signature
        case .endOfCentralDirectory:
            let commentLength = try header.u16(20)
            buffer.removeAll(keepingCapacity: true)
            state = commentLength > 0 ? .comment(remaining: commentLength) : .done
        case .zip64EndOfCentralDirectory:
            let size = try header.u64(4)
            buffer.removeAll(keepingCapacity: true)
            state = size > 0 ? .skip(remaining: size) : .signature
        case .zip64Locator:
            buffer.removeAll(keepingCapacity: true)
            state = .signature
        }
    }

    private mutating func beginEntry(_ header: ByteReader, in stream: StreamDispatcher) throws(ByteReader.Truncated) {
        let flags = try header.u16(6)
        let method = try header.u16(8)
        let nameLength = try header.u16(26)
        let name = try header.name(30..<(30 + nameLength))
        metadata.name(name)
        var compressed = try header.u32(18)
        var uncompressed = try header.u32(22)
        let crcField = try header.u32(14)
        entryCount += 1
        entryZip64 = false
        if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF,
           let sizes = Self.zip64Sizes(header, extraStart: 30 + nameLength, extraLength: try header.u16(28)) {
            entryZip64 = true
            uncompressed = sizes.uncompressed ?? uncompressed
            compressed = sizes.compressed ?? compressed
        }
        buffer.removeAll(keepingCapacity: true)
        let record = ZipEntryRecord(
            name: name, localHeaderOffset: recordStart, compressedSize: compressed,
            uncompressedSize: uncompressed, crc: crcField)
        entry = record
        entryHasDescriptor = flags & 0x08 != 0
        entryFailed = false
        compressedEnded = false
        crc = CRC32()
        budget = ExpansionBudget(stream.session.limits)
        entryLocation = stream.location.appending(part: name)
        if localEntries.count < stream.session.limits.maxEntries { localEntries[recordStart] = record }

        guard entryCount <= stream.session.limits.maxEntries else {
            stream.stop(.limitExceeded("more than \(stream.session.limits.maxEntries) entries in a zip archive"))
            return
        }
        // With a data descriptor the local sizes may be zero: only compressed data shows its own end.
        let sizeKnown = !entryHasDescriptor || compressed > 0
        decompressor = nil
        switch ZipCompressionMethod(method: method, flags: flags, size: entryHasDescriptor ? nil : uncompressed) {
        case .stored:
            break
        case .compressed(let chosen):
            decompressor = chosen
        case .unreadable(let reason):
            stream.uninspected(reason, at: entryLocation)
            entry = nil
            guard sizeKnown else {
                fail("zip: an unreadable entry of unknown size hides the rest of the archive", in: stream)
                return
            }
            descriptorAfterSkip = entryHasDescriptor
            state = compressed > 0 ? .skip(remaining: compressed) : (entryHasDescriptor ? .descriptor : .signature)
            return
        }
        if !name.hasSuffix("/") {
            entryChild = stream.child(named: name)
        }
        if decompressor != nil && entryHasDescriptor {
            state = .decompressToEnd
        } else if !sizeKnown {
            // Stored data of unknown length cannot be delimited while streaming.
            stream.uninspected(.unsupported("a stored zip entry with a data descriptor cannot be read as a stream"), at: entryLocation)
            fail(nil, in: stream)
        } else if compressed == 0 {
            dataEnded(in: stream)
        } else {
            state = .data(remaining: compressed)
        }
    }

    // MARK: Entry data

    private mutating func entryData(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        // Bytes after the compressed stream's end are not read, as through the central
        // directory (libbz2 and liblzma refuse more input once a stream has ended).
        guard !entryFailed, !compressedEnded else { return }
        budget.read(bytes.count)
        guard let decompressor else {
            _ = deliver(bytes, in: stream)
            return
        }
        switch decompressor.decompress(bytes, emit: { deliver($0, in: stream) }) {
        case .streamEnd: compressedEnded = true
        case .corrupt(let message): entryError(.corrupt("zip: \(message)"), in: stream)
        case .limitExceeded(let message): entryError(.limitExceeded("zip: \(message)"), in: stream)
        case .needsInput: break
        }
    }

    /// Decompresses until the compressed stream ends; returns the input bytes it used.
    private mutating func decompressToEnd(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> Int {
        guard let decompressor else {
            fail("zip: no decompressor for a compressed entry", in: stream)
            return input.count
        }
        let outcome = decompressor.decompress(input, emit: { deliver($0, in: stream) })
        switch outcome {
        case .needsInput:
            budget.read(input.count)
            if entryFailed {
                // A limit stopped the entry; without its end the archive cannot go on.
                fail(nil, in: stream)
            }
            return input.count
        case .streamEnd(let unused):
            budget.read(input.count - unused)
            compressedEnded = true
            dataEnded(in: stream)
            return input.count - unused
        case .corrupt(let message):
            entryError(.corrupt("zip: \(message)"), in: stream)
            fail("zip: the end of a damaged entry of unknown size cannot be found", in: stream)
            return input.count
        case .limitExceeded(let message):
            entryError(.limitExceeded("zip: \(message)"), in: stream)
            fail("zip: the end of an entry of unknown size that cannot be read cannot be found", in: stream)
            return input.count
        }
    }

    private mutating func deliver(_ piece: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> Bool {
        // Only decompression amplifies: stored bytes were already counted as read.
        guard !entryFailed, decompressor == nil || stream.charge(piece.count) else { return false }
        if let reason = budget.unpack(piece.count, what: "zip entry") {
            entryError(reason, in: stream)
            return false
        }
        crc.update(piece)
        entryChild?.feed(piece)
        return true
    }

    private mutating func dataEnded(in stream: StreamDispatcher) {
        if entryHasDescriptor {
            state = .descriptor
        } else {
            endEntry(in: stream)
            state = .signature
        }
    }

    private var descriptorLength: Int {
        let signed = (try? ByteReader(bytes: buffer).u32(0)) == 0x0807_4B50
        return (signed ? 4 : 0) + 4 + (entryZip64 ? 16 : 8)
    }

    private mutating func readDescriptor(in stream: StreamDispatcher) {
        let reader = ByteReader(bytes: buffer)
        let base = (try? reader.u32(0)) == 0x0807_4B50 ? 4 : 0
        if var record = entry {
            guard let crc = try? reader.u32(base),
                  let compressed = try? (entryZip64 ? reader.u64(base + 4) : reader.u32(base + 4)),
                  let uncompressed = try? (entryZip64 ? reader.u64(base + 12) : reader.u32(base + 8))
            else {
                fail("zip: a data descriptor is shorter than its fields", in: stream)
                return
            }
            record.crc = crc
            record.compressedSize = compressed
            record.uncompressedSize = uncompressed
            entry = record
            if localEntries[record.localHeaderOffset] != nil { localEntries[record.localHeaderOffset] = record }
        }
        buffer.removeAll(keepingCapacity: true)
        endEntry(in: stream)
        state = .signature
    }

    private mutating func endEntry(in stream: StreamDispatcher) {
        defer {
            entryChild?.finish()
            entryChild = nil
            entry = nil
        }
        // An entry cut short by a limit was reported as such: it is not also damaged.
        guard let record = entry, !entryFailed, !stream.isStopped, !stream.session.budgetSpent else { return }
        let problem: String? =
            if decompressor != nil && !compressedEnded { "compressed data of \(record.name) is incomplete" }
            else if Int(crc.value) != record.crc { "CRC-32 of \(record.name) does not match" }
            else if budget.unpacked != record.uncompressedSize { "\(record.name) unpacks to \(budget.unpacked) bytes, not \(record.uncompressedSize)" }
            else { nil }
        if let problem {
            // Close the member's text before reporting, so parts do not interleave.
            entryChild?.finish()
            entryChild = nil
            stream.uninspected(.corrupt("zip: \(problem)"), at: entryLocation)
        }
    }

    private mutating func entryError(_ reason: UninspectedReason, in stream: StreamDispatcher) {
        guard !entryFailed else { return }
        entryFailed = true
        entryChild?.finish()
        entryChild = nil
        stream.uninspected(reason, at: entryLocation)
    }

    private mutating func fail(_ message: String?, in stream: StreamDispatcher) {
        entryChild?.finish()
        entryChild = nil
        if let message { stream.uninspected(.corrupt(message)) }
        state = .failed
    }

    // MARK: Central directory

    private mutating func readCentral(_ header: ByteReader) throws(ByteReader.Truncated) {
        let nameLength = try header.u16(28)
        let name = try header.name(46..<(46 + nameLength))
        let commentStart = 46 + nameLength + (try header.u16(30))
        metadata.comment(try header.name(commentStart..<(commentStart + (try header.u16(32)))), of: name)
        var compressed = try header.u32(20)
        var uncompressed = try header.u32(24)
        var localOffset = try header.u32(42)
        let crcField = try header.u32(16)
        if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
            let fields = Self.zip64Central(
                header, extraStart: 46 + nameLength, extraLength: try header.u16(30),
                needUncompressed: uncompressed == 0xFFFF_FFFF, needCompressed: compressed == 0xFFFF_FFFF,
                needOffset: localOffset == 0xFFFF_FFFF)
            uncompressed = fields.uncompressed ?? uncompressed
            compressed = fields.compressed ?? compressed
            localOffset = fields.offset ?? localOffset
        }
        guard problems.count < 20 else { return }
        guard centralOffsets.insert(localOffset).inserted else {
            problems.append("two central directory entries share the local header at offset \(localOffset) (\(name)): overlapping entries")
            return
        }
        guard let local = localEntries[localOffset] else {
            problems.append("central directory entry \(name) points at offset \(localOffset), where no local header was read")
            return
        }
        if local.name != name {
            problems.append("the entry at offset \(localOffset) is named \(local.name) locally but \(name) in the central directory")
        } else if local.compressedSize != compressed || local.uncompressedSize != uncompressed || local.crc != crcField {
            problems.append("sizes or CRC of \(name) differ between its local header and the central directory")
        }
    }

    // MARK: zip64

    static func zip64Sizes(_ header: ByteReader, extraStart: Int, extraLength: Int) -> (uncompressed: Int?, compressed: Int?)? {
        var cursor = extraStart
        let end = min(extraStart + extraLength, header.bytes.count)
        while cursor + 4 <= end {
            guard let id = try? header.u16(cursor), let size = try? header.u16(cursor + 2) else { return nil }
            if id == 0x0001 {
                let uncompressed = size >= 8 && cursor + 12 <= end ? try? header.u64(cursor + 4) : nil
                let compressed = size >= 16 && cursor + 20 <= end ? try? header.u64(cursor + 12) : nil
                return (uncompressed, compressed)
            }
            cursor += 4 + size
        }
        return nil
    }

    static func zip64Central(
        _ header: ByteReader, extraStart: Int, extraLength: Int, needUncompressed: Bool, needCompressed: Bool, needOffset: Bool
    ) -> (uncompressed: Int?, compressed: Int?, offset: Int?) {
        var cursor = extraStart
        let end = min(extraStart + extraLength, header.bytes.count)
        while cursor + 4 <= end {
            guard let id = try? header.u16(cursor), let size = try? header.u16(cursor + 2) else { break }
            if id == 0x0001 {
                // Only the fields that overflowed are present, in this order.
                var field = cursor + 4
                let fieldsEnd = min(cursor + 4 + size, end)
                func next() -> Int? {
                    guard field + 8 <= fieldsEnd else { return nil }
                    defer { field += 8 }
                    return try? header.u64(field)
                }
                let uncompressed = needUncompressed ? next() : nil
                let compressed = needCompressed ? next() : nil
                let offset = needOffset ? next() : nil
                return (uncompressed, compressed, offset)
            }
            cursor += 4 + size
        }
        return (nil, nil, nil)
    }
}
