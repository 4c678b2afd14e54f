/// Reads a 7z archive through a source that can be read at any offset: the signature
/// header points at the header database at the end (often itself LZMA-packed), which says
/// how the packed streams after the signature unpack into files.
///
/// Each folder (a solid block) is unpacked once, as a stream, and its output divided among
/// its files as it comes: nothing is held whole but the header. Codecs are the maintained
/// libraries' (liblzma for LZMA, LZMA2, BCJ and delta; zlib; libbz2; libzstd). Encrypted
/// folders or headers (7zAES) are reported `encrypted`; PPMd `unsupported`. BCJ2's four
/// inputs are read by ``SevenZipBCJ2``.
struct SevenZipReader {
    static let signature: [UInt8] = [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]
    /// The largest header database read (after unpacking, for a packed header).
    static let maxHeaderBytes = 64 << 20
    /// Packed bytes read at a time.
    static let readSize = 64 * 1024

    let source: any RandomAccessByteSource
    let size: Int
    /// The header, or why it cannot be read.
    let header: Result<SevenZipHeader, SevenZipError>

    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        head.count >= 6 && head.prefix(6).elementsEqual(signature)
    }

    /// A reader of `source`, or nil when it does not start with 7z's signature.
    init?(source: any RandomAccessByteSource, size: Int, limits: InspectionLimits) throws(InspectionError) {
        let start = try source.bytes(at: 0, count: min(32, size))
        guard start.count >= 6, start.prefix(6).elementsEqual(Self.signature) else { return nil }
        self.source = source
        self.size = size
        do {
            header = .success(try Self.readHeader(start, source: source, size: size, limits: limits))
        } catch let error as InspectionError {
            throw error
        } catch let error as SevenZipError {
            header = .failure(error)
        } catch {
            header = .failure(.corrupt("a header field lies past the end of its record"))
        }
    }

    // MARK: Header

    private static func readHeader(_ start: [UInt8], source: any RandomAccessByteSource, size: Int, limits: InspectionLimits) throws -> SevenZipHeader {
        guard start.count == 32 else { throw SevenZipError.corrupt("the signature header is cut short") }
        let fields = ByteReader(bytes: start)
        guard start[6] == 0 else { throw SevenZipError.unsupported("format version \(start[6]).\(start[7])") }
        var startCRC = CRC32()
        start[12..<32].withUnsafeBytes { startCRC.update($0) }
        guard UInt32(try fields.u32(8)) == UInt32(truncatingIfNeeded: startCRC.value) else {
            throw SevenZipError.corrupt("the signature header's CRC does not match")
        }
        let offset = try fields.u64(12), length = try fields.u64(20), crc = UInt32(try fields.u32(28))
        if length == 0 { return SevenZipHeader() }
        guard offset <= size - 32, length <= size - 32 - offset else {
            throw SevenZipError.corrupt("the header lies past the end of the file (truncated archive?)")
        }
        guard length <= maxHeaderBytes else { throw SevenZipError.limitExceeded("a header of more than \(maxHeaderBytes >> 20) MiB") }
        var bytes = try source.bytes(at: 32 + offset, count: length)
        var check = CRC32()
        bytes.withUnsafeBytes { check.update($0) }
        guard UInt32(truncatingIfNeeded: check.value) == crc else { throw SevenZipError.corrupt("the header's CRC does not match") }
        // A packed header unpacks to the header (7-Zip packs once; allow a few levels).
        for _ in 0..<4 {
            var cursor = SevenZipHeaderCursor(bytes)
            let id = try cursor.number()
            if id == SevenZipProperty.header.rawValue { return try SevenZipHeader.parse(&cursor) }
            guard id == SevenZipProperty.encodedHeader.rawValue else { throw SevenZipError.corrupt("no header where the signature header points") }
            let streams = try SevenZipHeader.readStreams(&cursor)
            var unpacked: [UInt8] = []
            for folder in streams.folders.indices {
                let outcome = try unpack(folder: folder, of: streams, source: source, size: size, limits: limits) { output in
                    guard unpacked.count + output.count <= maxHeaderBytes else { return false }
                    unpacked.append(contentsOf: output)
                    return true
                }
                if case .failed(let reason) = outcome { throw reason }
                guard case .complete = outcome else { throw SevenZipError.limitExceeded("a header of more than \(maxHeaderBytes >> 20) MiB") }
            }
            bytes = unpacked
        }
        throw SevenZipError.corrupt("headers packed inside headers more than four times")
    }

    // MARK: Folders

    enum FolderOutcome {
        case complete
        /// The consumer stopped taking output.
        case stopped
        case failed(SevenZipError)
    }

    /// Unpacks folder `index`, passing its output to `deliver` (false stops it), and checks
    /// its length and CRC.
    static func unpack(folder index: Int, of streams: SevenZipHeader.Streams, source: any RandomAccessByteSource, size: Int,
                       limits: InspectionLimits, deliver: (UnsafeRawBufferPointer) -> Bool) throws(InspectionError) -> FolderOutcome {
        let folder = streams.folders[index]
        /// The bytes of the folder's `k`th packed stream.
        func packRange(_ k: Int) -> Range<Int>? {
            let start = 32 + streams.packStarts[streams.firstPack[index] + k]
            let length = streams.packSizes[streams.firstPack[index] + k]
            return start <= size && length <= size - start ? start..<(start + length) : nil
        }
        var crc = CRC32()
        var produced = 0
        var budget = ExpansionBudget(limits)
        var failure: SevenZipError?
        var stopped = false
        func take(_ output: UnsafeRawBufferPointer) -> Bool {
            guard output.count <= folder.unpackSize - produced else {
                failure = .corrupt("a folder unpacks to more than its \(folder.unpackSize) bytes")
                return false
            }
            if case .limitExceeded(let detail) = budget.unpack(output.count, what: "a folder") {
                failure = .limitExceeded(detail)
                return false
            }
            produced += output.count
            crc.update(output)
            if !deliver(output) {
                stopped = true
                return false
            }
            return true
        }
        let ended: Bool
        do {
            if let inputs = try bcj2Plan(folder) {
                // The call, jump and range-coder streams are small: held whole, then the
                // main stream is pushed through the filter.
                var held: [[UInt8]] = []
                for input in inputs.dropFirst() {
                    guard let range = packRange(input.pack) else { throw SevenZipError.corrupt("a packed stream runs past the end of the file") }
                    var bytes: [UInt8] = []
                    var overflow: SevenZipError?
                    let pumped = try pump(source, range, input.decompressor, { budget.read($0) }) { output in
                        if case .limitExceeded(let detail) = budget.unpack(output.count, what: "a folder") {
                            overflow = .limitExceeded(detail)
                        } else if bytes.count + output.count > maxHeaderBytes {
                            overflow = .limitExceeded("a BCJ2 side stream of more than \(maxHeaderBytes >> 20) MiB")
                        } else {
                            bytes.append(contentsOf: output)
                        }
                        return overflow == nil
                    }
                    if let problem = overflow ?? pumped.failure { throw problem }
                    held.append(bytes)
                }
                var filter = try SevenZipBCJ2(calls: held[0], jumps: held[1], rangeCoder: held[2], size: folder.unpackSize)
                var converted: [UInt8] = []
                guard let mainRange = packRange(inputs[0].pack) else { throw SevenZipError.corrupt("a packed stream runs past the end of the file") }
                let pumped = try pump(source, mainRange, inputs[0].decompressor, { budget.read($0) }) { output in
                    guard failure == nil, !stopped else { return false }
                    do throws(SevenZipError) {
                        try filter.decode(output, into: &converted)
                    } catch {
                        failure = error
                        return false
                    }
                    return converted.withUnsafeBytes { take($0) }
                }
                if let problem = pumped.failure { failure = failure ?? problem }
                ended = pumped.ended
            } else {
                guard let range = packRange(0) else { throw SevenZipError.corrupt("a packed stream runs past the end of the file (truncated archive?)") }
                let decompressor = try SevenZipMethod.decompressor(for: try folder.chain())
                let pumped = try pump(source, range, decompressor, { budget.read($0) }, take)
                if let problem = pumped.failure { failure = failure ?? problem }
                ended = pumped.ended
            }
        } catch let error as SevenZipError {
            return .failed(error)
        } catch let error as InspectionError {
            throw error
        } catch {
            return .failed(.corrupt("\(error)"))
        }
        if let failure { return .failed(failure) }
        if stopped { return .stopped }
        // LZMA with a known length may end without a marker: all output is what counts.
        if !ended && produced != folder.unpackSize { return .failed(.corrupt("the packed data of a folder ends early")) }
        guard produced == folder.unpackSize else { return .failed(.corrupt("a folder unpacks to \(produced) bytes, not \(folder.unpackSize)")) }
        if let expected = folder.crc, expected != UInt32(truncatingIfNeeded: crc.value) {
            return .failed(.corrupt("the CRC of a folder does not match"))
        }
        return .complete
    }

    /// Reads one packed stream through its decompressor (none: stored), counting packed bytes
    /// with `read` and passing output to `take` (false stops). Whether the compressed stream
    /// ended, and why it failed.
    private static func pump(_ source: any RandomAccessByteSource, _ range: Range<Int>, _ decompressor: (any Decompressor)?,
                             _ read: (Int) -> Void, _ take: (UnsafeRawBufferPointer) -> Bool) throws(InspectionError) -> (ended: Bool, failure: SevenZipError?) {
        // A fixed read size, not the input's chunk size: a folder held in memory must unpack
        // the same however its archive arrived (what a corrupt folder gives before its
        // error depends on how much was read at once).
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 16)
        defer { buffer.deallocate() }
        var offset = range.lowerBound
        // Once `take` refuses (a limit, a stop, a failure), nothing more is unpacked: the
        // decompressor has lost its place in the input it was given.
        var refused = false
        func offer(_ output: UnsafeRawBufferPointer) -> Bool {
            if !refused && !take(output) { refused = true }
            return !refused
        }
        while offset < range.upperBound, !refused {
            let count = try source.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, range.upperBound - offset)]))
            guard count > 0 else { break }
            offset += count
            read(count)
            let piece = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            guard let decompressor else {
                _ = offer(piece)
                continue
            }
            switch decompressor.decompress(piece, emit: offer) {
            case .needsInput: break
            case .streamEnd: return (true, nil)
            case .corrupt(let message): return (false, .corrupt(message))
            case .limitExceeded(let message): return (false, .limitExceeded(message))
            }
        }
        return (decompressor == nil, nil)
    }

    /// The four inputs of a folder whose output is BCJ2's — main, call, jump, range coder —
    /// each a packed stream (by its index in the folder) and the decompressor of the coder
    /// that feeds it (none for a packed stream read as it is); nil for other folders.
    private static func bcj2Plan(_ folder: SevenZipFolder) throws(SevenZipError) -> [(pack: Int, decompressor: (any Decompressor)?)]? {
        guard let main = folder.mainOutput else { throw .corrupt("a folder whose outputs are all bound") }
        // Input and output indices run across coders in order.
        var firstInput: [Int] = [], firstOutput: [Int] = []
        var inputs = 0, outputs = 0
        for coder in folder.coders {
            firstInput.append(inputs)
            firstOutput.append(outputs)
            inputs += coder.inputs
            outputs += coder.outputs
        }
        guard let filterIndex = firstOutput.firstIndex(of: main), SevenZipMethod(folder.coders[filterIndex].method).name == "BCJ2" else { return nil }
        let filter = folder.coders[filterIndex]
        guard filter.inputs == 4, filter.outputs == 1 else { throw .corrupt("a BCJ2 coder with \(filter.inputs) inputs") }
        var plan: [(pack: Int, decompressor: (any Decompressor)?)] = []
        for input in firstInput[filterIndex]..<(firstInput[filterIndex] + 4) {
            if let pack = folder.packedInputs.firstIndex(of: input) {
                plan.append((pack, nil))
                continue
            }
            // Fed by one coder of one input and one output, itself fed by a packed stream.
            guard let pair = folder.bindPairs.first(where: { $0.input == input }),
                  let coderIndex = firstOutput.firstIndex(of: pair.output),
                  folder.coders[coderIndex].inputs == 1, folder.coders[coderIndex].outputs == 1,
                  let pack = folder.packedInputs.firstIndex(of: firstInput[coderIndex]), pair.output < folder.unpackSizes.count else {
                throw .unsupported("a BCJ2 folder of another shape")
            }
            let decompressor = try SevenZipMethod.decompressor(for: [(folder.coders[coderIndex], folder.unpackSizes[pair.output])])
            plan.append((pack, decompressor))
        }
        return plan
    }
}

