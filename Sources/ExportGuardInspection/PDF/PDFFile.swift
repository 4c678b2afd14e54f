/// A PDF file read in place through a source that can be read at any offset: its
/// cross-reference sections, trailer, security handler, and objects loaded on demand.
///
/// Nothing is held whole but parsed dictionaries (cached, bounded) and the object stream in
/// use; stream data is read when asked for and decoded within a limit. A file whose
/// cross-reference data is broken is rebuilt by scanning for `N G obj`, as readers do.
final class PDFFile {
    /// The largest indirect object read (a dictionary or array; stream data is apart).
    static let maxObjectBytes = 16 << 20
    /// The most objects kept parsed at once; the cache is emptied past it.
    static let maxCachedObjects = 100_000
    /// Objects loaded through other objects (a /Length that is a reference …) at most.
    static let maxLoadDepth = 32
    /// Decoded object streams kept.
    static let cachedObjectStreams = 4

    let source: any RandomAccessByteSource
    let size: Int
    /// Bytes one stream may decode to.
    let streamLimit: Int
    /// Bytes all streams together may decode to, and bytes of the file read to parse it
    /// (a hostile structure makes a reader go over the same bytes again and again).
    private let decodeBudget: Int
    private let readBudget: Int
    private var decoded = 0
    private var bytesRead = 0
    /// Asked between pages and every few thousand operators: the input's time is up.
    var isOverTime: () -> Bool = { false }
    /// What could not be read while resolving objects, for the reader to report (each
    /// once): a resolve that fails reads as null, as the standard says of missing objects,
    /// but is not passed over in silence.
    private(set) var problems: [PDFError] = []
    private(set) var crossReference = PDFCrossReference()
    private(set) var security: PDFSecurityHandler?
    /// The cross-reference data was broken and rebuilt from the objects themselves.
    private(set) var rebuilt = false
    private var cache: [Int: PDFObject] = [:]
    private var objectStreams: [(number: Int, objects: [Int: PDFObject])] = []
    /// Objects being loaded: a reference back to one of them (a cycle) reads as null.
    private var loading: Set<Int> = []
    private var loadDepth = 0
    /// The encryption dictionary's own object, which is never decrypted.
    private var encryptReference: PDFReference?

    var trailer: PDFDictionary { crossReference.trailer }

    init(source: any RandomAccessByteSource, size: Int, streamLimit: Int, decodeBudget: Int) throws(PDFError) {
        self.source = source
        self.size = size
        self.streamLimit = streamLimit
        self.decodeBudget = decodeBudget
        self.readBudget = max(size, 1 << 20) * 16
        do throws(PDFError) {
            try readCrossReferences()
            guard trailer["Root"] != nil else { throw PDFError.corrupt("the trailer names no catalog") }
        } catch {
            try rebuild()
        }
        try openSecurityHandler()
    }

    // MARK: Reading bytes

    private func read(at offset: Int, count: Int) throws(PDFError) -> [UInt8] {
        bytesRead += count
        guard bytesRead <= readBudget else { throw .limitExceeded("parsing read the file's bytes more than 16 times over (a hostile structure?)") }
        do {
            return try source.bytes(at: offset, count: count)
        } catch {
            throw .corrupt("the file cannot be read at offset \(offset)")
        }
    }

    /// Parses with a window of the file from `offset`, growing it while an object runs past.
    private func withWindow<T>(at offset: Int, _ body: (inout PDFParser) throws(PDFError) -> T) throws(PDFError) -> (T, window: Int) {
        var count = 4096
        while true {
            let bytes = try read(at: offset, count: min(count, size - offset))
            let result = bytes.withUnsafeBytes { buffer in
                Result { () throws(PDFError) -> T in
                    var parser = PDFParser(buffer)
                    return try body(&parser)
                }
            }
            switch result {
            case .success(let value): return (value, bytes.count)
            case .failure(.needMoreBytes) where bytes.count == count && count < Self.maxObjectBytes:
                count *= 4
            case .failure(let error): throw error
            }
        }
    }

    // MARK: Cross-reference sections

