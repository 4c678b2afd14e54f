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
        // A zip file that can be read at any offset is read through its central directory.
        if kind == nil || kind == .zip, let file = source as? any RandomAccessByteSource, let size = file.randomAccessSize,
           let zip = try SeekableZipReader(source: file, size: size, maxEntries: limits.maxEntries) {
            stream.readAsContainer()
            try zip.read(into: stream)
            stream.finish()
            session.stats.bytes = size
            return session.stats
        }
        // So is a 7z archive (its header is at the end).
        if kind == nil || kind == .sevenZip, let file = source as? any RandomAccessByteSource, let size = file.randomAccessSize,
           let archive = try SevenZipReader(source: file, size: size, limits: limits) {
            stream.readAsContainer()
            try archive.read(into: stream)
            stream.finish()
            session.stats.bytes = size
            return session.stats
        }
        // And a PDF (its cross-reference data is at its end). A PDF with a zip appended was
        // read above as a zip whose prepended data, the PDF, is a member of its own.
        if kind == nil || kind == .pdf, let file = source as? any RandomAccessByteSource, let size = file.randomAccessSize,
           try Self.startsAsPDF(file, size: size) {
            stream.readAsContainer()
            PDFDocumentReader.read(source: file, size: size, into: stream)
            stream.finish()
            session.stats.bytes = size
            return session.stats
        }
        // And an OLE2 compound file (its FAT points anywhere).
        if kind == nil || kind == .compoundFile, let file = source as? any RandomAccessByteSource, let size = file.randomAccessSize,
           try file.bytes(at: 0, count: min(8, size)).elementsEqual(CompoundFile.signature) {
            stream.readAsContainer()
            CompoundDocumentReader.read(source: file, size: size, into: stream)
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

    private static func startsAsPDF(_ file: any RandomAccessByteSource, size: Int) throws(InspectionError) -> Bool {
        try file.bytes(at: 0, count: min(5, size)) == Array("%PDF-".utf8)
    }
}
