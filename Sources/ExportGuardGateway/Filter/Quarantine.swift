import Glibc

/// A directory where held messages wait for review: the original message and its verdict
/// JSON, each in a new file readable by its owner only (mode 0600).
public struct Quarantine {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public func hold(_ spool: MessageSpool, verdictJSON: String, reference: String) throws(MessageSpool.SpoolError) {
        let message = try Self.create("\(directory)/\(reference).eml")
        defer { close(message) }
        try spool.replay(to: message)
        let verdict = try Self.create("\(directory)/\(reference).json")
        defer { close(verdict) }
        try writeAll(verdict, Array((verdictJSON + "\n").utf8))
    }

    private static func create(_ path: String) throws(MessageSpool.SpoolError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw MessageSpool.SpoolError(description: "\(path): \(String(cString: strerror(errno)))") }
        return fd
    }
}

/// Appends verdict JSON lines to a log: a path (created 0600) or `fd:N`, an open descriptor.
public enum VerdictLog {
    public static func append(_ json: String, to target: String) throws(MessageSpool.SpoolError) {
        let line = Array((json + "\n").utf8)
        if target.hasPrefix("fd:"), let descriptor = Int32(target.dropFirst(3)) {
            try writeAll(descriptor, line)
            return
        }
        let fd = open(target, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw MessageSpool.SpoolError(description: "cannot open \(target): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try writeAll(fd, line)
    }
}