// MARK: Files

extension SevenZipReader {
    /// Reads every file into child streams of `stream`; a folder that cannot be read is
    /// reported at its first unread file, with how many files it held.
    func read(into stream: StreamDispatcher) throws(InspectionError) {
        let header: SevenZipHeader
        switch self.header {
        case .success(let read): header = read
        case .failure(let error):
            stream.uninspected(error.reason)
            return
        }
        let limits = stream.session.limits
        let withData = header.files.filter(\.hasStream)
        if header.files.count > limits.maxEntries {
            stream.uninspected(.limitExceeded("more than \(limits.maxEntries) entries in a 7z archive"))
        }
        var next = withData[...].prefix(limits.maxEntries)
        let streams = header.streams
        for folder in streams.folders.indices {
            if stream.isStopped || stream.session.sinkWantsToStop() || next.isEmpty { return }
            let sizes = streams.substreamSizes[folder], crcs = streams.substreamCRCs[folder]
            let files = next.prefix(sizes.count)
            next = next.dropFirst(sizes.count)
            var splitter = SevenZipFileSplitter(files: Array(zip(files, zip(sizes, crcs))), parent: stream)
            let outcome = try Self.unpack(folder: folder, of: streams, source: source, size: size, limits: limits) { output in
                splitter.take(output)
            }
            splitter.finish(after: outcome)
        }
    }
}