    private func readCrossReferences() throws(PDFError) {
        let tailLength = min(size, 2048)
        let tail = try read(at: size - tailLength, count: tailLength)
        let marker = Array("startxref".utf8)
        guard let found = Self.lastIndex(of: marker, in: tail) else { throw .corrupt("no startxref") }
        var offset: Int? = tail.withUnsafeBytes { buffer in
            var lexer = PDFLexer(buffer, at: found + marker.count)
            if case .integer(let value)? = try? lexer.next() { return value }
            return nil
        }
        var visited: Set<Int> = []
        while let current = offset, !visited.contains(current) {
            guard current >= 0, current < size else { throw .corrupt("a cross-reference offset lies outside the file") }
            visited.insert(current)
            let (entries, sectionTrailer) = try readSection(at: current)
            crossReference.merge(older: entries, trailer: sectionTrailer)
            // A hybrid file's table points to a stream with the objects the table leaves out.
            if let hidden = sectionTrailer["XRefStm"]?.integer, !visited.contains(hidden), hidden > 0, hidden < size {
                visited.insert(hidden)
                let (streamEntries, _) = try readSection(at: hidden)
                crossReference.merge(older: streamEntries, trailer: PDFDictionary())
            }
            offset = sectionTrailer["Prev"]?.integer
        }
    }

    private func readSection(at offset: Int) throws(PDFError) -> ([Int: PDFCrossReference.Entry], PDFDictionary) {
        let (table, _) = try withWindow(at: offset) { (parser: inout PDFParser) throws(PDFError) -> ([Int: PDFCrossReference.Entry], PDFDictionary)? in
            var probe = parser.lexer
            if case .keyword(let keyword) = try probe.next(), keyword == .xref {
                return try PDFCrossReference.readTable(&parser)
            }
            return nil
        }
        if let table { return table }
        // A cross-reference stream.
        let (_, object, streamStart) = try indirectObject(at: offset)
        guard case .stream(let stream)? = object, stream.dictionary["Type"]?.name == "XRef", streamStart != nil else {
            throw .corrupt("no cross-reference data at startxref")
        }
        let data = try decodedData(of: stream, decrypt: false)
        return (try PDFCrossReference.readStream(stream.dictionary, data: data.bytes), stream.dictionary)
    }

    // MARK: Rebuilding

    /// Scans the whole file for `N G obj` and `trailer`, as readers do when the
    /// cross-reference data is broken; the last definition of an object wins.
    private func rebuild() throws(PDFError) {
        rebuilt = true
        cache = [:]
        objectStreams = []
        // What the table said stays (objects in object streams); what the scan finds wins.
        var entries = crossReference.entries
        var trailers: [Int] = []
        let chunk = 1 << 20, overlap = 64
        var start = 0
        let objMarker = Array("obj".utf8), trailerMarker = Array("trailer".utf8)
        while start < size {
            // Each chunk starts a little before its place, so a header across the seam is whole.
            let from = max(0, start - overlap)
            let bytes = try read(at: from, count: min(chunk + 2 * overlap, size - from))
            let base = from
            let limit = min(bytes.count, start - from + chunk)
            var index = start - from
            while index + 3 <= bytes.count, index < limit {
                let byte = bytes[index]
                if byte == UInt8(ascii: "o"), bytes[index..<(index + 3)].elementsEqual(objMarker),
                   index + 3 >= bytes.count || !PDFLexer.isRegular(bytes[index + 3]),
                   let (number, objectStart) = Self.objectHeader(before: index, in: bytes) {
                    entries[number] = .offset(base + objectStart)
                } else if byte == UInt8(ascii: "t"), index + 7 <= bytes.count, bytes[index..<(index + 7)].elementsEqual(trailerMarker) {
                    trailers.append(base + index)
                }
                index += 1
            }
            start += chunk
        }
        guard !entries.isEmpty else { throw .corrupt("no objects found") }
        var rebuiltReference = PDFCrossReference()
        rebuiltReference.entries = entries
        // Trailers from the last up, for /Root, /Info, /Encrypt and /ID.
        for offset in trailers.reversed() {
            if let (dictionary, _) = try? withWindow(at: offset, { (parser: inout PDFParser) throws(PDFError) -> PDFDictionary in
                _ = try parser.lexer.next()
                guard case .dictionaryStart = try parser.lexer.next() else { throw PDFError.corrupt("no trailer dictionary") }
                return try parser.dictionaryBody(depth: 0)
            }) {
                rebuiltReference.merge(older: [:], trailer: dictionary)
            }
        }
        crossReference = rebuiltReference
        // Objects inside the object streams the scan found, where nothing else names them.
        for (number, entry) in entries where crossReference.entries.count < PDFCrossReference.maxObjects {
            guard case .offset = entry, case .stream(let stream)? = try? object(PDFReference(number: number, generation: 0)),
                  stream.dictionary["Type"]?.name == "ObjStm", let objects = try? parseObjectStream(stream) else { continue }
            for (member, index) in objects.order.enumerated().map({ ($1, $0) }) where crossReference.entries[member] == nil {
                crossReference.entries[member] = .compressed(stream: number, index: index)
            }
        }
        cache = [:]
        if trailer["Root"] == nil {
            // Cross-reference streams carry the trailer keys; else the catalog is found by type.
            for number in entries.keys.sorted() {
                guard let object = try? object(PDFReference(number: number, generation: 0)), let dictionary = object.dictionary else { continue }
                if dictionary["Type"]?.name == "XRef" {
                    for key in ["Root", "Info", "Encrypt", "ID"] where crossReference.trailer[key] == nil {
                        crossReference.trailer[key] = dictionary[key]
                    }
                } else if dictionary["Type"]?.name == "Catalog", crossReference.trailer["Root"] == nil {
                    crossReference.trailer["Root"] = .reference(PDFReference(number: number, generation: 0))
                }
            }
        }
        guard trailer["Root"] != nil else { throw .corrupt("no document catalog found") }
        cache = [:]
    }

