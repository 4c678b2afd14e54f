/// Reads a whole DER (or BER) structure that is not a CMS message: an X.509 certificate
/// (`.cer`, `.der`), an OFD document's seal signature (`SignedValue.dat`, GB/T 38540's
/// SES_Signature) and the like. Every element is walked to the end; string elements (names,
/// the seal's name and properties) are read as text, and OCTET STRINGs of some size (a
/// seal's picture, an embedded certificate) are nested streams, sniffed like any member.
/// The part is reported as media (`asn1`); a structure that does not parse is corrupt.
struct ASN1Decoder: WholeFormat {
    static let maximumBytes = 4 << 20
    static let partName = "ASN.1 structure"
    /// OCTET STRINGs shorter than this are hashes and keys, not content.
    static let minimumNested = 64

    /// A SEQUENCE with a definite length whose first element is a well-formed universal or
    /// context element: binary content only reaches this test after every other format.
    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        let bytes = Array(head.prefix(64))
        guard bytes.count >= 8, let outer = try? DERElement.read(bytes, at: 0, whole: false), outer.tag == 0x30, !outer.indefinite,
              outer.length >= 4, let inner = try? DERElement.read(bytes, at: outer.contentStart, whole: false) else { return false }
        return [0x02, 0x03, 0x04, 0x06, 0x0C, 0x13, 0x16, 0x30, 0x31, 0xA0].contains(inner.tag) && inner.length <= outer.length
    }

    func read(_ bytes: [UInt8], in stream: StreamDispatcher) {
        do throws(DERElement.Malformed) {
            let outer = try DERElement.read(bytes, at: 0)
            let end = try outer.end(in: bytes)
            guard end == bytes.count else { throw DERElement.Malformed(detail: "\(bytes.count - end) bytes after the structure") }
            var strings: [String] = []
            var nested: [[UInt8]] = []
            try Self.walk(bytes, from: 0, to: end, depth: 0, indefinite: false, strings: &strings, nested: &nested)
            if !strings.isEmpty { Array(strings.joined(separator: "\n").utf8).withUnsafeBytes { stream.emitText($0) } }
            for (index, octets) in nested.enumerated() {
                stream.closeText()
                let child = stream.child(named: "octets \(index + 1)")
                octets.withUnsafeBytes { child.feed($0) }
                child.finish()
            }
            stream.reportMedia(format: "asn1", bytes: bytes.count)
        } catch {
            stream.uninspected(.corrupt("ASN.1: \(error.detail)"))
        }
    }

    private static func walk(_ bytes: [UInt8], from start: Int, to end: Int, depth: Int, indefinite: Bool, strings: inout [String], nested: inout [[UInt8]]) throws(DERElement.Malformed) {
        guard depth < 32 else { throw DERElement.Malformed(detail: "nested more than 32 levels") }
        var cursor = start
        while cursor < end {
            // An end-of-contents marker closes an indefinite length, and only that.
            if indefinite, bytes[cursor] == 0, cursor + 1 < end, bytes[cursor + 1] == 0 { return }
            let element = try DERElement.read(bytes, at: cursor)
            let elementEnd = try element.end(in: bytes)
            guard elementEnd <= end else { throw DERElement.Malformed(detail: "an element runs past its parent") }
            if element.constructed {
                try walk(bytes, from: element.contentStart, to: element.indefinite ? elementEnd - 2 : elementEnd, depth: depth + 1,
                         indefinite: element.indefinite, strings: &strings, nested: &nested)
            } else if let string = element.string(in: bytes), string.contains(where: { !$0.isWhitespace }) {
                strings.append(string)
            } else if element.tag == 0x04, element.length >= minimumNested {
                guard nested.count < 64 else { throw DERElement.Malformed(detail: "more than 64 embedded contents") }
                nested.append(Array(bytes[element.contentStart..<(element.contentStart + element.length)]))
            } else if element.tag & 0xC0 == 0x80, let text = String(validating: bytes[element.contentStart..<(element.contentStart + element.length)], as: UTF8.self),
                      text.unicodeScalars.allSatisfy({ $0.value >= 0x20 }), !text.isEmpty {
                // Implicitly tagged strings: an alternative name's e-mail address or URI.
                strings.append(text)
            }
            cursor = elementEnd
        }
    }
}
