import ExportGuardInspection

/// Pulls a `multipart/*` body from a source and presents its segments (parts, and any
/// preamble or epilogue) one after another, each readable as its own ``ByteSource``, so
/// each part is scanned as a file of its own while the body streams.
public final class MultipartReader<Upstream: ByteSource> {
    private var upstream: Upstream
    private var parser: MultipartParser
    private var events: [MultipartParser.Event] = []
    private var eventIndex = 0
    private var dataOffset = 0
    private var upstreamDone = false
    private var inSegment = false
    private let chunk: UnsafeMutableRawBufferPointer

    public init(_ upstream: Upstream, boundary: String, chunkSize: Int = 64 << 10) {
        self.upstream = upstream
        self.parser = MultipartParser(boundary: boundary)
        self.chunk = .allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit { chunk.deallocate() }

    /// Whether the body ended with a close delimiter.
    public var wasComplete: Bool { parser.sawCloseDelimiter }

    /// The upstream source (to read what it kept, such as a spool).
    public var source: Upstream { upstream }

    /// Moves to the next segment, skipping what is left of the current one; nil at the end.
    public func nextSegment() throws(InspectionError) -> MultipartParser.Segment? {
        while true {
            guard let event = try nextEvent() else { return nil }
            switch event {
            case .begin(let segment):
                inSegment = true
                consume()
                return segment
            case .data, .end:
                inSegment = false
                consume()
            }
        }
    }

    /// Reads the current segment's bytes; 0 at its end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InspectionError) -> Int {
        guard inSegment else { return 0 }
        while true {
            guard let event = try nextEvent() else {
                inSegment = false
                return 0
            }
            switch event {
            case .data(let bytes):
                let count = min(buffer.count, bytes.count - dataOffset)
                bytes.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[dataOffset..<(dataOffset + count)]))
                }
                dataOffset += count
                if dataOffset == bytes.count { consume() }
                if count > 0 { return count }
            case .end:
                consume()
                inSegment = false
                return 0
            case .begin:
                // A new segment starts without an end (cannot happen with this parser): stop here.
                inSegment = false
                return 0
            }
        }
    }

    /// Reads the rest of the body so everything reaches any spool; the bytes are discarded.
    public func drain() throws(InspectionError) {
        while try nextSegment() != nil {}
    }

    private func consume() {
        eventIndex += 1
        dataOffset = 0
    }

    private func nextEvent() throws(InspectionError) -> MultipartParser.Event? {
        while eventIndex >= events.count {
            if upstreamDone { return nil }
            events.removeAll(keepingCapacity: true)
            eventIndex = 0
            let count = try upstream.read(into: chunk)
            if count == 0 {
                upstreamDone = true
                events = parser.finish()
            } else {
                events = parser.feed(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
            }
        }
        return events[eventIndex]
    }
}

/// The current segment of a ``MultipartReader`` as a ``ByteSource``.
public struct MultipartSegmentSource<Upstream: ByteSource>: ByteSource {
    let reader: MultipartReader<Upstream>

    public init(_ reader: MultipartReader<Upstream>) {
        self.reader = reader
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InspectionError) -> Int {
        try reader.read(into: buffer)
    }
}
