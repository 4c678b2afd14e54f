import ExportGuardPolicy
import FuzzSupport

/// Any text as a policy file: an error with positions, or a policy that writes back out
/// and loads again to the same policy — never a trap.
@main
struct FuzzPolicy {
    static func main() {
        Fuzzer.run { input in
            let text = String(decoding: input, as: UTF8.self)
            guard let policy = try? PolicyLoader.load(yaml: text, file: "fuzz.yaml") else { return }
            let written = PolicyWriter.yaml(policy)
            do {
                let again = try PolicyLoader.load(yaml: written, file: "written.yaml")
                if PolicyWriter.yaml(again) != written {
                    Fuzzer.fail("a policy written out and loaded again writes out differently:\n\(written)")
                }
            } catch {
                Fuzzer.fail("a policy written out does not load again: \(error)\n\(written)")
            }
        }
    }
}
