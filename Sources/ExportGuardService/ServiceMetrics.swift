import ExportGuardCore
import NIOConcurrencyHelpers

/// Counters for `GET /metrics`, in the Prometheus text exposition format (version 0.0.4).
public final class ServiceMetrics: Sendable {
    /// Upper bounds of the decision latency histogram, in seconds.
    public static let latencyBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    private struct State {
        var scans: [Verdict: Int] = [:]
        var bytes = 0
        var uninspected = 0
        var scanErrors = 0
        var aborted = 0
        var latencyCounts = [Int](repeating: 0, count: ServiceMetrics.latencyBuckets.count)
        var latencySum = 0.0
        var latencyCount = 0
        var inFlight = 0
        var rejected: [String: Int] = [:]
        var connections: [String: Int] = [:]
        var requests: [String: Int] = [:]
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    func recordDecision(verdict: Verdict, bytes: Int, seconds: Double, uninspected: Int, failed: Bool) {
        state.withLockedValue { state in
            state.scans[verdict, default: 0] += 1
            state.bytes += bytes
            state.uninspected += uninspected
            if failed { state.scanErrors += 1 }
            state.latencySum += seconds
            state.latencyCount += 1
            for (index, bound) in Self.latencyBuckets.enumerated() where seconds <= bound {
                state.latencyCounts[index] += 1
            }
        }
    }

    func aborted() { state.withLockedValue { $0.aborted += 1 } }
    func scanStarted() { state.withLockedValue { $0.inFlight += 1 } }
    func scanEnded() { state.withLockedValue { $0.inFlight -= 1 } }
    func rejected(_ reason: String) { state.withLockedValue { $0.rejected[reason, default: 0] += 1 } }
    func request(_ kind: String) { state.withLockedValue { $0.requests[kind, default: 0] += 1 } }
    func connectionOpened(_ listener: String) { state.withLockedValue { $0.connections[listener, default: 0] += 1 } }
    func connectionClosed(_ listener: String) { state.withLockedValue { $0.connections[listener, default: 0] -= 1 } }

    public var inFlight: Int { state.withLockedValue { $0.inFlight } }

    public func connections(_ listener: String) -> Int { state.withLockedValue { $0.connections[listener] ?? 0 } }

    /// The exposition text.
    public func render() -> String {
        let snapshot = state.withLockedValue { $0 }
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        family("exportguard_scans_total", "counter", "Decisions made, by verdict.")
        for verdict in Verdict.allCases {
            out += "exportguard_scans_total{verdict=\"\(verdict.rawValue)\"} \(snapshot.scans[verdict] ?? 0)\n"
        }
        family("exportguard_scanned_bytes_total", "counter", "Body bytes received for scanning.")
        out += "exportguard_scanned_bytes_total \(snapshot.bytes)\n"
        family("exportguard_uninspected_parts_total", "counter", "Parts that could not be inspected.")
        out += "exportguard_uninspected_parts_total \(snapshot.uninspected)\n"
        family("exportguard_scan_failures_total", "counter", "Decisions made without the whole body (a limit passed); they count as block.")
        out += "exportguard_scan_failures_total \(snapshot.scanErrors)\n"
        family("exportguard_scans_aborted_total", "counter", "Scans abandoned because the client went away; no decision.")
        out += "exportguard_scans_aborted_total \(snapshot.aborted)\n"
        family("exportguard_decision_seconds", "histogram", "Time from a request's head to its decision.")
        for (index, bound) in Self.latencyBuckets.enumerated() {
            out += "exportguard_decision_seconds_bucket{le=\"\(Self.format(bound))\"} \(snapshot.latencyCounts[index])\n"
        }
        out += "exportguard_decision_seconds_bucket{le=\"+Inf\"} \(snapshot.latencyCount)\n"
        out += "exportguard_decision_seconds_sum \(snapshot.latencySum)\n"
        out += "exportguard_decision_seconds_count \(snapshot.latencyCount)\n"
        family("exportguard_scans_in_flight", "gauge", "Scans running or waiting for a scan thread.")
        out += "exportguard_scans_in_flight \(snapshot.inFlight)\n"
        family("exportguard_connections_open", "gauge", "Open client connections, by listener.")
        for listener in ["icap", "http"] {
            out += "exportguard_connections_open{listener=\"\(listener)\"} \(snapshot.connections[listener] ?? 0)\n"
        }
        family("exportguard_requests_total", "counter", "Requests received, by kind.")
        for (kind, count) in snapshot.requests.sorted(by: { $0.key < $1.key }) {
            out += "exportguard_requests_total{kind=\"\(kind)\"} \(count)\n"
        }
        family("exportguard_rejected_total", "counter", "Requests refused before scanning, by reason.")
        for reason in ["bad_request", "too_large", "overloaded", "timeout", "connections"] {
            out += "exportguard_rejected_total{reason=\"\(reason)\"} \(snapshot.rejected[reason] ?? 0)\n"
        }
        return out
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
