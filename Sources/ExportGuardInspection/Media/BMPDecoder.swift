/// Checks a BMP file's header (file size, pixel offset, a known DIB header size) and
/// that the stream is as long as the header says; bytes beyond it are trailing data.
/// Bitmaps carry no text.
struct BMPDecoder: FrameDecoder {
    static let dibHeaderSizes: Set<Int> = [12, 40, 52, 56, 64, 108, 124]

    private var fileSize = 0
    private var bytes = 0
    private var failed = false
    private var trailer = TrailingData()

    var maxFrameBytes: Int { 18 }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> DecodingStep {
        if failed { return .consumed(input.count) }
        if bytes == 0 {
            guard input.count >= 18 else { return .needMoreData }
            let header = ByteReader(bytes: Array(input.prefix(18)))
            guard let size = try? header.u32(2), let pixels = try? header.u32(10), let dib = try? header.u32(14),
                  input[0] == 0x42, input[1] == 0x4D, Self.dibHeaderSizes.contains(dib), pixels >= 14 + dib, size >= pixels
            else {
                failed = true
                stream.uninspected(.corrupt("bmp: the file header is malformed"))
                return .consumed(input.count)
            }
            fileSize = size
            bytes = 18
            return .consumed(18)
        }
        if bytes < fileSize {
            let take = min(fileSize - bytes, input.count)
            bytes += take
            return .consumed(take)
        }
        trailer.feed(input, in: stream)
        return .consumed(input.count)
    }

    mutating func finish(unconsumed: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        trailer.finish(in: stream)
        guard !failed else { return }
        if bytes == 0 || bytes < fileSize {
            stream.uninspected(.corrupt("bmp: truncated (\(bytes) of \(fileSize) bytes)"))
        } else {
            stream.reportMedia(format: "bmp", bytes: fileSize)
        }
    }
}
