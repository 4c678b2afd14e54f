/// One PDF object (ISO 32000-1 §7.3), as parsed from a file or a content stream.
///
/// Streams keep their dictionary and where their data lies; the data is read and decoded
/// only when needed (``PDFFile/streamData(_:)``).
enum PDFObject: Sendable {
    case null
    case boolean(Bool)
    case integer(Int)
    case real(Double)
    /// A literal or hexadecimal string, its bytes as written (decrypted when the file is).
    case string([UInt8])
    case name(String)
    case array([PDFObject])
    case dictionary(PDFDictionary)
    case reference(PDFReference)
    case stream(PDFStream)
}

/// An indirect object's number and generation (`12 0 R`).
struct PDFReference: Sendable, Hashable {
    let number: Int
    let generation: Int
}

/// A dictionary, keyed by name without the slash.
struct PDFDictionary: Sendable {
    var entries: [String: PDFObject] = [:]

    subscript(key: String) -> PDFObject? {
        get { entries[key] }
        set { entries[key] = newValue }
    }
}

/// A stream: its dictionary, and where its raw (still encoded) data is in the file.
struct PDFStream: Sendable {
    var dictionary: PDFDictionary
    var offset: Int
    var length: Int
    /// The object this stream is (for decryption), when it is an indirect object.
    var reference: PDFReference?
}

extension PDFObject {
    var integer: Int? {
        switch self {
        case .integer(let value): value
        case .real(let value) where value.isFinite && abs(value) < 1e15: Int(value)
        default: nil
        }
    }

    var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .real(let value): value
        default: nil
        }
    }

    var name: String? {
        if case .name(let value) = self { return value }
        return nil
    }

    var string: [UInt8]? {
        if case .string(let value) = self { return value }
        return nil
    }

    var array: [PDFObject]? {
        if case .array(let value) = self { return value }
        return nil
    }

    var dictionary: PDFDictionary? {
        switch self {
        case .dictionary(let value): value
        case .stream(let stream): stream.dictionary
        default: nil
        }
    }

    var stream: PDFStream? {
        if case .stream(let value) = self { return value }
        return nil
    }

    var reference: PDFReference? {
        if case .reference(let value) = self { return value }
        return nil
    }
}
