import ExportGuardInspection
import ExportGuardPolicy
@testable import ExportGuardScanning

/// The built-in policy, compiled once for the suites that scan with it, and a scan of some
/// bytes under it with the default limits.
enum DefaultPolicyScanner {
    static let compiled = CompiledPolicy.makeDefault()

    static func scan(_ bytes: [UInt8], name: String) -> ScanReport {
        ContentScanner(compiled: compiled, limits: InspectionLimits()).scan(bytes: bytes, name: name)
    }
}
