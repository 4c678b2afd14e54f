import ExportGuardCore
import ExportGuardInspection
import Foundation

/// Runs a ``ScanSink`` on a second thread: decoding (reading, inflating, parsing XML) goes on in
/// the caller's thread while the matcher and the policy read the text before it, so one
/// input uses two cores.
///
/// Events are recorded in order into batches of about 64 KiB of text; a full batch goes to
/// the worker through a queue of a few batches, so memory stays bounded and a slow matcher
/// slows the decoder rather than letting text pile up. The worker replays each batch into
/// the wrapped sink exactly as the events came (text, marks, parts), so the sink sees what
/// it would have seen directly, cut into other pieces. An input of less than one batch
/// never starts the worker: ``finish()`` replays it in the caller's thread.
///
/// Only for scans that read their input to the end: a stop at the first block needs each
/// verdict as soon as its text is read, while here the text that decides it may wait in a
/// batch that never fills (binary members follow it). So ``InspectionSink/shouldStop`` is
/// never true here, and a scan sink that stops at a block is refused.
final class PipelinedSink: InspectionSink {
    private let wrapped: ScanSink
    private var batch = Batch()
    private var worker: Worker?
    private var stopped = false

    static let batchBytes = 64 * 1024
    /// Batches in flight: enough to smooth the two sides' pace, little memory.
    static let queueDepth = 4

    init(_ wrapped: ScanSink) {
        precondition(!wrapped.stopsAtBlock, "a scan that stops at the first block is not pipelined")
        self.wrapped = wrapped
        batch.bytes.reserveCapacity(Self.batchBytes)
    }

    // MARK: Recording

    func beginText(at location: Location) {
        record(.beginText(location))
    }

    func text(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes
        while !rest.isEmpty {
            let room = max(Self.batchBytes - batch.bytes.count, 0)
            let piece = UnsafeRawBufferPointer(rebasing: rest.prefix(max(room, 1)))
            let start = batch.bytes.count
            batch.bytes.append(contentsOf: piece)
            // Consecutive text joins one event.
            if case .text(let range)? = batch.events.last, range.upperBound == start {
                batch.events[batch.events.count - 1] = .text(range.lowerBound..<batch.bytes.count)
            } else {
                batch.events.append(.text(start..<batch.bytes.count))
            }
            rest = UnsafeRawBufferPointer(rebasing: rest[piece.count...])
            if batch.bytes.count >= Self.batchBytes { ship() }
        }
    }

    func endText() {
        record(.endText)
    }

    func uninspected(at location: Location, reason: UninspectedReason) {
        record(.uninspected(location, reason))
    }

    func media(_ part: MediaPart) {
        record(.media(part))
    }

    func mark(_ position: Location.Position) {
        record(.mark(position))
    }

    func mark(elementPath path: UnsafeBufferPointer<ElementStep>, line: Int) {
        let start = batch.steps.count
        batch.steps.append(contentsOf: path)
        record(.markPath(start..<batch.steps.count, line: line))
    }

    private func record(_ event: Event) {
        batch.events.append(event)
        if batch.events.count >= 4096 { ship() }
    }

    // MARK: Hand-over

    private func ship() {
        guard !batch.events.isEmpty else { return }
        if worker == nil { worker = Worker(wrapped: wrapped) }
        let next = worker!.exchange(batch)
        batch = next
    }

    /// Replays what is left and waits until the wrapped sink has seen every event.
    func finish() {
        guard !stopped else { return }
        stopped = true
        if let worker {
            if !batch.events.isEmpty { _ = worker.exchange(batch) }
            worker.close()
        } else {
            batch.replay(into: wrapped)
        }
    }

    deinit {
        finish()
    }
}

extension PipelinedSink {
    enum Event {
        case beginText(Location)
        /// Bytes of the batch's buffer.
        case text(Range<Int>)
        case endText
        case uninspected(Location, UninspectedReason)
        case media(MediaPart)
        case mark(Location.Position)
        /// Steps of the batch's step list.
        case markPath(Range<Int>, line: Int)
    }

    /// Events with the text and element steps they refer to.
    struct Batch {
        var bytes: [UInt8] = []
        var steps: [ElementStep] = []
        var events: [Event] = []

        func replay(into sink: ScanSink) {
            bytes.withUnsafeBytes { text in
                steps.withUnsafeBufferPointer { steps in
                    for event in events {
                        switch event {
                        case .beginText(let location): sink.beginText(at: location)
                        case .text(let range): sink.text(UnsafeRawBufferPointer(rebasing: text[range]))
                        case .endText: sink.endText()
                        case .uninspected(let location, let reason): sink.uninspected(at: location, reason: reason)
                        case .media(let part): sink.media(part)
                        case .mark(let position): sink.mark(position)
                        case .markPath(let range, let line): sink.mark(elementPath: UnsafeBufferPointer(rebasing: steps[range]), line: line)
                        }
                    }
                }
            }
        }

        mutating func clear() {
            bytes.removeAll(keepingCapacity: true)
            steps.removeAll(keepingCapacity: true)
            events.removeAll(keepingCapacity: true)
        }
    }

    /// The second thread and the queues between it and the recorder. The wrapped sink is
    /// touched only by the worker thread until ``close()`` returns.
    final class Worker: @unchecked Sendable {
        private let wrapped: ScanSink
        private let condition = NSCondition()
        // Guarded by `condition`.
        private var full: [Batch] = []
        private var empty: [Batch] = []
        private var closed = false
        private var done = false

        init(wrapped: ScanSink) {
            self.wrapped = wrapped
            let thread = Thread { [self] in run() }
            thread.stackSize = 8 << 20
            thread.start()
        }

        /// Queues a full batch (waiting while the queue is full) and returns an empty one.
        func exchange(_ batch: Batch) -> Batch {
            condition.lock()
            defer { condition.unlock() }
            while full.count >= PipelinedSink.queueDepth { condition.wait() }
            full.append(batch)
            condition.broadcast()
            return empty.popLast() ?? Batch()
        }

        /// No more batches: waits until the worker has replayed all of them.
        func close() {
            condition.lock()
            closed = true
            condition.broadcast()
            while !done { condition.wait() }
            condition.unlock()
        }

        private func run() {
            while true {
                condition.lock()
                while full.isEmpty && !closed { condition.wait() }
                if full.isEmpty {
                    done = true
                    condition.broadcast()
                    condition.unlock()
                    return
                }
                var batch = full.removeFirst()
                condition.broadcast()
                condition.unlock()
                batch.replay(into: wrapped)
                batch.clear()
                condition.lock()
                if empty.count < PipelinedSink.queueDepth { empty.append(batch) }
                condition.unlock()
            }
        }
    }
}
