import CLZMA
import Glibc

/// xz, legacy `.lzma`, the LZMA entries of zip files and 7z's LZMA, LZMA2, BCJ and delta
/// coders, decoded by liblzma. xz's
/// integrity check (CRC-32, CRC-64 or SHA-256) is verified; one xz stream is one member
/// (the decoder that reads a file finds the next after padding).
final class LZMAStream: Decompressor {
    enum Format: Equatable {
        case xz
        /// The legacy `.lzma` format (LZMA_Alone): properties, dictionary size and length.
        case lzmaAlone
        /// A zip entry compressed with method 14: a 4-byte version and properties-length
        /// header, 5 bytes of properties, then raw LZMA; `size` when the header knows it
        /// (the data may then end without an end marker).
        case zip(size: Int?)
        /// Raw data through a chain of liblzma filters, as a 7z folder names them: the
        /// filter giving the final output first, the one reading the packed data last.
        case chain([LZMAFilter])
    }

    /// Most memory a stream may take to decode (the dictionary): xz -9 needs 65 MiB.
    static let memoryLimit: UInt64 = 128 << 20

    private let format: Format
    private let stream: UnsafeMutablePointer<lzma_stream>
    private let output: UnsafeMutableRawBufferPointer
    private var started = false
    /// zip's header, gathered until whole.
    private var zipHeader: [UInt8] = []
    private(set) var consumed = 0
    private(set) var produced = 0

    init(_ format: Format, outputSize: Int = 64 * 1024) {
        self.format = format
        stream = .allocate(capacity: 1)
        stream.initialize(to: eg_lzma_stream_init())
        output = .allocate(byteCount: outputSize, alignment: 16)
    }

