/// A decoder for one format, in the shape of swift-nio's `ByteToMessageDecoder`: fed a
/// stream's bytes in chunks of any size, it emits text or child streams through its
/// ``StreamDispatcher`` and is told when the input ends.
protocol StreamDecoder {
    /// Decodes the next bytes. The buffer is only valid during the call.
    mutating func decode(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher)
    /// The stream ended; anything incomplete is reported as such.
    mutating func finish(in stream: StreamDispatcher)
}
