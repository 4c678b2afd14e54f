/// Decompresses a single-stream compressed file (gzip, xz, legacy lzma, bzip2, zstd;
/// several members in a row too) and dispatches what comes out as one stream at the same
/// location: `data.tar.xz` holds `data.tar`'s entries directly. The library verifies each
/// member's checks; a mismatch, a truncated stream or data after the end is reported, and
/// so is an expansion beyond the limits.
struct CompressedStreamDecoder {
    let compression: Compression
    private let decompressor: any Decompressor
    private var child: StreamDispatcher?
    private var betweenMembers = false
    private var finishedMembers = 0
    private var failed = false

    /// Nil when this machine has no library for the format.
    init?(_ compression: Compression) {
        guard let decompressor = compression.makeDecompressor() else { return nil }
        self.compression = compression
        self.decompressor = decompressor
    }

    private mutating func openChild(in stream: StreamDispatcher) -> StreamDispatcher {
        if let child { return child }
        let created = stream.child(named: nil)
        child = created
        return created
    }
}

extension CompressedStreamDecoder: StreamDecoder {
    mutating func decode(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        var input = bytes
        let name = compression.name
        while input.count > 0, !failed {
            if betweenMembers {
                // Zero padding may follow a member (xz requires it in fours; tar blocks).
                guard let start = input.firstIndex(where: { $0 != 0 }) else { return }
                input = UnsafeRawBufferPointer(rebasing: input[start...])
                // Another member must start with the format's magic (as far as this read shows it).
                guard let magic = compression.memberMagic,
                      zip(magic, input).allSatisfy({ $0 == $1 }) else {
                    fail(.corrupt("data after the end of the \(name) stream"), in: stream)
                    return
                }
                decompressor.reset()
                betweenMembers = false
            }
            let target = openChild(in: stream)
            var overLimit: UninspectedReason?
            let limits = stream.session.limits
            let decompressor = self.decompressor
            let outcome = decompressor.decompress(input) { piece in
                guard stream.charge(piece.count) else { return false }
                // Each member is judged on its own bytes in and out.
                if let reason = ExpansionBudget.check(unpacked: decompressor.produced, packed: decompressor.consumed, limits: limits, what: "\(name) member") {
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
                fail(.corrupt("\(name): \(message)"), in: stream)
                return
            case .limitExceeded(let message):
                fail(.limitExceeded("\(name): \(message)"), in: stream)
                return
            }
        }
    }

    mutating func finish(in stream: StreamDispatcher) {
        if !failed && !betweenMembers && !stream.isStopped {
            let name = compression.name
            fail(.corrupt(finishedMembers == 0 && child == nil ? "\(name): empty or truncated stream" : "\(name): truncated stream"), in: stream)
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
