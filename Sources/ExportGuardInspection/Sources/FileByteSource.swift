import Glibc

/// Reads a file or an already open descriptor (standard input) with `read(2)`, so large
/// inputs are never held whole.
public struct FileByteSource: RandomAccessByteSource {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let path: String

    /// Opens a regular file for reading.
    public init(path: String) throws(InspectionError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw InspectionError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        self.descriptor = fd
        self.ownsDescriptor = true
        self.path = path
    }

    /// Wraps a descriptor the caller keeps open (for example 0, standard input).
    public init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.ownsDescriptor = false
        self.path = name
    }

    /// The file's size when it is a regular file; pipes and terminals are streams only.
    public var randomAccessSize: Int? {
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InspectionError) -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw InspectionError.readFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Reads at an offset without moving the descriptor's position.
    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(InspectionError) -> Int {
        while true {
            let count = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw InspectionError.readFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Closes the descriptor if this source opened it.
    public func close() {
        if ownsDescriptor { _ = Glibc.close(descriptor) }
    }
}
