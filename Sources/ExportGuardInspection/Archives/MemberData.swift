/// A member's data and the padding after it, as tar, ar and cpio store them: the data goes
/// to the member's stream as it arrives, the padding is passed over. What is skipped (a
/// directory's data, a symbol table) is padding with no data before it.
struct MemberData: Equatable {
    var remaining: Int
    var padding: Int

    var isDone: Bool { remaining == 0 && padding == 0 }

    /// Takes what `input` holds of the data and padding, handing data to `feed`; the bytes used.
    mutating func take(_ input: UnsafeRawBufferPointer, feed: (UnsafeRawBufferPointer) -> Void) -> Int {
        let used = min(remaining + padding, input.count)
        let content = min(used, remaining)
        if content > 0 { feed(UnsafeRawBufferPointer(rebasing: input[0..<content])) }
        remaining -= content
        padding -= used - content
        return used
    }
}
