import ExportGuardGateway
import ExportGuardPolicy

/// Where a listener binds: a host (an address) and a port. Port 0 asks for a spare one.
public struct BindAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, `[V6]:PORT` or `PORT` (which binds 127.0.0.1).
    public init?(parsing text: String, defaultHost: String = "127.0.0.1") {
        if let port = Int(text), (0...65535).contains(port) {
            self.init(host: defaultHost, port: port)
            return
        }
        var host: Substring
        var portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else { return nil }
        self.init(host: String(host), port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Every bound the service keeps: memory, time and concurrency stay flat whatever clients send.
public struct ServiceConfiguration: Sendable {
    /// ICAP listener; nil for none.
    public var icap: BindAddress?
    /// HTTP scan API listener; nil for none.
    public var http: BindAddress?

    /// Largest body accepted (HTTP: 413 above it; ICAP: blocked as not inspectable).
    public var maxBodyBytes: Int
    /// Largest request head (ICAP header plus encapsulated HTTP headers; HTTP header list).
    public var maxHeaderBytes: Int
    /// Scans running at once (one thread each).
    public var maxConcurrentScans: Int
    /// Scans waiting for a thread; beyond running + waiting, requests get 503.
    public var maxQueuedScans: Int
    /// Open connections per listener; beyond it new connections are closed at once.
    public var maxConnections: Int
    /// Body bytes buffered between the socket and a scan before reading stops (back-pressure).
    public var queueCapacity: Int
    /// Where ICAP bodies beyond ``queueCapacity`` wait for their scan (private unnamed files).
    /// ICAP connections are never paused: Squid 5.7 drops the client's connection when its
    /// ICAP service stops reading a large body. Nil pauses reading instead (back-pressure).
    public var spillDirectory: String?
    /// Bytes of a body kept in memory for echoing (ICAP `200` unmodified) before a private temporary file.
    public var spoolMemoryBytes: Int
    /// Seconds a client may stay silent while the service waits for it (between requests too).
    public var idleTimeout: Double
    /// Seconds a client has to send a complete request head.
    public var headTimeout: Double
    /// Seconds a peer may take to accept a response before the connection is dropped.
    public var writeTimeout: Double
    /// Seconds SIGTERM waits for in-flight scans before closing what is left.
    public var drainTimeout: Double
    /// ICAP preview size offered in OPTIONS.
    public var previewBytes: Int
    /// Seconds a RESPMOD body that the client could not offer with `Allow: 204` (Squid: 64 KiB
    /// or more, or of unknown size) may stall before ExportGuard sends its ICAP `200` head —
    /// the original response head — ahead of the verdict; 0 never does. Squid 5.7 stops
    /// reading such a response from the origin once its 64 KiB buffer towards the ICAP
    /// service is full, until the ICAP response starts (Squid bug 5352). The body still
    /// waits for the verdict: allowed, it follows from the spool; refused, the response ends
    /// with no body byte, so the client sees the original status and headers and an empty,
    /// cut-off body instead of the block page.
    public var respmodEarlyHeadAfter: Double = 0.2
    /// ICAP Options-TTL in seconds.
    public var optionsTTL: Int
    /// What a review verdict does on the ICAP path; nil takes the policy's `review-action`.
    public var review: ReviewAction?
    /// Event loop threads.
    public var eventLoopThreads: Int
    /// Inspection limits for each scan; they win over the policy's `limits`, which win over
    /// the built-in defaults (the ``Gateway`` merges them).
    public var limits: LimitSettings

    public init(
        icap: BindAddress? = BindAddress(port: 1344),
        http: BindAddress? = BindAddress(port: 8080),
        maxBodyBytes: Int = 256 << 20,
        maxHeaderBytes: Int = 64 << 10,
        maxConcurrentScans: Int = 4,
        maxQueuedScans: Int = 64,
        maxConnections: Int = 1024,
        queueCapacity: Int = 256 << 10,
        spoolMemoryBytes: Int = 1 << 20,
        idleTimeout: Double = 60,
        headTimeout: Double = 30,
        writeTimeout: Double = 60,
        drainTimeout: Double = 30,
        previewBytes: Int = 4096,
        optionsTTL: Int = 3600,
        review: ReviewAction? = nil,
        eventLoopThreads: Int = 2,
        limits: LimitSettings = LimitSettings(),
        spillDirectory: String? = PrivateTemporaryFile.defaultDirectory
    ) {
        self.spillDirectory = spillDirectory
        self.icap = icap
        self.http = http
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxConcurrentScans = maxConcurrentScans
        self.maxQueuedScans = maxQueuedScans
        self.maxConnections = maxConnections
        self.queueCapacity = queueCapacity
        self.spoolMemoryBytes = spoolMemoryBytes
        self.idleTimeout = idleTimeout
        self.headTimeout = headTimeout
        self.writeTimeout = writeTimeout
        self.drainTimeout = drainTimeout
        self.previewBytes = previewBytes
        self.optionsTTL = optionsTTL
        self.review = review
        self.eventLoopThreads = eventLoopThreads
        self.limits = limits
    }
}
