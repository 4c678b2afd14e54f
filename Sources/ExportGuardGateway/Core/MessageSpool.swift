import Glibc

/// Holds the original bytes of a message until the verdict is known: in memory up to a
/// bound, then in a private unnamed temporary file (`O_TMPFILE`, mode 0600) that the
/// kernel removes when it is closed. Only original bytes are kept; decoded content never is.
public final class MessageSpool {
    public let memoryLimit: Int
    private var memory: [UInt8] = []
    private var file: Int32 = -1
    public private(set) var count = 0
    private let directory: String

    public struct SpoolError: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    public init(memoryLimit: Int = 16 << 20, directory: String? = nil) {
        self.memoryLimit = memoryLimit
        self.directory = directory ?? PrivateTemporaryFile.defaultDirectory
    }

    deinit {
        if file >= 0 { close(file) }
    }

    public func append(_ bytes: UnsafeRawBufferPointer) throws(SpoolError) {
        guard bytes.count > 0 else { return }
        count += bytes.count
        if file < 0 && memory.count + bytes.count <= memoryLimit {
            memory.append(contentsOf: bytes)
            return
        }
        if file < 0 {
            try openFile()
            try writeAll(file, memory)
            memory = []
        }
        try writeAll(file, bytes)
    }

    /// Whether the spool went to disk (for stats and tests).
    public var isOnDisk: Bool { file >= 0 }

    /// Writes the spooled bytes, unchanged, to a descriptor.
    public func replay(to descriptor: Int32) throws(SpoolError) {
        if file < 0 {
            try writeAll(descriptor, memory)
            return
        }
        guard lseek(file, 0, SEEK_SET) == 0 else { throw SpoolError(description: "cannot rewind the spool file") }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(file, buffer.baseAddress, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw SpoolError(description: "cannot read the spool file: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return }
            try writeAll(descriptor, UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    /// The first bytes (for line-ending and header detection).
    public func prefix(_ length: Int) -> [UInt8] {
        if file < 0 { return Array(memory.prefix(length)) }
        var result = [UInt8](repeating: 0, count: min(length, count))
        let n = result.withUnsafeMutableBytes { pread(file, $0.baseAddress, $0.count, 0) }
        return Array(result.prefix(max(n, 0)))
    }

    private func openFile() throws(SpoolError) {
        file = try PrivateTemporaryFile.open(in: directory)
    }
}

/// Writes all of an array's bytes to a descriptor.
public func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws(MessageSpool.SpoolError) {
    let result = bytes.withUnsafeBytes { buffer in
        Result { () throws(MessageSpool.SpoolError) in try writeAll(descriptor, buffer) }
    }
    try result.get()
}

/// Writes all of `bytes` to a descriptor, retrying short writes.
public func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws(MessageSpool.SpoolError) {
    var offset = 0
    while offset < bytes.count {
        let n = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            throw MessageSpool.SpoolError(description: "write failed: \(String(cString: strerror(errno)))")
        }
        offset += n
    }
}
