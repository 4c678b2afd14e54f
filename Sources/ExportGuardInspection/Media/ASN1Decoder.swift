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
            try Self.walk(bytes, from: 0, to: end, strings: &strings, nested: &nested)
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

    /// Collects string elements as text and larger OCTET STRINGs as contents of their own.
    private static func walk(_ bytes: [UInt8], from start: Int, to end: Int, strings: inout [String], nested: inout [[UInt8]]) throws(DERElement.Malformed) {
        try DERElement.walk(bytes, from: start, to: end) { element throws(DERElement.Malformed) in
            let content = bytes[element.contentStart..<(element.contentStart + element.length)]
            if let string = element.string(in: bytes), string.contains(where: { !$0.isWhitespace }) {
                strings.append(string)
            } else if element.tag == 0x04, element.length >= minimumNested {
                guard nested.count < 64 else { throw DERElement.Malformed(detail: "more than 64 embedded contents") }
                nested.append(Array(content))
            } else if element.tag & 0xC0 == 0x80, let text = String(validating: content, as: UTF8.self),
                      !text.isEmpty, text.unicodeScalars.allSatisfy({ $0.value >= 0x20 }) {
                // Implicitly tagged strings: an alternative name's e-mail address or URI.
                strings.append(text)
            }
        }
    }
}
