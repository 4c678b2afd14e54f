import Foundation

/// Runs a job per input on a bounded pool of threads and hands the results back in input
/// order, as each is ready: `scan DIR --jobs N`.
///
/// Workers take the next input as they become free, but never run more than `window`
/// inputs ahead of the one the caller is waiting for, so the results held (a report each)
/// stay bounded however long the list and however slow one input; each running job holds
/// its own scan's memory, so the peak is about `jobs` × one scan's budget.
final class ParallelScan<Result: Sendable>: @unchecked Sendable {
    private let count: Int
    private let window: Int
    private let job: @Sendable (Int) -> Result
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var next = 0
    private var delivered = 0
    private var results: [Int: Result] = [:]

    /// - Parameters:
    ///   - count: the number of inputs; `job` is called once for each index below it.
    ///   - jobs: threads to run; at least 1.
    init(count: Int, jobs: Int, job: @escaping @Sendable (Int) -> Result) {
        self.count = count
        self.window = max(jobs, 1) * 4
        self.job = job
        for _ in 0..<min(max(jobs, 1), count) {
            let thread = Thread { [self] in work() }
            // Scans recurse through nested containers: give them the main thread's stack.
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    private func work() {
        while true {
            condition.lock()
            while next < count, next - delivered >= window { condition.wait() }
            guard next < count else {
                condition.unlock()
                return
            }
            let index = next
            next += 1
            condition.unlock()
            let result = job(index)
            condition.lock()
            results[index] = result
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Calls `body` with each result in input order, waiting for each as needed.
    func forEachInOrder(_ body: (Int, Result) -> Void) {
        for index in 0..<count {
            condition.lock()
            while results[index] == nil { condition.wait() }
            let result = results.removeValue(forKey: index)!
            delivered = index + 1
            condition.broadcast()
            condition.unlock()
            body(index, result)
        }
    }
}
