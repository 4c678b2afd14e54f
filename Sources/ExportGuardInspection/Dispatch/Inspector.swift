import ExportGuardCore

/// Turns an input's bytes into text parts with locations, choosing decoders from the
/// content itself and unpacking containers as they stream. Reads in chunks: an input is
/// never held whole, and nothing unpacked is written anywhere.
public struct Inspector: Sendable {
    public var limits: InspectionLimits

    public init(limits: InspectionLimits = .default) {
        self.limits = limits
    }

    /// Inspects one input, reporting parts to `sink`. When the sink asks to stop, inspection
    /// ends; with `drain` the source is still read to its end (a gateway passing the bytes
    /// on, or a protocol that must consume the body), without inspecting it.
    /// - Throws: ``InspectionError`` only when the source itself cannot be read.
    public func inspect(_ source: inout some ByteSource, name: String, into sink: some InspectionSink, drain: Bool = false) throws(InspectionError) -> InspectionStats {
        try inspect(&source, name: name, kind: nil, into: sink, drain: drain)
    }

    /// Inspects one input as `kind` when given, instead of sniffing it (the fuzz targets'
    /// way to reach one decoder); members of containers are still sniffed.
    func inspect(_ source: inout some ByteSource, name: String, kind: ContentKind?, into sink: some InspectionSink, drain: Bool) throws(InspectionError) -> InspectionStats {
        let session = InspectionSession(sink: sink, limits: limits, root: Location(parts: [name]))
        let stream = StreamDispatcher(session: session, location: session.root, depth: 0, kind: kind)
        // A file that can be read at any offset, in a format whose index is not at its start,
        // is read in place.
        if let file = source as? any RandomAccessByteSource, let size = file.randomAccessSize,
           let read = try inPlaceReader(file, size: size, kind: kind) {
            stream.readAsContainer()
            try read(stream)
            stream.finish()
            session.stats.bytes = size
            return session.stats
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: limits.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try source.read(into: buffer)
            if count == 0 { break }
            session.stats.bytes += count
            if session.halted { continue }
            stream.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            if session.sinkWantsToStop() && !drain { break }
        }
        stream.finish()
        return session.stats
    }

    /// How to read `file` in place, when it is one of the formats read so (or nil): zip
    /// through its central directory, 7z through its end header, a PDF through its
    /// cross-reference data, an OLE2 compound file through its FAT. A PDF with a zip
    /// appended is read as the zip, whose prepended data (the PDF) is a member of its own.
    private func inPlaceReader(_ file: any RandomAccessByteSource, size: Int, kind: ContentKind?) throws(InspectionError)
        -> ((StreamDispatcher) throws(InspectionError) -> Void)? {
        if kind == nil || kind == .zip, let zip = try SeekableZipReader(source: file, size: size, maxEntries: limits.maxEntries) {
            return { stream throws(InspectionError) in try zip.read(into: stream) }
        }
        if kind == nil || kind == .sevenZip, let archive = try SevenZipReader(source: file, size: size, limits: limits) {
            return { stream throws(InspectionError) in try archive.read(into: stream) }
        }
        let head = try file.bytes(at: 0, count: min(8, size))
        if kind == nil || kind == .pdf, head.starts(with: Array("%PDF-".utf8)) {
            return { stream in PDFDocumentReader.read(source: file, size: size, into: stream) }
        }
        if kind == nil || kind == .compoundFile, head.elementsEqual(CompoundFile.signature) {
            return { stream in CompoundDocumentReader.read(source: file, size: size, into: stream) }
        }
        return nil
    }
}
