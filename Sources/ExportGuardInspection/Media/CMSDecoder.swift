/// Reads a CMS (PKCS #7) message whole, as S/MIME carries it (`smime.p7s`,
/// `application/pkcs7-signature`, `application/pkcs7-mime`). Its DER (or BER) structure is
/// walked to the end; a detached signature holds certificates and signer information only —
/// their names and other strings are read as text, and the part is reported as a
/// signature; signed data that carries its content (opaque signing) hands that content to a
/// stream of its own; enveloped or encrypted data is encrypted.
struct CMSDecoder: WholeFormat {
    static let maximumBytes = 4 << 20
    static let partName = "PKCS #7 message"
    static let name = "pkcs7-signature"

    /// 1.2.840.113549.1.7.2 (signedData), .3 (envelopedData), .6 (encryptedData),
    /// .5 (digestedData), 1.2.840.113549.1.9.16.1.23 (authEnvelopedData).
    static let signedData: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02]
    static let encryptedTypes: [[UInt8]] = [
        [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x03],
        [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x06],
        [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x01, 0x17],
    ]

    /// A SEQUENCE whose first element is one of the content-type OIDs above.
    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        let bytes = Array(head.prefix(64))
        // The whole message is not in the head: its length is not checked against it.
        guard let outer = try? DERElement.read(bytes, at: 0, whole: false), outer.tag == 0x30,
              let type = try? DERElement.read(bytes, at: outer.contentStart), type.tag == 0x06,
              type.contentStart + type.length <= bytes.count else { return false }
        let oid = Array(bytes[type.contentStart..<(type.contentStart + type.length)])
        return oid == signedData || encryptedTypes.contains(oid)
    }

    func read(_ bytes: [UInt8], in stream: StreamDispatcher) {
        do {
            let outer = try DERElement.read(bytes, at: 0)
            let end = try outer.end(in: bytes)
            let type = try DERElement.read(bytes, at: outer.contentStart)
            let oid = Array(bytes[type.contentStart..<(type.contentStart + type.length)])
            if Self.encryptedTypes.contains(oid) {
                stream.uninspected(.encrypted)
                return
            }
            var strings: [String] = []
            var content: [UInt8]?
            try Self.walk(bytes, from: outer.contentStart, to: end, strings: &strings)
            // signedData [0] { SEQUENCE { version, digestAlgorithms, encapContentInfo … } }
            let explicit = try DERElement.read(bytes, at: type.contentStart + type.length)
            let signed = try DERElement.read(bytes, at: explicit.contentStart)
            var cursor = signed.contentStart
            for _ in 0..<2 { cursor = try DERElement.read(bytes, at: cursor).end(in: bytes) }
            let encapsulated = try DERElement.read(bytes, at: cursor)
            let contentType = try DERElement.read(bytes, at: encapsulated.contentStart)
            let afterType = contentType.contentStart + contentType.length
            if afterType < (try encapsulated.end(in: bytes)), let eContent = try? DERElement.read(bytes, at: afterType), eContent.tag == 0xA0 {
                content = try Self.octets(bytes, DERElement.read(bytes, at: eContent.contentStart))
            }
            if !strings.isEmpty { Array(strings.joined(separator: "\n").utf8).withUnsafeBytes { stream.emitText($0) } }
            if let content {
                stream.closeText()
                let child = stream.child(named: "signed-content")
                content.withUnsafeBytes { child.feed($0) }
                child.finish()
            }
            stream.reportMedia(format: Self.name, bytes: bytes.count)
        } catch {
            stream.uninspected(.corrupt("pkcs7: \(error.detail)"))
        }
    }

    /// Collects the text of every string element (names in certificates, the signer's).
    private static func walk(_ bytes: [UInt8], from start: Int, to end: Int, strings: inout [String]) throws(DERElement.Malformed) {
        try DERElement.walk(bytes, from: start, to: end) { element throws(DERElement.Malformed) in
            if let string = element.string(in: bytes), string.contains(where: { !$0.isWhitespace }) { strings.append(string) }
        }
    }

    /// The bytes of an OCTET STRING, primitive or (BER) constructed of pieces.
    private static func octets(_ bytes: [UInt8], _ element: DERElement) throws(DERElement.Malformed) -> [UInt8] {
        if !element.constructed { return Array(bytes[element.contentStart..<(element.contentStart + element.length)]) }
        var output: [UInt8] = []
        var cursor = element.contentStart
        let end = try element.end(in: bytes) - (element.indefinite ? 2 : 0)
        while cursor < end {
            let piece = try DERElement.read(bytes, at: cursor)
            output += try octets(bytes, piece)
            cursor = try piece.end(in: bytes)
        }
        return output
    }
}

/// One BER/DER element: tag, where its content starts, and its length (definite, or
/// indefinite and then found by walking to its end-of-contents marker).
struct DERElement {
    struct Malformed: Error {
        let detail: String
    }