/// Divides a folder's output among its files, each a child stream, checking each file's
/// CRC when its last byte has passed.
private struct SevenZipFileSplitter {
    typealias Item = (file: SevenZipHeader.File, stat: (size: Int, crc: UInt32?))

    private let parent: StreamDispatcher
    private let files: [Item]
    private var index = 0
    private var open: (child: StreamDispatcher, remaining: Int, crc: CRC32)?

    init(files: [Item], parent: StreamDispatcher) {
        self.files = files
        self.parent = parent
    }

    /// Feeds output to the files it belongs to; false when the parent stopped.
    mutating func take(_ output: UnsafeRawBufferPointer) -> Bool {
        var rest = output
        while true {
            if open == nil {
                guard index < files.count else { return rest.isEmpty }
                let item = files[index]
                open = (parent.child(named: item.file.name), item.stat.size, CRC32())
            }
            let count = min(rest.count, open!.remaining)
            if count > 0 {
                let piece = UnsafeRawBufferPointer(rebasing: rest[rest.startIndex..<(rest.startIndex + count)])
                guard parent.charge(count) else { return false }
                open!.crc.update(piece)
                open!.child.feed(piece)
                open!.remaining -= count
                rest = UnsafeRawBufferPointer(rebasing: rest[(rest.startIndex + count)...])
            }
            if open!.remaining == 0 {
                close()
            } else {
                return !parent.isStopped
            }
        }
    }

    private mutating func close() {
        guard let current = open else { return }
        current.child.finish()
        let item = files[index]
        if let expected = item.stat.crc, expected != UInt32(truncatingIfNeeded: current.crc.value) {
            parent.uninspected(.corrupt("7z: the CRC of \(item.file.name) does not match"), at: current.child.location)
        }
        open = nil
        index += 1
    }

    /// Ends the folder: files left unread are reported with the folder's failure.
    mutating func finish(after outcome: SevenZipReader.FolderOutcome) {
        if case .complete = outcome {
            // Files of no bytes after the last byte of output open and close here.
            _ = take(UnsafeRawBufferPointer(start: nil, count: 0))
            open?.child.finish()
            return
        }
        guard case .failed(let error) = outcome else {
            open?.child.finish()
            return
        }
        let location = open?.child.location ?? (index < files.count ? parent.location.appending(part: files[index].file.name) : parent.location)
        open?.child.finish()
        var reason = error.reason
        let unread = files.count - index - 1
        if unread > 0, case .corrupt(let detail) = reason { reason = .corrupt("\(detail) (\(unread) more files in the same solid block are not read)") }
        parent.uninspected(reason, at: location)
    }
}
