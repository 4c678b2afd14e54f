import ExportGuardCore
import ExportGuardGateway
import NIOCore

/// A violation of the wire format; `status` is the ICAP or HTTP status to answer with.
public struct ProtocolError: Error, Equatable, CustomStringConvertible, Sendable {
    public var status: Int
    public var message: String

    public init(status: Int = 400, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status): \(message)" }
}

/// Decodes HTTP/1.1 chunked transfer coding (RFC 9112 §7.1) as bytes arrive, which is
/// how ICAP carries encapsulated bodies. Reports the `ieof` extension of the last chunk
/// (RFC 3507 §4.5: the preview held the whole body).
public struct ChunkedDecoder: Sendable {
    public enum Event: Equatable, Sendable {
        /// Body bytes (a slice of the input, not copied).
        case data(ByteBuffer)
        /// The last chunk and any trailer have been read.
        case end(ieof: Bool)
    }

    private enum State: Sendable {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailer
        case done
    }

    private var state = State.size
    private var line: [UInt8] = []
    private var ieof = false
    private var trailerBytes = 0
    public static let maxLineLength = 4096
    public static let maxTrailerBytes = 16 << 10

    public init() {}

    public var isDone: Bool {
        if case .done = state { return true }
        return false
    }

    /// Reads from `buffer` until one event is ready or the buffer is used up (nil).
    public mutating func next(_ buffer: inout ByteBuffer) throws(ProtocolError) -> Event? {
        while true {
            switch state {
            case .done:
                return nil
            case .data(let remaining):
                guard buffer.readableBytes > 0 else { return nil }
                let count = min(remaining, buffer.readableBytes)
                let slice = buffer.readSlice(length: count)!
                state = remaining == count ? .dataEnd : .data(remaining: remaining - count)
                return .data(slice)
            case .size, .dataEnd, .trailer:
                guard let text = try readLine(&buffer) else { return nil }
                switch state {
                case .dataEnd:
                    guard text.isEmpty else { throw ProtocolError("chunk data is not followed by CRLF") }
                    state = .size
                case .size:
                    let size = try Self.parseSizeLine(text, ieof: &ieof)
                    state = size == 0 ? .trailer : .data(remaining: size)
                case .trailer:
                    if text.isEmpty {
                        state = .done
                        return .end(ieof: ieof)
                    }
                    trailerBytes += text.count
                    if trailerBytes > Self.maxTrailerBytes { throw ProtocolError("chunked trailer too large") }
                default:
                    break
                }
            }
        }
    }

    /// Reads one line (without CRLF) or returns nil when it has not fully arrived.
    private mutating func readLine(_ buffer: inout ByteBuffer) throws(ProtocolError) -> [UInt8]? {
        let view = buffer.readableBytesView
        if let newline = view.firstIndex(of: 0x0A) {
            let length = newline - view.startIndex
            line.append(contentsOf: view[view.startIndex..<newline])
            buffer.moveReaderIndex(forwardBy: length + 1)
            if line.last == 0x0D { line.removeLast() }
            defer { line.removeAll(keepingCapacity: true) }
            if line.count > Self.maxLineLength { throw ProtocolError("chunk line too long") }
            return line
        }
        line.append(contentsOf: view)
        buffer.moveReaderIndex(forwardBy: view.count)
        if line.count > Self.maxLineLength { throw ProtocolError("chunk line too long") }
        return nil
    }

    static func parseSizeLine(_ text: [UInt8], ieof: inout Bool) throws(ProtocolError) -> Int {
        var index = 0
        var size = 0
        var digits = 0
        while index < text.count, let value = hexValue(text[index]) {
            // Checked before the digit is added, so no size can overflow; leading zeros are
            // allowed however many.
            if size > (Int.max >> 4) - 1 { throw ProtocolError("chunk size too large") }
            size = size << 4 | value
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw ProtocolError("bad chunk size line") }
        // Optional whitespace, then extensions: `; name[=value]`.
        while index < text.count, text[index] == 0x20 || text[index] == 0x09 { index += 1 }
        if index < text.count {
            guard text[index] == UInt8(ascii: ";") else { throw ProtocolError("bad chunk size line") }
            let extensions = String(decoding: text[(index + 1)...], as: UTF8.self)
            for item in extensions.split(separator: ";") {
                let name = item.split(separator: "=").first.map { $0.trimmingSpaces().lowercased() } ?? ""
                if name == "ieof" { ieof = true }
            }
        }
        if size != 0 && ieof { throw ProtocolError("ieof on a chunk that is not the last") }
        return size
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}

/// Frames bytes as chunks.
public enum ChunkedEncoder {
    public static func chunk(_ bytes: some Collection<UInt8>, into buffer: inout ByteBuffer) {
        guard !bytes.isEmpty else { return }
        buffer.writeString(String(bytes.count, radix: 16) + "\r\n")
        buffer.writeBytes(bytes)
        buffer.writeString("\r\n")
    }

    public static func chunk(_ bytes: UnsafeRawBufferPointer, into buffer: inout ByteBuffer) {
        guard bytes.count > 0 else { return }
        buffer.writeString(String(bytes.count, radix: 16) + "\r\n")
        buffer.writeBytes(bytes)
        buffer.writeString("\r\n")
    }

    public static func last(into buffer: inout ByteBuffer) {
        buffer.writeString("0\r\n\r\n")
    }
}
