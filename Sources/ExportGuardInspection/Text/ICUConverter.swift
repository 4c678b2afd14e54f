import CCharsetDetection

/// A streaming conversion to UTF-8 with one of ICU's converters, for charsets glibc's
/// iconv lacks (HZ). ICU keeps the state of a shifted run and a cut sequence between calls.
final class ICUConverter: CharsetConverter {
    private let handle: OpaquePointer
    private var output = [UInt8](repeating: 0, count: 16 * 1024)
    private var count: Int64 = 0

    var replaced: Int { Int(count) }

    private static let replacement: StaticString = "\u{FFFD}"
    private static let nothing: StaticString = ""

    init?(from charset: String) {
        guard let opened = eg_icu_converter_open(charset) else { return nil }
        handle = opened
    }

    deinit {
        eg_icu_converter_close(handle)
    }

    func convert(_ input: UnsafeRawBufferPointer, final: Bool, emit: (UnsafeRawBufferPointer) -> Void) {
        if let start = input.baseAddress, input.count > 0 {
            run(start.assumingMemoryBound(to: CChar.self), count: input.count, final: final, emit: emit)
        } else if final {
            // ICU needs a valid pointer even for no input: the last call flushes its state.
            Self.nothing.withUTF8Buffer { empty in
                empty.withMemoryRebound(to: CChar.self) { run($0.baseAddress!, count: 0, final: true, emit: emit) }
            }
        }
    }

    private func run(_ start: UnsafePointer<CChar>, count length: Int, final: Bool, emit: (UnsafeRawBufferPointer) -> Void) {
        var cursor: UnsafePointer<CChar>? = start
        let limit = start + length
        var more: Int32 = 1
        while more != 0 {
            more = 0
            let written = output.withUnsafeMutableBytes { target in
                let written = eg_icu_converter_convert(
                    handle, &cursor, limit, target.baseAddress!.assumingMemoryBound(to: CChar.self),
                    Int32(target.count), final ? 1 : 0, &more, &count)
                if written > 0 { emit(UnsafeRawBufferPointer(rebasing: target[0..<Int(written)])) }
                return written
            }
            if written < 0 {
                // An error other than a full target: what is left of this input cannot be read.
                count += 1
                Self.replacement.withUTF8Buffer { emit(UnsafeRawBufferPointer($0)) }
                return
            }
        }
    }
}
