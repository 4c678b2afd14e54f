/// A structured MIME header value — `Content-Type` or `Content-Disposition` — as its
/// leading value (`multipart/mixed`, `attachment`, lowercased) and its parameters (names
/// lowercased). Parameter values may be quoted strings, RFC 2231 extended values
/// (`filename*=utf-8''%E6%9C%BA.csv`) and continuations (`filename*0*=…; filename*1*=…`),
/// or, as many mailers write them against the RFC, RFC 2047 encoded words.
///
/// The one parser of such values: mail parts, HTTP `Content-Type` and multipart
/// `Content-Disposition` all go through it.
public struct MIMEParameters: Sendable, Hashable {
    public var value: String
    public var parameters: [String: String]

    /// Sections of one RFC 2231 continued parameter, at most this many.
    static let maxSections = 1000

    /// How leniently a value is read.
    public enum Dialect: Sendable {
        /// Mail (RFC 2045/2231): comments are dropped, `name*` extended values and
        /// continuations are decoded and win over plain ones.
        case mail
        /// HTTP (RFC 9110): no comments, no extended values but `filename*` (RFC 8187) — a
        /// `(` in a boundary is part of it, as the servers behind a proxy read it, so a
        /// body is split where its recipient splits it.
        case http
    }

    public subscript(name: String) -> String? { parameters[name] }

    /// The boundary of a `multipart/*` type, when it is one and the boundary is usable
    /// (RFC 2046 allows 1–70 characters; up to 200 are taken).
    public var multipartBoundary: String? {
        guard value.hasPrefix("multipart/"), let boundary = parameters["boundary"], (1...200).contains(boundary.utf8.count) else { return nil }
        return boundary
    }

    /// The type before the slash of a content type (`text`), and the subtype after it.
    var type: Substring { value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? "" }
    var subtype: Substring {
        let pieces = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        return pieces.count == 2 ? pieces[1] : ""
    }

    public init(parsing raw: some Collection<UInt8>, dialect: Dialect = .mail) {
        let segments = Self.segments(Array(raw), comments: dialect == .mail)
        value = segments.first.map { String(decoding: Self.trimmed($0.name), as: UTF8.self).lowercased() } ?? ""
        parameters = [:]

        var extended: [String: [Int: (bytes: [UInt8], encoded: Bool)]] = [:]
        for segment in segments.dropFirst() {
            guard let raw = segment.value else { continue }
            let name = String(decoding: Self.trimmed(segment.name), as: UTF8.self).lowercased()
            guard !name.isEmpty else { continue }
            if let star = name.firstIndex(of: "*"), dialect == .mail || name.hasPrefix("filename*") {
                // RFC 2231: name*, name*N or name*N*.
                let base = String(name[..<star])
                var rest = name[name.index(after: star)...]
                let encoded = rest.isEmpty || rest.hasSuffix("*")
                if rest.hasSuffix("*") { rest = rest.dropLast() }
                let section = rest.isEmpty ? 0 : Int(rest)
                guard let section, section >= 0, section < Self.maxSections, !base.isEmpty else { continue }
                extended[base, default: [:]][section] = (raw, encoded)
            } else if parameters[name] == nil {
                // A boundary is matched byte for byte: never decoded.
                parameters[name] = name == "boundary" ? String(decoding: raw, as: UTF8.self) : EncodedWordDecoder.decode(raw)
            }
        }
        for (base, sections) in extended {
            var bytes: [UInt8] = []
            var charset: String?
            var index = 0
            while let section = sections[index] {
                var piece = section.bytes
                if section.encoded {
                    if index == 0 {
                        // charset'language'value
                        let quotes = piece.indices.filter { piece[$0] == UInt8(ascii: "'") }.prefix(2)
                        if quotes.count == 2 {
                            charset = String(decoding: piece[..<quotes[quotes.startIndex]], as: UTF8.self)
                            piece = Array(piece[(quotes[quotes.startIndex + 1] + 1)...])
                        }
                    }
                    piece = Self.percentDecoded(piece)
                }
                bytes += piece
                index += 1
            }
            guard index > 0 else { continue }
            parameters[base] = charset.map { $0.isEmpty ? MailCharset.decodeRaw(bytes) : MailCharset.decode(bytes, charset: $0) }
                ?? MailCharset.decodeRaw(bytes)
        }
    }

    /// Splits at `;` outside quoted strings and comments; each piece is a name and, after
    /// its first `=`, a value with quotes removed and escapes resolved.
    private static func segments(_ bytes: [UInt8], comments: Bool) -> [(name: [UInt8], value: [UInt8]?)] {
        var result: [(name: [UInt8], value: [UInt8]?)] = []
        var name: [UInt8] = []
        var value: [UInt8]?
        var inQuotes = false
        var quoted = false
        var comment = 0
        var escaped = false
        func close() {
            result.append((name, value.map { quoted ? $0 : trimmed($0) }))
            name = []
            value = nil
            quoted = false
        }
        for byte in bytes {
            if inQuotes {
                if escaped {
                    escaped = false
                    value?.append(byte)
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inQuotes = false
                } else {
                    value?.append(byte)
                }
                continue
            }
            if comment > 0 {
                if byte == UInt8(ascii: "(") { comment += 1 }
                if byte == UInt8(ascii: ")") { comment -= 1 }
                continue
            }
            switch byte {
            case UInt8(ascii: ";"):
                close()
            case UInt8(ascii: "(") where comments:
                comment = 1
            case UInt8(ascii: "\"") where value != nil && trimmed(value!).isEmpty:
                value = []
                inQuotes = true
                quoted = true
            case UInt8(ascii: "=") where value == nil && !result.isEmpty:
                value = []
            case 0x0D, 0x0A:
                continue
            default:
                if value != nil {
                    // Text after a closing quote is ignored.
                    if !quoted { value!.append(byte) }
                } else {
                    name.append(byte)
                }
            }
        }
        close()
        return result
    }

    static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return Array(bytes[start..<end])
    }

    private static func percentDecoded(_ bytes: [UInt8]) -> [UInt8] {
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }
}
