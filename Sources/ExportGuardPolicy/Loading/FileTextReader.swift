import Glibc

/// Reads a small text file (a policy) with a size bound, without Foundation.
struct FileTextReader {
    private let descriptor: Int32

    struct OpenError: Error {}

    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OpenError() }
        descriptor = fd
    }

    /// The whole file as UTF-8, or nil when it is unreadable, larger than `limit` or not UTF-8.
    mutating func readAll(limit: Int) -> String? {
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 { return nil }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
            if bytes.count > limit { return nil }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
