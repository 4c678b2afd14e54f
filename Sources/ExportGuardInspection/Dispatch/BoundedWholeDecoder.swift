/// A format whose structure can only be read with all of it at hand (offsets point
/// anywhere), small enough to hold: TIFF, printer settings.
protocol WholeFormat {
    /// The most bytes held; a larger stream is reported as over a limit.
    static var maximumBytes: Int { get }
    /// What the limit message calls a part of this format (`tiff`).
    static var partName: String { get }
    /// Reads the whole stream.
    func read(_ bytes: [UInt8], in stream: StreamDispatcher)
}

/// Collects a stream, up to its format's bound, and reads it whole at the end.
struct BoundedWholeDecoder<Format: WholeFormat>: StreamDecoder {
    private let format: Format
    private var bytes: [UInt8] = []
    private var tooLarge = false

    init(_ format: Format) {
        self.format = format
    }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        guard !tooLarge else { return }
        guard bytes.count + input.count <= Format.maximumBytes else {
            tooLarge = true
            bytes = []
            return
        }
        bytes.append(contentsOf: input)
    }

    mutating func finish(in stream: StreamDispatcher) {
        guard !stream.isStopped else { return }
        if tooLarge {
            let size = Format.maximumBytes >= 1 << 20 ? "\(Format.maximumBytes >> 20) MiB" : "\(Format.maximumBytes >> 10) KiB"
            stream.uninspected(.limitExceeded("\(Format.partName) larger than \(size)"))
            return
        }
        format.read(bytes, in: stream)
    }
}
