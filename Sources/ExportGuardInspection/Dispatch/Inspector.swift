import ExportGuardCore

/// Turns an input's bytes into text parts with locations, choosing a decoder from the
/// content itself. Reads in chunks: an input is never held whole.
public struct Inspector: Sendable {
    public var limits: InspectionLimits

    public init(limits: InspectionLimits = .default) {
        self.limits = limits
    }

    /// Inspects one input, reporting parts to `sink`.
    /// - Throws: ``InspectionError`` only when the source itself cannot be read.
    public func inspect(_ source: inout some ByteSource, name: String, into sink: some InspectionSink) throws(InspectionError) -> InspectionStats {
        var stream = StreamDispatcher(location: Location(parts: [name]), limits: limits, sink: sink)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: limits.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try source.read(into: buffer)
            if count == 0 { break }
            stream.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        stream.finish()
        return stream.stats
    }
}
