/// Decompresses gzip (several members in a row too) and dispatches what comes out as one
/// stream at the same location: `data.tar.gz` holds `data.tar`'s entries directly.
/// zlib checks each member's CRC-32 and length; a mismatch or a truncated stream is
/// reported, and so is an expansion beyond the limits.
struct GzipDecoder {
    private let inflater = InflateStream(.gzipOrZlib)
    private var child: StreamDispatcher?
    private var betweenMembers = false
    private var finishedMembers = 0
    private var failed = false

    init() {}

    private mutating func openChild(in stream: StreamDispatcher) -> StreamDispatcher {
        if let child { return child }
        let created = stream.child(named: nil)
        child = created
        return created
    }
}

extension GzipDecoder: StreamDecoder {
    mutating func decode(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        var input = bytes
        while input.count > 0, !failed {
            if betweenMembers {
                // Another member must start with the gzip magic; zero padding is tolerated.
                if input.allSatisfy({ $0 == 0 }) { return }
                guard input.count < 2 || (input[0] == 0x1F && input[1] == 0x8B) else {
                    fail(.corrupt("data after the end of the gzip stream"), in: stream)
                    return
                }
                inflater.reset()
                betweenMembers = false
            }
            let target = openChild(in: stream)
            var overLimit: UninspectedReason?
            let limits = stream.session.limits
            let outcome = inflater.inflate(input) { piece in
                guard stream.charge(piece.count) else { return false }
                // zlib's stream counts the member's bytes in and out (reset per member).
                if let reason = ExpansionBudget.check(unpacked: inflater.produced, packed: inflater.consumed, limits: limits, what: "gzip member") {
                    overLimit = reason
                    return false
                }
                target.feed(piece)
                return true
            }
            if let overLimit {
                fail(overLimit, in: stream)
                return
            }
            if stream.isStopped { return }
            switch outcome {
            case .needsInput:
                return
            case .streamEnd(let unused):
                finishedMembers += 1
                betweenMembers = true
                input = UnsafeRawBufferPointer(rebasing: input[(input.count - unused)...])
            case .corrupt(let message):
                fail(.corrupt("gzip: \(message)"), in: stream)
                return
            }
        }
    }

    mutating func finish(in stream: StreamDispatcher) {
        if !failed && !betweenMembers && !stream.isStopped {
            fail(.corrupt(finishedMembers == 0 && child == nil ? "gzip: empty or truncated stream" : "gzip: truncated stream"), in: stream)
        }
        child?.finish()
        child = nil
    }

    private mutating func fail(_ reason: UninspectedReason, in stream: StreamDispatcher) {
        failed = true
        // What was decompressed so far was inspected; the rest is reported.
        child?.finish()
        child = nil
        stream.uninspected(reason)
    }
}