    /// `N G ` right before `obj` at `index`: the object number and where `N` starts.
    private static func objectHeader(before index: Int, in bytes: [UInt8]) -> (Int, Int)? {
        var cursor = index - 1
        func skipSpace() -> Bool {
            let end = cursor
            while cursor >= 0, PDFLexer.isWhitespace(bytes[cursor]) { cursor -= 1 }
            return cursor < end
        }
        func digits() -> Int? {
            let end = cursor
            while cursor >= 0, bytes[cursor] >= UInt8(ascii: "0"), bytes[cursor] <= UInt8(ascii: "9"), end - cursor < 10 { cursor -= 1 }
            guard cursor < end else { return nil }
            return Int(String(decoding: bytes[(cursor + 1)...end], as: UTF8.self))
        }
        guard skipSpace(), digits() != nil, skipSpace(), let number = digits() else { return nil }
        guard cursor < 0 || !PDFLexer.isRegular(bytes[cursor]) else { return nil }
        return (number, cursor + 1)
    }

    private static func lastIndex(of marker: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= marker.count else { return nil }
        for start in stride(from: bytes.count - marker.count, through: 0, by: -1) where bytes[start..<(start + marker.count)].elementsEqual(marker) {
            return start
        }
        return nil
    }

    // MARK: Security

    private func openSecurityHandler() throws(PDFError) {
        guard let encrypt = trailer["Encrypt"] else { return }
        encryptReference = encrypt.reference
        guard let dictionary = resolve(encrypt)?.dictionary else { throw .corrupt("the encryption dictionary is missing") }
        let firstID = resolve(trailer["ID"])?.array?.first?.string ?? []
        security = try PDFSecurityHandler(dictionary, firstID: firstID)
        // Objects read before (the encryption dictionary itself) stay as they are.
        cache = cache.filter { $0.key == encryptReference?.number }
        objectStreams = []
    }

    // MARK: Objects

    /// The object a reference names (null when it does not exist, as the standard says).
    func object(_ reference: PDFReference) throws(PDFError) -> PDFObject {
        if let cached = cache[reference.number] { return cached }
        guard !loading.contains(reference.number) else { return .null }
        guard loadDepth < Self.maxLoadDepth else { throw .limitExceeded("objects that need other objects to be read, more than \(Self.maxLoadDepth) deep") }
        loading.insert(reference.number)
        loadDepth += 1
        defer {
            loading.remove(reference.number)
            loadDepth -= 1
        }
        var loaded: PDFObject
        var entry = crossReference.entries[reference.number]
        if case .offset(let offset)? = entry {
            do {
                loaded = try loadObject(at: offset, number: reference.number)
            } catch {
                // The table pointed wrong: rebuild it from the objects once and look again.
                guard !rebuilt, error.isDamage else { throw error }
                try rebuild()
                try openSecurityHandler()
                entry = crossReference.entries[reference.number]
                loaded = .null
                if case .offset(let offset)? = entry { loaded = try loadObject(at: offset, number: reference.number) }
            }
        } else {
            loaded = .null
        }
        switch entry {
        case nil, .offset?:
            break
        case .compressed(let stream, let index)?:
            loaded = try compressedObject(reference.number, in: stream, index: index)
        }
        if cache.count >= Self.maxCachedObjects { cache = [:] }
        cache[reference.number] = loaded
        return loaded
    }

