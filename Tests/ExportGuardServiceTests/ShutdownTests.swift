import Dispatch
import ExportGuardService
import Glibc
import Logging
import Testing

@Suite("shutting the service down")
struct ShutdownTests {
    @Test("shutdown returns while scans are still reading bodies (they end before the event loops stop)")
    func shutdownWithScansInFlight() throws {
        for _ in 0..<5 {
            var configuration = ServiceConfiguration(icap: BindAddress(port: 0), http: BindAddress(port: 0))
            configuration.eventLoopThreads = 1
            configuration.maxConcurrentScans = 2
            var logger = Logger(label: "exportguard.test")
            logger.logLevel = .critical
            let server = ExportGuardServer(configuration: configuration, policy: sharedPolicy, logger: logger)
            let bound = try server.start()
            let sockets = try (0..<2).map { _ in try TestSocket(port: bound.icap!.port) }
            for socket in sockets {
                // A REQMOD whose body never ends: its scan waits for more bytes.
                let request = "POST http://upload.test/ HTTP/1.1\r\nHost: upload.test\r\n\r\n"
                try socket.send("REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\nEncapsulated: req-hdr=0, req-body=\(request.utf8.count)\r\n\r\n"
                    + request + "100\r\n" + String(repeating: "x", count: 256) + "\r\n")
            }
            usleep(100_000)
            let done = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                server.shutdown()
                done.signal()
            }
            #expect(done.wait(timeout: .now() + 20) == .success, "shutdown did not return")
        }
    }
}
