/// A stream that starts with zero bytes (a zero-filled file, padding, a sparse hole): they
/// hold nothing to read. From the first other byte on, the rest is a stream of its own at
/// the same location, sniffed from there, so nothing hides behind the zeros.
struct ZeroPrefixDecoder: StreamDecoder {
    private var rest: StreamDispatcher?

    mutating func decode(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        if let rest {
            rest.feed(bytes)
            return
        }
        guard let first = bytes.firstIndex(where: { $0 != 0 }) else { return }
        let created = stream.child(named: nil)
        created.feed(UnsafeRawBufferPointer(rebasing: bytes[first...]))
        rest = created
    }

    mutating func finish(in stream: StreamDispatcher) {
        rest?.finish()
        rest = nil
    }
}