    /// The object at `offset`, its strings decrypted.
    private func loadObject(at offset: Int, number: Int) throws(PDFError) -> PDFObject {
        let found = try indirectObject(at: offset, expecting: number)
        guard let object = found.object else { return .null }
        guard let security, found.reference != encryptReference else { return object }
        // The key is the object's own number and generation, as its header says.
        return decryptStrings(object, reference: found.reference, with: security)
    }

    /// Follows references (a chain of them, within reason) to a direct object.
    func resolve(_ object: PDFObject?) -> PDFObject? {
        var current = object
        for _ in 0..<32 {
            guard case .reference(let reference)? = current else { return current }
            do {
                current = try self.object(reference)
            } catch {
                note(error)
                // Failed once, failed for good: not read again for every use.
                if cache.count < Self.maxCachedObjects { cache[reference.number] = .null }
                return nil
            }
        }
        return nil
    }

    /// Records a problem for the reader to report, each kind once.
    func note(_ problem: PDFError) {
        if problems.count < 16, !problems.contains(problem) { problems.append(problem) }
    }

    /// The object at `offset`; with `expecting`, its number must match.
    private func indirectObject(at offset: Int, expecting number: Int? = nil) throws(PDFError) -> (reference: PDFReference, object: PDFObject?, streamStart: Int?) {
        guard offset >= 0, offset < size else { throw .corrupt("an object offset lies outside the file") }
        let ((reference, value, streamStart), _) = try withWindow(at: offset) { (parser: inout PDFParser) throws(PDFError) in try parser.indirectObject() }
        if let number, reference.number != number { throw .corrupt("the object at an offset is not the one expected") }
        guard let streamStart, case .dictionary(let dictionary) = value else { return (reference, value, nil) }
        let dataStart = offset + streamStart
        let length = try streamLength(dictionary, at: dataStart)
        return (reference, .stream(PDFStream(dictionary: dictionary, offset: dataStart, length: length, reference: reference)), dataStart)
    }

    /// `/Length` when `endstream` follows where it says; else the data up to `endstream`.
    private func streamLength(_ dictionary: PDFDictionary, at start: Int) throws(PDFError) -> Int {
        // A /Length is a number, directly or in an object of its own (never a stream).
        var length = dictionary["Length"]
        if case .reference(let reference)? = length { length = try object(reference) }
        if let declared = length?.integer, declared >= 0, declared <= size - start {
            let after = try read(at: start + declared, count: min(32, size - start - declared))
            var index = 0
            while index < after.count, PDFLexer.isWhitespace(after[index]) { index += 1 }
            if after[index...].starts(with: Array("endstream".utf8)) { return declared }
        }
        // Search forward for the keyword.
        let marker = Array("endstream".utf8)
        var position = start
        let chunk = 1 << 20
        // No farther than a stream may be long.
        while position < size, position - start <= streamLimit {
            let bytes = try read(at: position, count: min(chunk + marker.count, size - position))
            if let found = Self.firstIndex(of: marker, in: bytes) {
                var end = position + found
                // The end of line before `endstream` is not data.
                let before = try read(at: max(start, end - 2), count: min(2, end - start))
                if before.last == 0x0A { end -= 1; if before.count == 2, before.first == 0x0D { end -= 1 } } else if before.last == 0x0D { end -= 1 }
                return max(0, end - start)
            }
            guard bytes.count > marker.count else { break }
            position += bytes.count - marker.count
        }
        throw .corrupt("a stream has no end")
    }

    private static func firstIndex(of marker: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= marker.count, let first = marker.first else { return nil }
        var index = 0
        while index + marker.count <= bytes.count {
            if bytes[index] == first, bytes[index..<(index + marker.count)].elementsEqual(marker) { return index }
            index += 1
        }
        return nil
    }