    let start: Int
    let tag: UInt8
    let contentStart: Int
    /// The content's length; for an indefinite length, up to the end of the bytes.
    let length: Int
    let indefinite: Bool

    var constructed: Bool { tag & 0x20 != 0 }

    /// The element at `offset`; with `whole`, one whose length runs past the bytes is malformed.
    static func read(_ bytes: [UInt8], at offset: Int, whole: Bool = true) throws(Malformed) -> DERElement {
        guard offset >= 0, offset + 2 <= bytes.count else { throw Malformed(detail: "an element cut short at byte \(offset)") }
        let tag = bytes[offset]
        guard tag & 0x1F != 0x1F else { throw Malformed(detail: "a multi-byte tag at byte \(offset)") }
        let first = Int(bytes[offset + 1])
        if first < 0x80 { return try checked(offset, tag, offset + 2, first, in: bytes, whole: whole) }
        if first == 0x80 {
            guard tag & 0x20 != 0 else { throw Malformed(detail: "an indefinite length on a primitive element") }
            return DERElement(start: offset, tag: tag, contentStart: offset + 2, length: bytes.count - offset - 2, indefinite: true)
        }
        let count = first & 0x7F
        guard count <= 4, offset + 2 + count <= bytes.count else { throw Malformed(detail: "a length of \(count) bytes at byte \(offset)") }
        let length = (0..<count).reduce(0) { $0 << 8 | Int(bytes[offset + 2 + $1]) }
        return try checked(offset, tag, offset + 2 + count, length, in: bytes, whole: whole)
    }

    private static func checked(_ offset: Int, _ tag: UInt8, _ contentStart: Int, _ length: Int, in bytes: [UInt8], whole: Bool) throws(Malformed) -> DERElement {
        guard !whole || length <= bytes.count - contentStart else { throw Malformed(detail: "an element runs past the end at byte \(offset)") }
        return DERElement(start: offset, tag: tag, contentStart: contentStart, length: length, indefinite: false)
    }

    /// Visits every primitive element between `start` and `end`, depth first, walking into
    /// constructed ones; each must lie inside its parent.
    static func walk(_ bytes: [UInt8], from start: Int, to end: Int, depth: Int = 0, indefinite: Bool = false,
                     visit: (DERElement) throws(Malformed) -> Void) throws(Malformed) {
        guard depth < 32 else { throw Malformed(detail: "nested more than 32 levels") }
        var cursor = start
        while cursor < end {
            // BER's end-of-contents marker closes an indefinite length, and only that.
            if indefinite, bytes[cursor] == 0, cursor + 1 < end, bytes[cursor + 1] == 0 { return }
            let element = try DERElement.read(bytes, at: cursor)
            let elementEnd = try element.end(in: bytes)
            guard elementEnd <= end else { throw Malformed(detail: "an element runs past its parent") }
            if element.constructed {
                try walk(bytes, from: element.contentStart, to: element.indefinite ? elementEnd - 2 : elementEnd, depth: depth + 1,
                         indefinite: element.indefinite, visit: visit)
            } else {
                try visit(element)
            }
            cursor = elementEnd
        }
    }

    /// Where the element ends (after its end-of-contents marker when indefinite); nested
    /// indefinite lengths are followed 32 levels deep at most.
    func end(in bytes: [UInt8], depth: Int = 0) throws(Malformed) -> Int {
        guard indefinite else { return contentStart + length }
        guard depth < 32 else { throw Malformed(detail: "indefinite lengths nested more than 32 levels") }
        var cursor = contentStart
        var steps = 0
        while cursor + 2 <= bytes.count {
            if bytes[cursor] == 0 && bytes[cursor + 1] == 0 { return cursor + 2 }
            cursor = try DERElement.read(bytes, at: cursor).end(in: bytes, depth: depth + 1)
            steps += 1
            guard steps < 1 << 20 else { break }
        }
        throw Malformed(detail: "an indefinite length without its end at byte \(start)")
    }

    /// The text of a string element: UTF8String, PrintableString, IA5String, T61String,
    /// BMPString (UTF-16BE) or UniversalString (UTF-32BE).
    func string(in bytes: [UInt8]) -> String? {
        let content = bytes[contentStart..<(contentStart + length)]
        switch tag {
        case 0x0C, 0x13, 0x16, 0x14, 0x1A: return String(decoding: content, as: UTF8.self)
        case 0x1E: return String(decoding: MetadataText.utf8(content, encoding: .utf16BigEndian), as: UTF8.self)
        case 0x1C:
            let scalars = stride(from: content.startIndex, to: content.endIndex - 3, by: 4).compactMap { index in
                Unicode.Scalar((index..<(index + 4)).reduce(UInt32(0)) { $0 << 8 | UInt32(content[$1]) })
            }
            return String(String.UnicodeScalarView(scalars))
        default: return nil
        }
    }
}
