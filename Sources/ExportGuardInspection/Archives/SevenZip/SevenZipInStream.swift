/// A 7z archive met inside a stream (a zip entry, a mail attachment, standard input): 7z
/// keeps its header at its end, so the archive is held in memory, up to a bound, and read
/// from there. A 7z file on disk is read in place instead (``SevenZipReader``).
struct SevenZipInStream: WholeFormat {
    static let maximumBytes = 32 << 20
    static let partName = "a 7z archive inside a stream (held whole to be read: its header is at its end)"

    func read(_ bytes: [UInt8], in stream: StreamDispatcher) {
        let source = SeekableMemorySource(bytes)
        // Bytes in memory cannot fail to read.
        guard let reader = try? SevenZipReader(source: source, size: bytes.count, limits: stream.session.limits) else {
            stream.uninspected(.corrupt("7z: no signature"))
            return
        }
        try? reader.read(into: stream)
    }
}
