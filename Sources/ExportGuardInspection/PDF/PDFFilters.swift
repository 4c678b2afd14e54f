/// The standard stream filters (§7.4) that carry text or structure: Flate (zlib) and LZW
/// with their predictors, ASCIIHex, ASCII85 and RunLength. Image codecs (DCT, JPX, JBIG2,
/// CCITT) are not decoded: streams that use them are pictures.
enum PDFFilters {
    /// The result of decoding: the bytes, and whether the data was damaged (a Flate stream
    /// cut short still yields what came before the damage, as readers show it).
    struct Output {
        var bytes: [UInt8]
        var damaged: Bool
    }

    static let imageFilters: Set<String> = ["DCTDecode", "DCT", "JPXDecode", "JBIG2Decode", "CCITTFaxDecode", "CCF"]

    /// The filter names and their parameters of a stream dictionary, in order.
    static func chain(_ dictionary: PDFDictionary, resolve: (PDFObject?) -> PDFObject?) -> [(name: String, parameters: PDFDictionary?)] {
        let filters: [PDFObject]
        switch resolve(dictionary["Filter"]) {
        case .name(let name)?: filters = [.name(name)]
        case .array(let items)?: filters = items.map { resolve($0) ?? .null }
        default: filters = []
        }
        let parameters: [PDFObject]
        switch resolve(dictionary["DecodeParms"] ?? dictionary["DP"]) {
        case .array(let items)?: parameters = items.map { resolve($0) ?? .null }
        case let single?: parameters = [single]
        default: parameters = []
        }
        return filters.enumerated().compactMap { index, filter in
            guard let name = filter.name else { return nil }
            return (name, index < parameters.count ? resolve(parameters[index])?.dictionary : nil)
        }
    }

    /// Applies `filters` to `data`, producing at most `limit` bytes.
    static func decode(_ data: [UInt8], filters: [(name: String, parameters: PDFDictionary?)], limit: Int) throws(PDFError) -> Output {
        var bytes = data
        var damaged = false
        for (name, parameters) in filters {
            switch name {
            case "FlateDecode", "Fl":
                let output = try inflate(bytes, limit: limit)
                damaged = damaged || output.damaged
                bytes = try predict(output.bytes, parameters: parameters)
            case "LZWDecode", "LZW":
                let early = parameters?["EarlyChange"]?.integer ?? 1
                bytes = try predict(try lzw(bytes, earlyChange: early != 0, limit: limit), parameters: parameters)
            case "ASCIIHexDecode", "AHx":
                bytes = asciiHex(bytes)
            case "ASCII85Decode", "A85":
                bytes = try ascii85(bytes)
            case "RunLengthDecode", "RL":
                bytes = try runLength(bytes, limit: limit)
            case "Crypt":
                // Only the identity crypt filter is met in practice; the document's own
                // decryption has been applied already.
                if let filterName = parameters?["Name"]?.name, filterName != "Identity" {
                    throw .unsupported("crypt filter \(filterName)")
                }
            default:
                if imageFilters.contains(name) { throw .unsupported("image data (\(name))") }
                throw .unsupported("the \(name) filter")
            }
            guard bytes.count <= limit else { throw .limitExceeded("a stream decodes to more than \(limit) bytes") }
        }
        return Output(bytes: bytes, damaged: damaged)
    }

    // MARK: Flate

    private static func inflate(_ data: [UInt8], limit: Int) throws(PDFError) -> Output {
        // zlib data as the standard says; raw deflate (no header) is met too.
        let zlibHeader = data.count >= 2 && data[0] & 0x0F == 8 && (UInt16(data[0]) << 8 | UInt16(data[1])) % 31 == 0
        let (output, outcome, overLimit) = InflateStream.inflate(data, format: zlibHeader ? .gzipOrZlib : .raw, limit: limit)
        if overLimit { throw .limitExceeded("a stream decodes to more than \(limit) bytes") }
        switch outcome {
        case .streamEnd: return Output(bytes: output, damaged: false)
        case .needsInput:
            // Cut short: what came out is kept, and the damage reported.
            return Output(bytes: output, damaged: !data.isEmpty)
        case .corrupt, .limitExceeded:
            guard !output.isEmpty else { throw .corrupt("a Flate stream does not inflate") }
            return Output(bytes: output, damaged: true)
        }
    }

