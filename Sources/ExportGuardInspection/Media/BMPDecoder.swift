/// Checks a BMP file: the file header (size, pixel offset), the DIB header (a known size,
/// dimensions, bits per pixel, compression), and that the pixel array is exactly as large
/// as the dimensions say, so a bitmap header cannot wrap other content. Pixel data that
/// reads as text is reported; JPEG or PNG pixel data is read as a stream of its own.
/// Bytes beyond the file's size are trailing data.
struct BMPDecoder: MediaFormat {
    static let name = "bmp"
    static let dibHeaderSizes: Set<Int> = [12, 40, 52, 56, 64, 108, 124]
    /// Pixel bytes looked at for text.
    static let probeBytes = 4096

    private var fileSize = 0
    private var pixelOffset = 0
    private var position = 0
    private var probe: [UInt8] = []
    /// Compressed pixel data (an embedded JPEG or PNG), read as a stream.
    private var embedded: StreamDispatcher?
    private var embeddedFormat: String?

    var maxFrameBytes: Int { 34 }

    /// `BM`, then a file header whose reserved field is zero and whose DIB header has a
    /// known size: two letters alone would take text starting with "BM" for a bitmap.
    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        guard head.count >= 18, head[0] == 0x42, head[1] == 0x4D, head[6..<10].allSatisfy({ $0 == 0 }) else { return false }
        return dibHeaderSizes.contains(head.field(at: 14, size: 4, bigEndian: false))
    }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> MediaStep {
        if position == 0 {
            // The file header and the DIB header's size, then the DIB fields read here.
            guard input.count >= 18 else { return .needMoreData }
            let dib = input.field(at: 14, size: 4, bigEndian: false)
            let headerBytes = dib == 12 ? 26 : 34
            guard input.count >= headerBytes else { return .needMoreData }
            if let problem = readHeaders(ByteReader(bytes: Array(input.prefix(headerBytes)))) { return .corrupt(problem) }
            guard fileSize >= headerBytes else { return .corrupt("a file size of \(fileSize) bytes") }
            position = headerBytes
            return position == fileSize ? .ended(headerBytes) : .consumed(headerBytes)
        }
        let take = min(fileSize - position, input.count)
        // The part of this piece that is pixel data.
        let pixelsFrom = max(0, pixelOffset - position)
        if pixelsFrom < take {
            let pixels = UnsafeRawBufferPointer(rebasing: input[pixelsFrom..<take])
            if embeddedFormat != nil, embedded == nil { embedded = stream.child(named: "pixels") }
            if let embedded {
                embedded.feed(pixels)
            } else if probe.count < Self.probeBytes {
                probe.append(contentsOf: pixels.prefix(Self.probeBytes - probe.count))
            }
        }
        position += take
        guard position == fileSize else { return .consumed(take) }
        if embedded == nil, MetadataText.isReadable(probe) {
            return .corrupt("the pixel data reads as text")
        }
        return .ended(take)
    }

    /// Reads the file and DIB headers; a reason when they do not describe a whole bitmap.
    private mutating func readHeaders(_ header: ByteReader) -> String? {
        guard let size = try? header.u32(2), let pixels = try? header.u32(10), let dib = try? header.u32(14),
              (try? header.u16(0)) == 0x4D42, Self.dibHeaderSizes.contains(dib), pixels >= 14 + dib, size >= pixels
        else { return "the file header is malformed" }
        let width, height, bitsPerPixel, compression: Int
        if dib == 12 {
            guard let w = try? header.u16(18), let h = try? header.u16(20), let bpp = try? header.u16(24) else { return "the DIB header is cut" }
            (width, height, bitsPerPixel, compression) = (w, h, bpp, 0)
        } else {
            guard let w = try? header.u32(18), let h = try? header.u32(22), let bpp = try? header.u16(28), let c = try? header.u32(30) else {
                return "the DIB header is cut"
            }
            // Height is signed: negative means top-down rows.
            (width, height, bitsPerPixel, compression) = (w, h >= 0x8000_0000 ? 0x1_0000_0000 - h : h, bpp, c)
        }
        fileSize = size
        pixelOffset = pixels
        switch compression {
        case 0, 3, 6:
            guard [1, 2, 4, 8, 16, 24, 32].contains(bitsPerPixel), width > 0, width <= 1 << 16, height > 0, height <= 1 << 16 else {
                return "\(width)×\(height) at \(bitsPerPixel) bits per pixel is not a bitmap"
            }
            let expected = (bitsPerPixel * width + 31) / 32 * 4 * height
            // Writers pad the file to a multiple of four at most.
            guard size - pixels >= expected, size - pixels - expected < 4 else {
                return "the pixel array holds \(size - pixels) bytes where \(width)×\(height)×\(bitsPerPixel) needs \(expected)"
            }
        case 4, 5:
            embeddedFormat = compression == 4 ? "jpeg" : "png"
        default:
            return "compression \(compression) (run-length) is not read"
        }
        return nil
    }

    var truncation: String { "truncated (\(position) of \(fileSize) bytes)" }

    mutating func flush(in stream: StreamDispatcher) {
        embedded?.finish()
        embedded = nil
    }
}