    private func compressedObject(_ number: Int, in streamNumber: Int, index: Int) throws(PDFError) -> PDFObject {
        if let cached = objectStreams.first(where: { $0.number == streamNumber }) { return cached.objects[number] ?? .null }
        // An object stream is itself a plain object, never inside another one.
        guard case .offset? = crossReference.entries[streamNumber],
              case .stream(let stream) = try object(PDFReference(number: streamNumber, generation: 0)),
              stream.dictionary["Type"]?.name == "ObjStm" else {
            throw .corrupt("an object is said to be in an object stream that is not one")
        }
        let objects = try parseObjectStream(stream).objects
        objectStreams.append((streamNumber, objects))
        if objectStreams.count > Self.cachedObjectStreams { objectStreams.removeFirst() }
        return objects[number] ?? .null
    }

    /// All objects of an object stream, by number, and their numbers in order.
    private func parseObjectStream(_ stream: PDFStream) throws(PDFError) -> (objects: [Int: PDFObject], order: [Int]) {
        let output = try decodedData(of: stream)
        if output.damaged { note(.corrupt("an object stream is damaged")) }
        let data = output.bytes
        let count = max(0, min(stream.dictionary["N"]?.integer ?? 0, PDFCrossReference.maxObjects))
        let first = stream.dictionary["First"]?.integer ?? 0
        guard first >= 0, first <= data.count else { throw .corrupt("an object stream's /First is out of range") }
        return data.withUnsafeBytes { buffer in
            var lexer = PDFLexer(UnsafeRawBufferPointer(rebasing: buffer[0..<first]))
            var pairs: [(Int, Int)] = []
            for _ in 0..<count {
                guard case .integer(let number)? = try? lexer.next(), case .integer(let offset)? = try? lexer.next() else { break }
                pairs.append((number, offset))
            }
            var objects: [Int: PDFObject] = [:]
            for (number, offset) in pairs where offset >= 0 && offset < data.count - first && objects[number] == nil {
                var parser = PDFParser(buffer, at: first + offset)
                if let value = try? parser.object() { objects[number] = value }
            }
            return (objects, pairs.map(\.0))
        }
    }

    // MARK: Streams

    /// The decoded data of a stream, decrypted first when the file is encrypted.
    func decodedData(of stream: PDFStream, decrypt: Bool = true) throws(PDFError) -> PDFFilters.Output {
        guard stream.length <= streamLimit else { throw .limitExceeded("a stream of more than \(streamLimit) bytes") }
        var raw = try read(at: stream.offset, count: stream.length)
        let filters = PDFFilters.chain(stream.dictionary) { resolve($0) }
        if decrypt, let security, let reference = stream.reference, stream.dictionary["Type"]?.name != "XRef",
           !(stream.dictionary["Type"]?.name == "Metadata" && !security.encryptsMetadata),
           filters.first?.name != "Crypt" {
            raw = try security.decryptStream(raw, of: reference)
        }
        let output = try PDFFilters.decode(raw, filters: filters, limit: min(streamLimit, decodeBudget - decoded))
        decoded += output.bytes.count
        return output
    }

    /// The object with its strings decrypted; a string that does not decrypt is noted and
    /// left out (its bytes are not text), the rest of the object is kept.
    private func decryptStrings(_ object: PDFObject, reference: PDFReference, with security: PDFSecurityHandler) -> PDFObject {
        switch object {
        case .string(let bytes):
            do {
                return .string(try security.decryptString(bytes, of: reference))
            } catch {
                note(error)
                return .null
            }
        case .array(let items):
            return .array(items.map { decryptStrings($0, reference: reference, with: security) })
        case .dictionary(let dictionary):
            return .dictionary(decryptStrings(dictionary, reference: reference, with: security))
        case .stream(var stream):
            stream.dictionary = decryptStrings(stream.dictionary, reference: reference, with: security)
            return .stream(stream)
        default:
            return object
        }
    }

    private func decryptStrings(_ dictionary: PDFDictionary, reference: PDFReference, with security: PDFSecurityHandler) -> PDFDictionary {
        var result = PDFDictionary()
        for (key, value) in dictionary.entries { result[key] = decryptStrings(value, reference: reference, with: security) }
        return result
    }
}
