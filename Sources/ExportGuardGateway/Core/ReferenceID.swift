/// A short random reference for a decision, quoted in bounces, block pages and logs so a
/// person can find the decision without any sensitive excerpt being shown.
public enum ReferenceID {
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return "EG-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
