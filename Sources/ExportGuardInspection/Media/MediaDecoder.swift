/// What a ``MediaFormat`` did with the bytes in front of it.
enum MediaStep: Equatable {
    case consumed(Int)
    case needMoreData
    /// The format's last frame, of this many bytes (0 when it already ended with the last
    /// frame consumed): what follows is trailing data.
    case ended(Int)
    /// The structure is broken: the part is corrupt, and the rest is not read.
    case corrupt(String)
}

/// A picture or drawing format read frame by frame up to its end marker. The format only
/// parses; ``MediaDecoder`` counts, reports damage once, hands bytes after the end to
/// ``TrailingData`` and reports the whole part as media.
protocol MediaFormat {
    /// The format's name in reports (`png`).
    static var name: String { get }
    var maxFrameBytes: Int { get }
    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> MediaStep
    /// Why a stream that ended before the format did is truncated (`truncated in the IDAT chunk`).
    var truncation: String { get }
    /// Checks the whole once the format ended after `bytes` bytes (a declared size that
    /// disagrees); nil when it is whole.
    mutating func problemAtEnd(bytes: Int) -> String?
    /// Hands on what the format still holds (text batched, a child stream) at the end.
    mutating func flush(in stream: StreamDispatcher)
    /// Whether the stream may end where the format is now (a format of boxes or chunks
    /// with no end marker, such as MP4, ends with its last whole box).
    var mayEndHere: Bool { get }
}

extension MediaFormat {
    mutating func problemAtEnd(bytes: Int) -> String? { nil }
    mutating func flush(in stream: StreamDispatcher) {}
    var mayEndHere: Bool { false }
}

/// Runs a ``MediaFormat`` as a ``FrameDecoder``.
struct MediaDecoder<Format: MediaFormat>: FrameDecoder {
    private enum Phase {
        case body
        case trailer
        case failed
    }

    private var format: Format
    private var phase = Phase.body
    private var bytes = 0
    private var trailer = TrailingData()

    init(_ format: Format) {
        self.format = format
    }

    var maxFrameBytes: Int { format.maxFrameBytes }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> DecodingStep {
        switch phase {
        case .failed:
            return .consumed(input.count)
        case .trailer:
            trailer.feed(input, in: stream)
            return .consumed(input.count)
        case .body:
            switch format.decode(input, in: stream) {
            case .consumed(let count):
                bytes += count
                return .consumed(count)
            case .needMoreData:
                return .needMoreData
            case .ended(let count):
                bytes += count
                phase = .trailer
                return count > 0 ? .consumed(count) : decode(input, in: stream)
            case .corrupt(let message):
                phase = .failed
                stream.uninspected(.corrupt("\(Format.name): \(message)"))
                return .consumed(input.count)
            }
        }
    }

    mutating func finish(unconsumed: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        format.flush(in: stream)
        trailer.finish(in: stream)
        // A stream stopped (a limit) was reported as such; it is not also truncated.
        guard !stream.isStopped else { return }
        switch phase {
        case .failed:
            break
        case .body where !format.mayEndHere:
            stream.uninspected(.corrupt("\(Format.name): \(format.truncation)"))
        case .trailer, .body:
            if let problem = format.problemAtEnd(bytes: bytes) {
                stream.uninspected(.corrupt("\(Format.name): \(problem)"))
            } else {
                stream.reportMedia(format: Format.name, bytes: bytes)
            }
        }
    }
}