    // MARK: Predictors (§7.4.4.4)

    static func predict(_ data: [UInt8], parameters: PDFDictionary?) throws(PDFError) -> [UInt8] {
        let predictor = parameters?["Predictor"]?.integer ?? 1
        guard predictor > 1 else { return data }
        let colors = max(1, min(parameters?["Colors"]?.integer ?? 1, 32))
        let bits = max(1, min(parameters?["BitsPerComponent"]?.integer ?? 8, 16))
        let columns = max(1, min(parameters?["Columns"]?.integer ?? 1, 1 << 24))
        let bytesPerPixel = max(1, (colors * bits + 7) / 8)
        let rowLength = (colors * bits * columns + 7) / 8
        // A row longer than all the data is a hostile parameter, not an image.
        guard rowLength <= max(data.count, 1) else { throw .corrupt("predictor rows longer than the data") }
        if predictor == 2 {
            guard bits == 8 else { throw .unsupported("TIFF predictor with \(bits) bits per component") }
            var output = data
            var index = 0
            while index < output.count {
                let rowEnd = min(index + rowLength, output.count)
                for position in (index + bytesPerPixel)..<max(index + bytesPerPixel, rowEnd) {
                    output[position] = output[position] &+ output[position - bytesPerPixel]
                }
                index = rowEnd
            }
            return output
        }
        // PNG predictors: each row starts with its filter type.
        var output: [UInt8] = []
        output.reserveCapacity(data.count)
        var previous = [UInt8](repeating: 0, count: rowLength)
        var row = [UInt8](repeating: 0, count: rowLength)
        var index = 0
        while index < data.count {
            let type = data[index]
            index += 1
            let available = min(rowLength, data.count - index)
            for column in 0..<rowLength {
                let raw = column < available ? data[index + column] : 0
                let left = column >= bytesPerPixel ? row[column - bytesPerPixel] : 0
                let up = previous[column]
                let upLeft = column >= bytesPerPixel ? previous[column - bytesPerPixel] : 0
                switch type {
                case 0: row[column] = raw
                case 1: row[column] = raw &+ left
                case 2: row[column] = raw &+ up
                case 3: row[column] = raw &+ UInt8((Int(left) + Int(up)) / 2)
                case 4: row[column] = raw &+ paeth(left, up, upLeft)
                default: throw .corrupt("PNG predictor row type \(type)")
                }
            }
            output.append(contentsOf: row[0..<available])
            swap(&previous, &row)
            index += available
        }
        return output
    }

    private static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    // MARK: LZW (§7.4.4.2)

