import ExportGuardGateway
import ExportGuardInspection
import Glibc
import NIOCore

/// A mutex and a condition variable (pthread), for the few places a thread must wait.
final class Condition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
    func wait() { pthread_cond_wait(condition, mutex) }
    func broadcast() { pthread_cond_broadcast(condition) }

    /// Waits until signalled or `seconds` pass; false on time-out.
    func wait(seconds: Double) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let whole = Int(seconds)
        var deadline = timespec(tv_sec: now.tv_sec + whole, tv_nsec: now.tv_nsec + Int((seconds - Double(whole)) * 1e9))
        if deadline.tv_nsec >= 1_000_000_000 {
            deadline.tv_sec += 1
            deadline.tv_nsec -= 1_000_000_000
        }
        return pthread_cond_timedwait(condition, mutex, &deadline) == 0
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}

/// The bounded hand-over between a connection's event loop (which receives body bytes) and
/// the scan thread (which pulls them through a ``ByteSource``).
///
/// The producer never blocks. With back-pressure (the HTTP API), ``push(_:)`` answers
/// whether it may go on, and when it may not, the connection stops reading from its socket
/// until ``onSpace`` says the scan has taken enough. With a spill directory (ICAP: Squid 5
/// drops the client connection when its ICAP service stops reading a large body), bytes
/// beyond the capacity go to a private unnamed temporary file instead, and the socket is
/// always read. Either way memory is bounded by the capacity plus one socket read. The
/// consumer blocks until bytes, the end or a failure arrive.
public final class ByteQueue: @unchecked Sendable {
    public let capacity: Int
    private let condition = Condition()
    private var chunks = CircularBuffer<ByteBuffer>(initialCapacity: 16)
    private var buffered = 0
    private var finished = false
    private var failure: String?
    private var aborted = false
    private var producerWaiting = false
    private var abandoned = false
    private var spaceHandler: (@Sendable () -> Void)?
    private var lastIsOwned = false
    private let allocator = ByteBufferAllocator()
    static let smallPush = 4096
    static let ownedChunk = 16 << 10
    /// Bytes the producer pushed in all (for limits and stats).
    public private(set) var totalPushed = 0

    private let spillDirectory: String?
    private var spillFile: Int32 = -1
    /// Bytes written to and read from the spill file; while written > read, new bytes go there too.
    private var spillWritten = 0
    private var spillRead = 0
    /// Bytes that went through the spill file in all (stats and tests).
    public private(set) var totalSpilled = 0

    /// - Parameter spillDirectory: where bytes beyond the capacity go instead of pausing the producer.
    public init(capacity: Int, spillDirectory: String? = nil) {
        self.capacity = max(capacity, 1)
        self.spillDirectory = spillDirectory
    }

    deinit {
        if spillFile >= 0 { close(spillFile) }
    }

