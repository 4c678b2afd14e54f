import ExportGuardCore

/// A message head as it arrived: the start line and the header fields in order. Used for
/// ICAP heads and for the HTTP messages ICAP encapsulates (which are echoed unchanged, so
/// the raw bytes are kept separately by the caller).
public struct HeaderBlock: Sendable, Hashable {
    public var startLine: String
    public var fields: [(name: String, value: String)]

    public init(startLine: String, fields: [(name: String, value: String)]) {
        self.startLine = startLine
        self.fields = fields
    }

    public static func == (lhs: HeaderBlock, rhs: HeaderBlock) -> Bool {
        lhs.startLine == rhs.startLine && lhs.fields.elementsEqual(rhs.fields, by: { $0.name == $1.name && $0.value == $1.value })
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(startLine)
        for field in fields {
            hasher.combine(field.name)
            hasher.combine(field.value)
        }
    }

    /// The first value of a field, by case-insensitive name.
    public subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }?.value
    }

    /// Every value of a field, split on commas.
    public func values(_ name: String) -> [String] {
        let lowered = name.lowercased()
        return fields.filter { $0.name.lowercased() == lowered }
            .flatMap { $0.value.split(separator: ",") }
            .map { String($0).trimmingSpaces() }
    }

    public enum ParseError: Error, Equatable {
        case badLine(String)
        case empty
    }

    /// Parses a head: lines ending in CRLF (a bare LF is accepted), up to and excluding the
    /// empty line. Obsolete line folding is joined into the previous value.
    public static func parse(_ bytes: some Collection<UInt8>, strict: Bool = true) throws(ParseError) -> HeaderBlock {
        var lines: [String] = []
        var current: [UInt8] = []
        for byte in bytes {
            if byte == 0x0A {
                if current.last == 0x0D { current.removeLast() }
                lines.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty { lines.append(String(decoding: current, as: UTF8.self)) }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        guard let first = lines.first, !first.isEmpty else { throw .empty }
        var fields: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            if line.isEmpty { break }
            if line.first == " " || line.first == "\t" {
                guard !fields.isEmpty else {
                    if strict { throw .badLine(line) }
                    continue
                }
                fields[fields.count - 1].value += " " + line.trimmingSpaces()
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                if strict { throw .badLine(line) }
                continue
            }
            let name = String(line[..<colon])
            guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                if strict { throw .badLine(line) }
                continue
            }
            fields.append((name, String(line[line.index(after: colon)...]).trimmingSpaces()))
        }
        return HeaderBlock(startLine: first, fields: fields)
    }
}
