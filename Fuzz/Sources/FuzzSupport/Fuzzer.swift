import CFuzzer
import Glibc

/// The target libFuzzer calls; set once, before the driver starts.
nonisolated(unsafe) private var target: ((UnsafeRawBufferPointer) -> Void)?

/// Runs a fuzz target under libFuzzer's driver: the executables in this package are Swift
/// programs linked with `libclang_rt.fuzzer_no_main`, so they start the driver themselves.
public enum Fuzzer {
    /// Hands every input libFuzzer makes to `body`, and exits with the driver's status.
    public static func run(_ body: @escaping (UnsafeRawBufferPointer) -> Void) -> Never {
        target = body
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, count in
            target?(UnsafeRawBufferPointer(start: data, count: count))
            return 0
        })
    }

    /// A wrong answer (not a crash) found by an oracle: reported as a crash, so libFuzzer
    /// keeps the input in `Fuzz/artifacts/` like any other.
    public static func fail(_ message: String) -> Never {
        var line = "WRONG ANSWER: \(message)\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        abort()
    }
}
