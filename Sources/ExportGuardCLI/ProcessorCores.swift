import Foundation

/// The cores this process may run on: its CPU affinity (`taskset`, systemd's `CPUAffinity=`)
/// as well as the machine's count, which is all `ProcessInfo` reports.
enum ProcessorCores {
    static var available: Int {
        let machine = max(ProcessInfo.processInfo.activeProcessorCount, 1)
        // Glibc's sched_getaffinity needs _GNU_SOURCE, which Swift's Glibc module lacks;
        // the kernel shows the same mask here (hex words, comma-separated).
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return machine }
        let allowed = line.dropFirst("Cpus_allowed:".count).reduce(0) { count, character in
            count + (character.hexDigitValue?.nonzeroBitCount ?? 0)
        }
        return max(1, min(allowed, machine))
    }
}
