/// Reads an MP3 file: an optional ID3v2 tag (held, up to a bound, and its text frames
/// read: title, artist, album, comment, lyrics …), then MPEG audio frames walked header by
/// header (each header gives its frame's length), then an optional ID3v1 tag. Bytes that
/// are none of these end the audio and are trailing data.
struct MP3Decoder: MediaFormat {
    static let name = "mp3"
    /// The largest ID3v2 tag held to read its text (cover pictures make tags large).
    static let maxTag = 16 << 20

    private enum State {
        case tag
        case frames
        case skip(remaining: Int)
    }

    private var state = State.tag
    private var frames = 0

    var maxFrameBytes: Int { Self.maxTag + 10 }

    var mayEndHere: Bool {
        if case .frames = state { return frames > 0 }
        return false
    }

    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        if head.count >= 10, head.prefix(3).elementsEqual(Array("ID3".utf8)), (2...4).contains(head[3]),
           head[6..<10].allSatisfy({ $0 < 0x80 }) {
            return true
        }
        // Bare audio: two frames in a row.
        guard let first = frameLength(head, at: 0), let _ = frameLength(head, at: first) else { return false }
        return true
    }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> MediaStep {
        switch state {
        case .tag:
            guard input.count >= 10 else { return .needMoreData }
            guard input.prefix(3).elementsEqual(Array("ID3".utf8)) else {
                state = .frames
                return decode(input, in: stream)
            }
            let size = (6..<10).reduce(0) { $0 << 7 | Int(input[$1] & 0x7F) } + (input[5] & 0x10 != 0 ? 20 : 10)
            guard size <= Self.maxTag else {
                stream.uninspected(.limitExceeded("mp3: an ID3 tag of more than \(Self.maxTag >> 20) MiB (its text is not read)"))
                return skip(size, of: input)
            }
            guard input.count >= size else { return .needMoreData }
            let tag = ID3Tag.texts(Array(input[0..<size]))
            for (frame, text) in tag.texts { stream.emitMetadata("ID3:\(frame)", text) }
            if tag.unread > 0 { stream.uninspected(.unsupported("mp3: \(tag.unread) compressed or encrypted ID3 frames")) }
            state = .frames
            return .consumed(size)
        case .frames:
            guard input.count >= 4 else { return .needMoreData }
            if let length = Self.frameLength(input, at: 0) {
                frames += 1
                return skip(length, of: input)
            }
            if input.prefix(3).elementsEqual(Array("TAG".utf8)) {
                guard input.count >= 128 else { return .needMoreData }
                // ID3v1: title, artist, album (30 bytes each), year, comment.
                for (label, range) in [("title", 3..<33), ("artist", 33..<63), ("album", 63..<93), ("comment", 97..<127)] {
                    let field = input[range].prefix { $0 != 0 }
                    let text = MetadataText.utf8(field, encoding: .undeclared)
                    if text.contains(where: { $0 > 0x20 }) { stream.emitMetadata("ID3v1:\(label)", text) }
                }
                return .ended(128)
            }
            guard frames > 0 else { return .corrupt("no MPEG audio frame after the tag") }
            return .ended(0)
        case .skip(let remaining):
            let take = min(remaining, input.count)
            state = take == remaining ? .frames : .skip(remaining: remaining - take)
            return .consumed(take)
        }
    }

    var truncation: String { "truncated inside a frame" }

    /// Passes over `count` bytes, those of `input` first.
    private mutating func skip(_ count: Int, of input: UnsafeRawBufferPointer) -> MediaStep {
        let take = min(count, input.count)
        state = take == count ? .frames : .skip(remaining: count - take)
        return .consumed(take)
    }

    /// The length of the MPEG audio frame whose header is at `offset`, or nil when none is.
    static func frameLength(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        guard offset >= 0, offset + 4 <= bytes.count, bytes[offset] == 0xFF, bytes[offset + 1] & 0xE0 == 0xE0 else { return nil }
        let version = Int(bytes[offset + 1] >> 3 & 3), layer = Int(bytes[offset + 1] >> 1 & 3)
        let rateIndex = Int(bytes[offset + 2] >> 4), sampleIndex = Int(bytes[offset + 2] >> 2 & 3)
        let padding = Int(bytes[offset + 2] >> 1 & 1)
        guard version != 1, layer != 0, (1...14).contains(rateIndex), sampleIndex != 3 else { return nil }
        let mpeg1 = version == 3
        let table: [Int] = switch (mpeg1, layer) {
        case (true, 3): [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448]
        case (true, 2): [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384]
        case (true, _): [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
        case (false, 3): [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256]
        default: [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
        }
        let bitrate = table[rateIndex - 1] * 1000
        let sampleRate = [44100, 48000, 32000][sampleIndex] >> (mpeg1 ? 0 : version == 2 ? 1 : 2)
        switch layer {
        case 3: return (12 * bitrate / sampleRate + padding) * 4
        case 2: return 144 * bitrate / sampleRate + padding
        default: return (mpeg1 ? 144 : 72) * bitrate / sampleRate + padding
        }
    }
}

/// The text frames of an ID3v2 tag (versions 2.2 to 2.4).
enum ID3Tag {
    /// The text frames' text, and how many frames could not be read (compressed or
    /// encrypted frames of 2.3 and 2.4).
    static func texts(_ tag: [UInt8]) -> (texts: [(frame: String, text: [UInt8])], unread: Int) {
        let major = tag[3], flags = tag[5]
        var body = Array(tag[10...])
        // Unsynchronisation of the whole tag (2.2, 2.3): FF 00 stands for FF.
        if flags & 0x80 != 0, major < 4 { body = resynchronised(body) }
        let reader = ByteReader(bytes: body, bigEndian: true)
        var offset = 0
        if flags & 0x40 != 0, major >= 3, let size = try? reader.u32(0) {
            offset = major == 4 ? syncsafe(size) : size + 4
        }
        let headerSize = major == 2 ? 6 : 10
        var texts: [(String, [UInt8])] = []
        var unread = 0
        while offset + headerSize <= body.count, body[offset] != 0 {
            let idLength = major == 2 ? 3 : 4
            let id = String(decoding: body[offset..<(offset + idLength)], as: UTF8.self)
            let size: Int
            if major == 2 {
                size = Int(body[offset + 3]) << 16 | Int(body[offset + 4]) << 8 | Int(body[offset + 5])
            } else {
                guard let raw = try? reader.u32(offset + 4) else { break }
                size = major == 4 ? syncsafe(raw) : raw
            }
            let start = offset + headerSize
            guard size <= body.count - start else { break }
            var data = body[start..<(start + size)]
            offset = start + size
            if major >= 3 {
                let flags = body[start - 1]
                // 2.3: compression 0x80, encryption 0x40, grouping 0x20 (one byte more).
                // 2.4: grouping 0x40, compression 0x08, encryption 0x04, length 0x01 (four).
                let (compressed, encrypted, grouped, length) = major == 3
                    ? (flags & 0x80 != 0, flags & 0x40 != 0, flags & 0x20 != 0, flags & 0x80 != 0)
                    : (flags & 0x08 != 0, flags & 0x04 != 0, flags & 0x40 != 0, flags & 0x01 != 0)
                if compressed || encrypted {
                    if id.hasPrefix("T") || ["COMM", "USLT"].contains(id) { unread += 1 }
                    continue
                }
                data = data.dropFirst((grouped ? 1 : 0) + (length ? 4 : 0))
            }
            if let text = frameText(id, data), text.contains(where: { $0 > 0x20 }) { texts.append((id, text)) }
        }
        return (texts, unread)
    }

    /// Text frames (`T…`), comments and lyrics (`COMM`, `USLT`; `COM`, `ULT` in 2.2).
    private static func frameText(_ id: String, _ data: ArraySlice<UInt8>) -> [UInt8]? {
        guard let encoding = data.first else { return nil }
        var value = data.dropFirst()
        if ["COMM", "USLT", "COM", "ULT"].contains(id) {
            value = value.dropFirst(3)  // language
        } else if !id.hasPrefix("T") {
            return nil
        }
        let text: [UInt8]
        switch encoding {
        case 1, 2:
            var units = stride(from: value.startIndex, to: value.endIndex - 1, by: 2).map { (value[$0], value[$0 + 1]) }
            var bigEndian = encoding == 2
            if let first = units.first, first == (0xFF, 0xFE) || first == (0xFE, 0xFF) {
                bigEndian = first.0 == 0xFE
                units.removeFirst()
            }
            let decoded = units.map { bigEndian ? UInt16($0.0) << 8 | UInt16($0.1) : UInt16($0.1) << 8 | UInt16($0.0) }
            text = Array(String(decoding: decoded.map { $0 == 0 ? 0x0A : $0 }, as: UTF16.self).utf8)
        case 3:
            text = value.map { $0 == 0 ? 0x0A : $0 }
        default:
            // Latin-1 by the standard; GBK in practice in many Chinese files.
            text = MetadataText.utf8(value.map { $0 == 0 ? 0x0A : $0 }, encoding: .undeclared)
        }
        return text
    }

    private static func syncsafe(_ value: Int) -> Int {
        (value >> 24 & 0x7F) << 21 | (value >> 16 & 0x7F) << 14 | (value >> 8 & 0x7F) << 7 | (value & 0x7F)
    }

    private static func resynchronised(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var previous: UInt8 = 0
        for byte in bytes {
            if !(previous == 0xFF && byte == 0x00) { output.append(byte) }
            previous = byte
        }
        return output
    }
}