    /// Writes to the spill file (under the lock); false with `failure` set when it cannot.
    private func spill(_ buffer: ByteBuffer) -> Bool {
        if spillFile < 0 {
            guard let directory = spillDirectory else { return false }
            do {
                spillFile = try PrivateTemporaryFile.open(in: directory)
            } catch {
                failure = error.description
                aborted = false
                return false
            }
        }
        var offset = 0
        let ok = buffer.withUnsafeReadableBytes { bytes -> Bool in
            while offset < bytes.count {
                let n = pwrite(spillFile, bytes.baseAddress! + offset, bytes.count - offset, off_t(spillWritten + offset))
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        guard ok else {
            failure = "cannot write the spill file: \(String(cString: strerror(errno)))"
            aborted = false
            return false
        }
        spillWritten += buffer.readableBytes
        totalSpilled += buffer.readableBytes
        return true
    }

    /// Called (on the consumer's thread) when a paused producer may push again. Released
    /// once the queue has ended (read to its end, failed or abandoned): it usually captures
    /// the channel handler that owns the queue, and that cycle would keep both alive.
    public func onSpace(_ handler: @escaping @Sendable () -> Void) {
        condition.withLock { spaceHandler = handler }
    }

    /// Adds bytes; false when the queue is full and the producer should stop reading.
    @discardableResult
    public func push(_ buffer: ByteBuffer) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        totalPushed += buffer.readableBytes
        if finished || abandoned || failure != nil { return true }
        guard buffer.readableBytes > 0 else { return buffered < capacity }
        if spillDirectory != nil && (spillWritten > spillRead || buffered >= capacity) {
            if spill(buffer) { condition.broadcast() } else { chunks.removeAll(); buffered = 0; condition.broadcast() }
            return true
        }
        if buffer.readableBytes < Self.smallPush {
            // A small slice may pin a much larger receive buffer: copy it into a buffer of
            // our own, so what the queue holds is what it counts.
            if lastIsOwned, (chunks.last?.writableBytes ?? 0) >= buffer.readableBytes {
                var owned = chunks.removeLast()
                owned.writeImmutableBuffer(buffer)
                chunks.append(owned)
            } else {
                var owned = allocator.buffer(capacity: Self.ownedChunk)
                owned.writeImmutableBuffer(buffer)
                chunks.append(owned)
                lastIsOwned = true
            }
        } else {
            chunks.append(buffer)
            lastIsOwned = false
        }
        buffered += buffer.readableBytes
        condition.broadcast()
        if buffered >= capacity && spillDirectory == nil {
            producerWaiting = true
            return false
        }
        return true
    }

    /// The input ended normally.
    public func finish() {
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }

    /// The input ended abnormally: the scan's read throws. `aborted` when nobody waits for
    /// the answer (the client went away or broke the protocol), false for a limit, which is
    /// still a decision (block).
    public func fail(_ reason: String, aborted: Bool = true) {
        condition.withLock {
            if failure == nil && !finished {
                failure = reason
                self.aborted = aborted
            }
            chunks.removeAll()
            buffered = 0
            spillRead = 0
            spillWritten = 0
            spaceHandler = nil
            condition.broadcast()
        }
    }

    /// The consumer gives up: further pushes are dropped.
    public func abandon() {
        let handler: (@Sendable () -> Void)? = condition.withLock {
            abandoned = true
            chunks.removeAll()
            buffered = 0
            spillRead = 0
            spillWritten = 0
            let wake = producerWaiting ? spaceHandler : nil
            producerWaiting = false
            spaceHandler = nil
            return wake
        }
        handler?()
    }

    /// Whether the input was abandoned by its client (see ``fail(_:aborted:)``).
    public var wasAborted: Bool { condition.withLock { aborted } }

    /// Whether the producer is paused waiting for space.
    public var isProducerWaiting: Bool { condition.withLock { producerWaiting } }

    /// Blocks until bytes are available; 0 at the end of the input.
    public func read(into buffer: UnsafeMutableRawBufferPointer, name: String) throws(InspectionError) -> Int {
        condition.lock()
        while chunks.isEmpty && spillWritten == spillRead && !finished && failure == nil {
            condition.wait()
        }
        if let failure {
            condition.unlock()
            throw InspectionError.readFailed(path: name, reason: failure)
        }
        if chunks.isEmpty && spillWritten == spillRead && finished {
            // The end: nothing will wake the producer again.
            spaceHandler = nil
        }
        if chunks.isEmpty && spillWritten > spillRead {
            // Memory is drained: continue from the spill file, in order.
            let wanted = min(buffer.count, spillWritten - spillRead)
            var count: Int
            repeat {
                count = pread(spillFile, buffer.baseAddress, wanted, off_t(spillRead))
            } while count < 0 && errno == EINTR
            guard count > 0 else {
                let reason = "cannot read the spill file: \(String(cString: strerror(errno)))"
                failure = reason
                condition.unlock()
                throw InspectionError.readFailed(path: name, reason: reason)
            }
            spillRead += count
            if spillRead == spillWritten {
                // Drained: start the file over; new bytes go to memory again.
                spillRead = 0
                spillWritten = 0
                _ = ftruncate(spillFile, 0)
            }
            condition.unlock()
            return count
        }
        var copied = 0
        while copied < buffer.count, var chunk = chunks.first {
            let count = min(chunk.readableBytes, buffer.count - copied)
            chunk.withUnsafeReadableBytes { bytes in
                UnsafeMutableRawBufferPointer(rebasing: buffer[copied..<(copied + count)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<count]))
            }
            chunk.moveReaderIndex(forwardBy: count)
            copied += count
            if chunk.readableBytes == 0 {
                chunks.removeFirst()
                if chunks.isEmpty { lastIsOwned = false }
            } else {
                chunks[chunks.startIndex] = chunk
            }
        }
        buffered -= copied
        var wake: (@Sendable () -> Void)?
        if producerWaiting && buffered <= capacity / 2 {
            producerWaiting = false
            wake = spaceHandler
        }
        condition.unlock()
        wake?()
        return copied
    }
}

/// A ``ByteSource`` that pulls from a ``ByteQueue``.
public struct QueueByteSource: ByteSource {
    public let queue: ByteQueue
    public let name: String

    public init(_ queue: ByteQueue, name: String) {
        self.queue = queue
        self.name = name
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InspectionError) -> Int {
        try queue.read(into: buffer, name: name)
    }
}
