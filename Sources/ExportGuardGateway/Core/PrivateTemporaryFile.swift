import Glibc

/// A private, unnamed temporary file: `O_TMPFILE` (mode 0600, no name, gone when closed),
/// or on filesystems without it a `mkstemp` file unlinked at once. Where gateways keep
/// original bytes that do not fit in memory (the message spool, the service's spill);
/// decoded content is never written anywhere.
public enum PrivateTemporaryFile {
    /// `TMPDIR`, or `/tmp`.
    public static var defaultDirectory: String {
        getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    }

    /// Opens one in `directory` for reading and writing; the descriptor is the caller's to close.
    public static func open(in directory: String) throws(MessageSpool.SpoolError) -> Int32 {
        // O_TMPFILE is a macro Swift does not import: __O_TMPFILE | O_DIRECTORY.
        let temporaryFile: Int32 = 0o20_000_000 | O_DIRECTORY
        var fd = Glibc.open(directory, temporaryFile | O_RDWR | O_CLOEXEC, 0o600)
        if fd < 0 {
            var template = Array((directory + "/exportguard-XXXXXX").utf8CString)
            fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            if fd >= 0 { template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) } }
        }
        guard fd >= 0 else {
            throw MessageSpool.SpoolError(description: "cannot create a private temporary file in \(directory): \(String(cString: strerror(errno)))")
        }
        return fd
    }
}
