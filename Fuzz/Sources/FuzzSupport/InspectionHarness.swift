@_spi(Fuzzing) import ExportGuardInspection

/// Inspects fuzz inputs with small limits (each input stays fast; every path is still
/// reachable) and checks the decoders' first promise: an input read whole and the same
/// input read a few bytes at a time give the same parts, text and reasons.
public struct InspectionHarness: Sendable {
    public let limits: InspectionLimits

    public init() {
        // No time limit: the same input must give the same answer.
        limits = InspectionLimits(chunkSize: 4096, maxDecodedBytes: 4 << 20, sniffBytes: 512, maxEntries: 200, ratioFloor: 1 << 20, maxSeconds: 0)
    }

    /// Inspects `bytes` read `chunkSize` bytes at a time, as `format` (sniffed when nil).
    @_spi(Fuzzing) public func record(_ bytes: [UInt8], as format: ForcedFormat?, chunkSize: Int) -> RecordingSink {
        var limits = limits
        limits.chunkSize = max(chunkSize, 1)
        let sink = RecordingSink()
        var source = MemoryByteSource(bytes)
        let inspector = Inspector(limits: limits)
        do {
            if let format {
                _ = try inspector.inspect(&source, name: "fuzz", as: format, into: sink)
            } else {
                _ = try inspector.inspect(&source, name: "fuzz", into: sink)
            }
        } catch {
            Fuzzer.fail("a memory source cannot fail to read, yet: \(error)")
        }
        return sink
    }

    /// Inspects `bytes` whole and again 1 to 13 bytes at a time (the last byte picks how
    /// many), and fails when the two disagree or when a part's text is not valid UTF-8.
    @_spi(Fuzzing) @discardableResult
    public func checkChunkInvariance(_ bytes: [UInt8], as format: ForcedFormat?) -> RecordingSink {
        let whole = record(bytes, as: format, chunkSize: max(bytes.count, 1))
        let step = 1 + Int(bytes.last ?? 0) % 13
        let trickled = record(bytes, as: format, chunkSize: step)
        if let difference = whole.difference(from: trickled) {
            Fuzzer.fail("read whole and \(step) bytes at a time, \(format.map { "\($0)" } ?? "sniffed") input: \(difference)")
        }
        for (location, text) in whole.texts where String(validating: text, as: UTF8.self) == nil {
            Fuzzer.fail("the text of \(location) is not valid UTF-8")
        }
        return whole
    }

    /// Inspects `bytes` as a file that can be read at any offset (a zip through its
    /// central directory).
    public func recordSeekable(_ bytes: [UInt8]) -> RecordingSink {
        let sink = RecordingSink()
        var source = SeekableMemorySource(bytes)
        do {
            _ = try Inspector(limits: limits).inspect(&source, name: "fuzz", into: sink)
        } catch {
            Fuzzer.fail("a memory source cannot fail to read, yet: \(error)")
        }
        return sink
    }

    /// A format read in place from a file and held whole from a stream through one reader
    /// (7z, PDF, compound files): whole and trickled must agree, and, when the input starts
    /// with the format's `signature` (so it is read in place too), so must the file's reading.
    @_spi(Fuzzing) public func checkInPlaceAgainstStream(_ bytes: [UInt8], as format: ForcedFormat, signature: [UInt8]) {
        let inPlace = recordSeekable(bytes)
        let streamed = checkChunkInvariance(bytes, as: format)
        if bytes.starts(with: signature), let difference = inPlace.difference(from: streamed) {
            Fuzzer.fail("\(format) read in place and from a stream differ: \(difference)")
        }
    }
}
