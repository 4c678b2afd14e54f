/// What an archive says besides its members' data — member names and comments — read as
/// text parts of their own: `a.zip!(names)` and `a.zip!(comment)`. A person chooses these
/// words (`张伟_11010119800101103X.pdf`, "机密 — do not forward" as a zip comment), so they
/// are content like any other.
struct ArchiveMetadata {
    /// Bytes of names, and of comments, kept at most (the rest is reported as over a limit).
    static let maxBytes = 4 << 20

    private var names: [UInt8] = []
    private var comments: [UInt8] = []
    private var overLimit = false

    mutating func name(_ name: String) {
        if !Self.append(name, to: &names) { overLimit = true }
    }

    /// A comment, with the member it belongs to when it is a member's.
    mutating func comment(_ text: String, of member: String? = nil) {
        guard text.unicodeScalars.contains(where: { $0.value > 0x20 }) else { return }
        if !Self.append(member.map { "\($0): \(text)" } ?? text, to: &comments) { overLimit = true }
    }

    /// Adds a line; false when it would pass the limit.
    private static func append(_ text: String, to bytes: inout [UInt8]) -> Bool {
        guard bytes.count + text.utf8.count < maxBytes else { return false }
        bytes.append(contentsOf: text.utf8)
        bytes.append(0x0A)
        return true
    }

    /// Emits the names and comments as child parts of `stream`.
    func emit(into stream: StreamDispatcher) {
        guard !stream.isStopped else { return }
        for (label, text) in [("(names)", names), ("(comment)", comments)] where !text.isEmpty {
            stream.closeText()
            let child = stream.child(named: label)
            child.readAsContainer()
            text.withUnsafeBytes { child.emitText($0) }
            child.finish()
        }
        if overLimit {
            stream.uninspected(.limitExceeded("more than \(Self.maxBytes >> 20) MiB of member names or comments"))
        }
    }

    /// A name or comment as an archive stores it: UTF-8 when it is, else GB18030 (Chinese
    /// Windows writes zip names in GBK without saying so), else UTF-8 with replacements.
    static func decode(_ bytes: some Collection<UInt8>) -> String {
        MailCharset.decodeRaw(Array(bytes))
    }
}
