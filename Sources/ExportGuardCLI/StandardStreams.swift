import Glibc

/// Unbuffered-enough writes to standard output and error without Foundation.
enum StandardStreams {
    static func out(_ line: String, terminator: String = "\n") {
        write(line + terminator, to: 1)
    }

    static func error(_ line: String) {
        write(line + "\n", to: 2)
    }

    static var outputIsTerminal: Bool { isatty(1) == 1 }

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
