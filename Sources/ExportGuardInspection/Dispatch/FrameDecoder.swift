/// What a ``FrameDecoder`` did with the bytes in front of it.
enum DecodingStep: Equatable {
    /// It used this many bytes (at least one) and can go on.
    case consumed(Int)
    /// The bytes there are too few for the next frame: call again when more have arrived.
    case needMoreData
}

/// A decoder for a format made of frames — chunks, segments, records — in the shape of
/// swift-nio's `ByteToMessageDecoder`: it looks at the bytes in front of it and either
/// consumes some or asks for more. ``CumulatingDecoder`` keeps the cumulation buffer, so a
/// frame decoder never re-implements buffering and sees a whole frame at once however
/// its stream was chunked.
///
/// Large payloads (image data, entry data) are consumed piece by piece instead of asked
/// for whole, so the cumulation stays small; ``maxFrameBytes`` bounds it.
protocol FrameDecoder {
    /// The most bytes the decoder may ask to see at once.
    var maxFrameBytes: Int { get }
    /// Decodes from the front of `input` (valid during the call only).
    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> DecodingStep
    /// The stream ended; `unconsumed` holds the bytes no frame took (a truncated frame).
    mutating func finish(unconsumed: UnsafeRawBufferPointer, in stream: StreamDispatcher)
}

/// Runs a ``FrameDecoder`` over a stream's chunks with a cumulation buffer: bytes a frame
/// needs but that have not all arrived are kept, and offered again with the next chunk.
struct CumulatingDecoder<Frames: FrameDecoder>: StreamDecoder {
    private(set) var frames: Frames
    private var cumulation: [UInt8] = []

    init(_ frames: Frames) {
        self.frames = frames
    }

    mutating func decode(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        if cumulation.isEmpty {
            let used = run(bytes, in: stream)
            if used < bytes.count, !stream.isStopped { cumulation.append(contentsOf: bytes[used...]) }
        } else {
            cumulation.append(contentsOf: bytes)
            var held: [UInt8] = []
            swap(&held, &cumulation)
            let used = held.withUnsafeBytes { run($0, in: stream) }
            held.removeFirst(used)
            cumulation = held
        }
        if cumulation.count > frames.maxFrameBytes, !stream.isStopped {
            stream.stop(.limitExceeded("a record of more than \(frames.maxFrameBytes) bytes"))
        }
    }

    mutating func finish(in stream: StreamDispatcher) {
        var rest: [UInt8] = []
        swap(&rest, &cumulation)
        rest.withUnsafeBytes { frames.finish(unconsumed: $0, in: stream) }
    }

    /// Decodes frames from `input` until the decoder wants more; returns the bytes used.
    private mutating func run(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> Int {
        var offset = 0
        while offset < input.count, !stream.isStopped {
            switch frames.decode(UnsafeRawBufferPointer(rebasing: input[offset...]), in: stream) {
            case .consumed(let count):
                guard count > 0 && count <= input.count - offset else {
                    // A decoder defect must not hang or trap a gateway: the stream is given up.
                    stream.stop(.corrupt("\(Frames.self) consumed \(count) of \(input.count - offset) bytes"))
                    return input.count
                }
                offset += count
            case .needMoreData:
                return offset
            }
        }
        return stream.isStopped ? input.count : offset
    }
}