    static func lzw(_ data: [UInt8], earlyChange: Bool, limit: Int) throws(PDFError) -> [UInt8] {
        var output: [UInt8] = []
        // Each entry is a prefix entry plus one byte; strings are rebuilt when emitted.
        var prefixes = [Int](repeating: -1, count: 4096)
        var suffixes = [UInt8](repeating: 0, count: 4096)
        var lengths = [Int](repeating: 1, count: 4096)
        for code in 0..<256 { suffixes[code] = UInt8(code) }
        var next = 258
        var width = 9
        var previous = -1
        var bitBuffer = 0, bitCount = 0
        var index = 0
        var scratch = [UInt8](repeating: 0, count: 4096)
        func emit(_ code: Int) {
            let length = lengths[code]
            var cursor = code
            for position in stride(from: length - 1, through: 0, by: -1) {
                scratch[position] = suffixes[cursor]
                cursor = prefixes[cursor]
            }
            output.append(contentsOf: scratch[0..<length])
        }
        func firstByte(_ code: Int) -> UInt8 {
            var code = code
            while prefixes[code] >= 0 { code = prefixes[code] }
            return suffixes[code]
        }
        func add(_ prefix: Int, _ byte: UInt8) {
            guard next < 4096 else { return }
            prefixes[next] = prefix
            suffixes[next] = byte
            lengths[next] = lengths[prefix] + 1
            next += 1
        }
        while true {
            while bitCount < width {
                guard index < data.count else { return output }
                bitBuffer = (bitBuffer << 8 | Int(data[index])) & 0xFFFFFF
                index += 1
                bitCount += 8
            }
            let code = (bitBuffer >> (bitCount - width)) & ((1 << width) - 1)
            bitCount -= width
            if code == 256 {
                next = 258
                width = 9
                previous = -1
                continue
            }
            if code == 257 { return output }
            if previous < 0 {
                guard code < 256 else { throw .corrupt("an LZW code outside the table") }
                emit(code)
            } else if code < next {
                emit(code)
                add(previous, firstByte(code))
            } else if code == next {
                add(previous, firstByte(previous))
                emit(code)
            } else {
                throw .corrupt("an LZW code outside the table")
            }
            previous = code
            if next >= (1 << width) - (earlyChange ? 1 : 0), width < 12 { width += 1 }
            guard output.count <= limit else { throw .limitExceeded("a stream decodes to more than \(limit) bytes") }
        }
    }

    // MARK: ASCII filters

    static func asciiHex(_ data: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(data.count / 2)
        var high: UInt8?
        for byte in data {
            if byte == UInt8(ascii: ">") { break }
            guard let value = PDFLexer.hexValue(byte) else { continue }
            if let pending = high {
                output.append(pending << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        if let high { output.append(high << 4) }
        return output
    }

    static func ascii85(_ data: [UInt8]) throws(PDFError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(data.count * 4 / 5)
        var group: UInt64 = 0
        var count = 0
        var index = 0
        while index < data.count, PDFLexer.isWhitespace(data[index]) { index += 1 }
        if index + 2 <= data.count, data[index] == UInt8(ascii: "<"), data[index + 1] == UInt8(ascii: "~") { index += 2 }
        while index < data.count {
            let byte = data[index]
            index += 1
            if byte == UInt8(ascii: "~") { break }
            if PDFLexer.isWhitespace(byte) { continue }
            if byte == UInt8(ascii: "z"), count == 0 {
                output.append(contentsOf: [0, 0, 0, 0])
                continue
            }
            guard byte >= 0x21, byte <= 0x75 else { throw .corrupt("a byte outside ASCII85") }
            group = group * 85 + UInt64(byte - 0x21)
            count += 1
            if count == 5 {
                guard group <= UInt64(UInt32.max) else { throw .corrupt("an ASCII85 group out of range") }
                output.append(contentsOf: [UInt8(group >> 24 & 0xFF), UInt8(group >> 16 & 0xFF), UInt8(group >> 8 & 0xFF), UInt8(group & 0xFF)])
                group = 0
                count = 0
            }
        }
        if count > 1 {
            for _ in count..<5 { group = group * 85 + 84 }
            let bytes = [UInt8(group >> 24 & 0xFF), UInt8(group >> 16 & 0xFF), UInt8(group >> 8 & 0xFF), UInt8(group & 0xFF)]
            output.append(contentsOf: bytes[0..<(count - 1)])
        }
        return output
    }

    static func runLength(_ data: [UInt8], limit: Int) throws(PDFError) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < data.count {
            let length = Int(data[index])
            index += 1
            if length == 128 { break }
            if length < 128 {
                let end = min(index + length + 1, data.count)
                output.append(contentsOf: data[index..<end])
                index = end
            } else if index < data.count {
                output.append(contentsOf: repeatElement(data[index], count: 257 - length))
                index += 1
            }
            guard output.count <= limit else { throw .limitExceeded("a stream decodes to more than \(limit) bytes") }
        }
        return output
    }
}
