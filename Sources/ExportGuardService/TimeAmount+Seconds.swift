import NIOCore

extension TimeAmount {
    /// A duration given in seconds, fractions included, as the configuration holds them.
    static func seconds(fractional seconds: Double) -> TimeAmount {
        .nanoseconds(Int64(seconds * 1_000_000_000))
    }
}
