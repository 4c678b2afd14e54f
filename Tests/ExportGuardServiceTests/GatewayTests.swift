import ExportGuardCore
import ExportGuardInspection
import ExportGuardPolicy
@testable import ExportGuardGateway
import Testing
@testable import ExportGuardService

/// A policy whose limits allow 1 KiB of decoded text per input.
let smallLimitPolicy = CompiledPolicy(try! PolicyLoader.load(
    yaml: "extends: default\nname: small\nlimits: { max-decoded-bytes: 1KiB }\n", file: "small.yaml"))

let tenKiBReport = Array(String(repeating: "季度报告 quarterly figures\n", count: 340).utf8)

@Suite("The gateway core: one place for limits, spool and decision")
struct GatewayTests {
    @Test("a policy's limits apply, and settings given to the gateway win over them")
    func limitsMerge() {
        #expect(tenKiBReport.count > 10 * 1024)
        let policyOnly = Gateway(compiled: smallLimitPolicy).scan(MemoryByteSource(tenKiBReport), name: "report.txt")
        #expect(policyOnly.reports.first?.assessment.uninspected.map(\.code) == [.limitExceeded])
        #expect(policyOnly.verdict == .review)

        let overridden = Gateway(compiled: smallLimitPolicy, limits: LimitSettings(maxDecodedBytes: 1 << 20))
            .scan(MemoryByteSource(tenKiBReport), name: "report.txt")
        #expect(overridden.reports.first?.assessment.uninspected.isEmpty == true)
        #expect(overridden.verdict == .allow)
    }

    @Test("one review action: pass marks, hold holds, block refuses; a block only for uninspectable parts defers")
    func decisions() {
        #expect(GatewayDecision(verdict: .review, review: .pass, uninspectableOnly: false) == .passWithHeaders)
        #expect(GatewayDecision(verdict: .review, review: .hold, uninspectableOnly: false) == .hold)
        #expect(GatewayDecision(verdict: .review, review: .block, uninspectableOnly: false) == .reject)
        #expect(GatewayDecision(verdict: .block, review: .pass, uninspectableOnly: true) == .deferDelivery)
        #expect(GatewayDecision(verdict: .block, review: .pass, uninspectableOnly: false) == .reject)
        #expect(GatewayDecision(verdict: .allow, review: .block, uninspectableOnly: false) == .pass)
        #expect(ReviewAction(setting: "headers") == .pass)
        #expect(ReviewAction(setting: "bounce") == nil)
    }

    @Test("the spool keeps every byte of a multipart body while its parts are scanned")
    func spoolAndParts() throws {
        let body = Array("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\n机密★10年\r\n--b--\r\n".utf8)
        let spool = MessageSpool()
        let outcome = Gateway(compiled: sharedPolicy).scan(MemoryByteSource(body), name: "upload", contentType: "multipart/form-data; boundary=b", spool: spool)
        #expect(outcome.reports.map(\.path) == ["upload!part 1 (a.txt)"])
        #expect(outcome.decision == .reject)
        #expect(spool.prefix(spool.count) == body)
    }

    @Test("POST /v1/scan applies the policy's limits, as exportguard scan --policy does")
    func serviceUsesPolicyLimits() throws {
        try withServer(policy: smallLimitPolicy) { _, bound in
            let socket = try TestSocket(port: bound.http!.port)
            let response = try httpExchange(socket, post("/v1/scan?name=report.txt", body: tenKiBReport))
            #expect(response.head["X-ExportGuard-Verdict"] == "review")
            #expect(response.body.contains("\"code\":\"limit-exceeded\""), "\(response.body)")
        }
    }
}
