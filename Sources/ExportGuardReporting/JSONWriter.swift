/// A small streaming JSON writer with a fixed key order, so output is stable and
/// diff-able, and no encoder escapes more than JSON requires.
public struct JSONWriter {
    public private(set) var output = ""
    private var needsComma: [Bool] = [false]

    public init() {}

    public mutating func beginObject() { value("{"); needsComma.append(false) }
    public mutating func endObject() { needsComma.removeLast(); output += "}" }
    public mutating func beginArray() { value("["); needsComma.append(false) }
    public mutating func endArray() { needsComma.removeLast(); output += "]" }

    public mutating func key(_ name: String) {
        separate()
        output += Self.quoted(name)
        output += ":"
        // The value that follows needs no comma of its own.
        needsComma[needsComma.count - 1] = false
        pendingKey = true
    }

    public mutating func string(_ text: String) { value(Self.quoted(text)) }
    public mutating func int(_ number: Int) { value(String(number)) }
    public mutating func double(_ number: Double, decimals: Int = 3) {
        let scale = (0..<decimals).reduce(1.0) { value, _ in value * 10 }
        let rounded = (number * scale).rounded() / scale
        value(rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded))
    }
    public mutating func bool(_ flag: Bool) { value(flag ? "true" : "false") }

    private var pendingKey = false

    private mutating func value(_ text: String) {
        if pendingKey {
            pendingKey = false
        } else {
            separate()
        }
        output += text
        needsComma[needsComma.count - 1] = true
    }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { output += "," }
    }

    /// JSON string literal: quotes, backslashes and control characters escaped.
    public static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
