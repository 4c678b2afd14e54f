import ExportGuardInspection

/// Reads from a source and keeps every byte in a ``MessageSpool`` as it goes, so the
/// message is scanned while it arrives and can be passed on unchanged afterwards. A class,
/// so the spool's state is the same however many readers (a multipart reader, a part) hold it.
public final class SpoolingByteSource<Upstream: ByteSource>: ByteSource {
    private var upstream: Upstream
    public let spool: MessageSpool
    /// Set when the spool could not keep a byte; the message must then not be passed on.
    public private(set) var spoolError: MessageSpool.SpoolError?

    public init(_ upstream: Upstream, spool: MessageSpool) {
        self.upstream = upstream
        self.spool = spool
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InspectionError) -> Int {
        let count = try upstream.read(into: buffer)
        if count > 0, spoolError == nil {
            do {
                try spool.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            } catch {
                spoolError = error
            }
        }
        return count
    }
}
