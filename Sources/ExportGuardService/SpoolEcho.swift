import Dispatch
import ExportGuardGateway
import NIOCore
import Glibc

/// Writes to a channel from a scan thread, keeping a few writes in flight and giving up
/// when the peer does not take them in time (the connection is then closed).
struct BlockingChannelWriter {
    let channel: Channel
    let timeout: Double
    private var inFlight: [EventLoopFuture<Void>] = []
    private(set) var failed = false
    static let window = 4

    init(channel: Channel, timeout: Double) {
        self.channel = channel
        self.timeout = timeout
    }

    mutating func write(_ buffer: ByteBuffer) {
        guard !failed else { return }
        inFlight.append(channel.writeAndFlush(buffer))
        if inFlight.count >= Self.window {
            let oldest = inFlight.removeFirst()
            if !Self.wait(oldest, timeout: timeout) { fail() }
        }
    }

    /// Waits for every write; false if any failed or timed out.
    mutating func finish() -> Bool {
        for future in inFlight where !failed {
            if !Self.wait(future, timeout: timeout) { fail() }
        }
        inFlight.removeAll()
        return !failed
    }

    private mutating func fail() {
        failed = true
        channel.close(promise: nil)
    }

    static func wait(_ future: EventLoopFuture<Void>, timeout: Double) -> Bool {
        final class Box: @unchecked Sendable {
            let condition = Condition()
            var result: Bool?
        }
        let box = Box()
        future.whenComplete { result in
            box.condition.withLock {
                if case .success = result { box.result = true } else { box.result = false }
                box.condition.broadcast()
            }
        }
        return box.condition.withLock { () -> Bool in
            while box.result == nil {
                if !box.condition.wait(seconds: timeout) && box.result == nil { return false }
            }
            return box.result!
        }
    }
}

/// Sends a spooled body back, unchanged, as ICAP chunks: from memory, or from the spool's
/// private file through a pipe (the spool only replays to a descriptor), 64 KiB at a time.
enum SpoolEcho {
    static let chunkSize = 64 << 10

    /// Returns false when the peer went away or stalled; the connection is then closed.
    static func send(_ spool: MessageSpool, writer: inout BlockingChannelWriter) -> Bool {
        if !spool.isOnDisk {
            let bytes = spool.prefix(spool.count)
            var offset = 0
            while offset < bytes.count && !writer.failed {
                let end = min(offset + chunkSize, bytes.count)
                var buffer = writer.channel.allocator.buffer(capacity: end - offset + 16)
                ChunkedEncoder.chunk(bytes[offset..<end], into: &buffer)
                writer.write(buffer)
                offset = end
            }
        } else {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { return false }
            let readEnd = fds[0]
            let writeEnd = fds[1]
            let replayed = DispatchSemaphore(value: 0)
            let box = UncheckedBox(spool)
            DispatchQueue.global().async {
                // Fails with EPIPE (SIGPIPE is ignored) if the reader stops early.
                try? box.value.replay(to: writeEnd)
                close(writeEnd)
                replayed.signal()
            }
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
            defer { chunk.deallocate() }
            var total = 0
            while !writer.failed {
                let count = read(readEnd, chunk.baseAddress, chunk.count)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                total += count
                var buffer = writer.channel.allocator.buffer(capacity: count + 16)
                ChunkedEncoder.chunk(UnsafeRawBufferPointer(rebasing: chunk[0..<count]), into: &buffer)
                writer.write(buffer)
            }
            close(readEnd)
            replayed.wait()
            if total != spool.count && !writer.failed {
                writer.channel.close(promise: nil)
                return false
            }
        }
        var last = writer.channel.allocator.buffer(capacity: 8)
        ChunkedEncoder.last(into: &last)
        writer.write(last)
        return writer.finish()
    }
}

/// Carries a non-Sendable reference to another thread that alone uses it from then on.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