    deinit {
        lzma_end(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    func reset() {
        lzma_end(stream)
        stream.pointee = eg_lzma_stream_init()
        started = false
        zipHeader = []
        consumed = 0
        produced = 0
    }

    /// Sets up the decoder; a reason when it cannot be.
    private func start() -> DecompressionOutcome? {
        let status: lzma_ret
        switch format {
        case .xz:
            status = lzma_stream_decoder(stream, Self.memoryLimit, eg_lzma_tell_unsupported_check)
        case .lzmaAlone:
            status = lzma_alone_decoder(stream, Self.memoryLimit)
        case .zip(let size):
            return startZip(size: size)
        case .chain(let filters):
            return startChain(filters)
        }
        return status == LZMA_OK ? nil : Self.outcome(status, what: "cannot start the decoder")
    }

    private func startZip(size: Int?) -> DecompressionOutcome? {
        let propertiesSize = Int(zipHeader[2]) | Int(zipHeader[3]) << 8
        guard propertiesSize == 5 else { return .corrupt("zip LZMA: properties of \(propertiesSize) bytes, not 5") }
        var options = lzma_options_lzma()
        var filter = lzma_filter(id: eg_lzma_filter_lzma1, options: nil)
        let decoded = zipHeader[4..<9].withUnsafeBufferPointer { lzma_properties_decode(&filter, nil, $0.baseAddress, 5) }
        guard decoded == LZMA_OK, let parsed = filter.options?.assumingMemoryBound(to: lzma_options_lzma.self) else {
            return .corrupt("zip LZMA: invalid properties")
        }
        options = parsed.pointee
        free(filter.options)
        // LZMA1EXT: the data may end at its known length or with an end marker.
        let length = size.map { UInt64($0) } ?? UInt64.max
        options.ext_flags = eg_lzma_lzma1ext_allow_eopm
        options.ext_size_low = UInt32(truncatingIfNeeded: length)
        options.ext_size_high = UInt32(truncatingIfNeeded: length >> 32)
        guard options.dict_size <= UInt32(Self.memoryLimit) else { return .limitExceeded("zip LZMA: a dictionary of \(options.dict_size >> 20) MiB") }
        return withUnsafeMutablePointer(to: &options) { pointer in
            var filters = [lzma_filter(id: eg_lzma_filter_lzma1ext, options: pointer), lzma_filter(id: eg_lzma_vli_unknown, options: nil)]
            let status = lzma_raw_decoder(stream, &filters)
            return status == LZMA_OK ? nil : Self.outcome(status, what: "cannot start the decoder")
        }
    }

    private func startChain(_ chain: [LZMAFilter]) -> DecompressionOutcome? {
        guard (1...4).contains(chain.count) else { return .corrupt("a chain of \(chain.count) filters") }
        var filters: [lzma_filter] = []
        defer { for filter in filters { free(filter.options) } }
        for link in chain {
            var filter = lzma_filter(id: link.id, options: nil)
            let decoded = link.properties.withUnsafeBufferPointer { lzma_properties_decode(&filter, nil, $0.baseAddress, $0.count) }
            guard decoded == LZMA_OK else { return .corrupt("invalid properties of filter \(link.id)") }
            filters.append(filter)
            guard link.id == eg_lzma_filter_lzma1 || link.id == eg_lzma_filter_lzma2,
                  let options = filter.options?.assumingMemoryBound(to: lzma_options_lzma.self) else { continue }
            guard options.pointee.dict_size <= UInt32(Self.memoryLimit) else {
                return .limitExceeded("a dictionary of \(options.pointee.dict_size >> 20) MiB")
            }
            if link.id == eg_lzma_filter_lzma1 {
                // LZMA1EXT: the data ends at its known length, or with an end marker.
                let length = link.unpackSize.map { UInt64($0) } ?? UInt64.max
                options.pointee.ext_flags = eg_lzma_lzma1ext_allow_eopm
                options.pointee.ext_size_low = UInt32(truncatingIfNeeded: length)
                options.pointee.ext_size_high = UInt32(truncatingIfNeeded: length >> 32)
                filters[filters.count - 1].id = eg_lzma_filter_lzma1ext
            }
        }
        var terminated = filters + [lzma_filter(id: eg_lzma_vli_unknown, options: nil)]
        let status = lzma_raw_decoder(stream, &terminated)
        return status == LZMA_OK ? nil : Self.outcome(status, what: "cannot start the decoder")
    }

    func decompress(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) -> Bool) -> DecompressionOutcome {
        var input = input
        if case .zip = format, !started {
            let wanted = min(9 - zipHeader.count, input.count)
            zipHeader += input[input.startIndex..<(input.startIndex + wanted)]
            consumed += wanted
            input = UnsafeRawBufferPointer(rebasing: input[(input.startIndex + wanted)...])
            if zipHeader.count < 9 { return .needsInput }
        }
        if !started {
            if let failure = start() { return failure }
            started = true
        }
        guard input.count > 0 else { return .needsInput }
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_in = input.count
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        while true {
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = output.count
            let before = stream.pointee.avail_in
            let status = lzma_code(stream, LZMA_RUN)
            consumed += before - stream.pointee.avail_in
            let count = output.count - stream.pointee.avail_out
            produced += count
            if count > 0, !emit(UnsafeRawBufferPointer(rebasing: output[0..<count])) {
                return .needsInput
            }
            switch status {
            case LZMA_STREAM_END:
                return .streamEnd(unusedInput: stream.pointee.avail_in)
            case LZMA_OK, LZMA_UNSUPPORTED_CHECK:
                // An integrity check this liblzma cannot verify: the data is still read.
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 { return .needsInput }
            case LZMA_BUF_ERROR:
                return .needsInput
            default:
                return Self.outcome(status, what: "corrupt data")
            }
        }
    }

    private static func outcome(_ status: lzma_ret, what: String) -> DecompressionOutcome {
        switch status {
        case LZMA_MEMLIMIT_ERROR, LZMA_MEM_ERROR:
            .limitExceeded("needs more than \(memoryLimit >> 20) MiB of memory to decompress")
        case LZMA_FORMAT_ERROR: .corrupt("not in the format its header claims")
        case LZMA_OPTIONS_ERROR: .corrupt("unsupported or invalid options")
        case LZMA_DATA_ERROR: .corrupt("corrupt data")
        default: .corrupt("\(what) (liblzma status \(status.rawValue))")
        }
    }
}

/// One filter of a raw liblzma chain: its liblzma id, its properties as stored (7z's coder
/// properties are liblzma's), and for LZMA1 the length it unpacks to when known.
struct LZMAFilter: Equatable {
    var id: UInt64
    var properties: [UInt8]
    var unpackSize: Int?
}
