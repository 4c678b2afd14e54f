/// A streaming conversion of text in some charset to UTF-8: a sequence cut by a chunk
/// boundary is carried to the next call; what cannot be read becomes U+FFFD and is counted.
protocol CharsetConverter: AnyObject {
    /// Invalid or unmappable sequences replaced so far.
    var replaced: Int { get }

    /// Converts `input` after whatever was carried, passing valid UTF-8 to `emit`.
    func convert(_ input: UnsafeRawBufferPointer, final: Bool, emit: (UnsafeRawBufferPointer) -> Void)
}

/// Opens converters by charset name.
enum CharsetConverters {
    /// glibc's iconv when it knows `charset`, else ICU (HZ is ICU's only), else nil.
    static func make(from charset: String) -> (any CharsetConverter)? {
        if let converter = IconvConverter(from: charset) { return converter }
        return ICUConverter(from: charset)
    }
}
