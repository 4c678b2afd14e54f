/// The printer settings office packages carry (`…/printerSettings/printerSettings1.bin`),
/// recognised by their structure, never by their name:
///
/// - a Windows `DEVMODEW`: the device name in UTF-16LE, a known specification version and
///   structure size, and `dmSize + dmDriverExtra` equal to the part's length;
/// - a macOS print record: a version word, then records of a kind, a length and an XML
///   property list, which together fill the part exactly.
///
/// A DEVMODE's device and form names are read as text, and the printable runs of its
/// driver-private data; a macOS record's property lists are streams of their own (XML).
/// Anything that does not fit is unknown binary data. Larger than ``maximumBytes``, it is
/// reported as over a limit.
struct PrinterSettingsDecoder: WholeFormat {
    static let maximumBytes = 64 * 1024
    static let shortestRun = 4
    /// DEVMODEW sizes written by Windows versions since NT 4.
    static let devmodeSizes: Set<Int> = [156, 188, 212, 220]
    static let devmodeVersions: Set<Int> = [0x0300, 0x0320, 0x0400, 0x0401]

    static let partName = "printer settings"

    /// Whether the head of a stream has the shape of printer settings.
    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        let reader = ByteReader(bytes: Array(head.prefix(128)))
        if let version = try? reader.u32(0), version == 1 || version == 2 {
            let xmlAt = version == 1 ? 8 : 12
            return (try? reader.string(xmlAt..<(xmlAt + 5))) == "<?xml"
        }
        guard let spec = try? reader.u16(64), let size = try? reader.u16(68) else { return false }
        return devmodeVersions.contains(spec) && devmodeSizes.contains(size) && name(reader, at: 0) != nil
    }

    /// A DEVMODE name (the device's at 0, the form's at 102): printable UTF-16LE up to a NUL
    /// in its 32 characters.
    private static func name(_ reader: ByteReader, at offset: Int) -> [UInt8]? {
        var units: [UInt16] = []
        for index in 0..<32 {
            guard let unit = try? reader.u16(offset + index * 2) else { return nil }
            if unit == 0 { break }
            guard unit >= 0x20 else { return nil }
            units.append(UInt16(unit))
        }
        return units.isEmpty ? nil : Array(String(decoding: units, as: UTF16.self).utf8)
    }

    func read(_ bytes: [UInt8], in stream: StreamDispatcher) {
        let reader = ByteReader(bytes: bytes)
        if let records = Self.printRecords(reader) {
            for record in records {
                let child = stream.child(named: nil)
                bytes[record].withUnsafeBytes { child.feed($0) }
                child.finish()
            }
            return
        }
        if let text = Self.devmodeText(reader) {
            text.withUnsafeBytes { stream.emitText($0) }
            return
        }
        stream.uninspected(.binaryContent("unknown binary data (not a DEVMODE or print record)"))
    }

    /// The property lists of a macOS print record, when the records fill the part exactly.
    static func printRecords(_ reader: ByteReader) -> [Range<Int>]? {
        guard let version = try? reader.u32(0) else { return nil }
        var ranges: [Range<Int>] = []
        switch version {
        case 1:
            guard let length = try? reader.u32(4), 8 + length == reader.count else { return nil }
            ranges.append(8..<reader.count)
        case 2:
            var offset = 4
            while offset < reader.count {
                guard let length = try? reader.u32(offset + 4), reader.contains(offset + 8, length: length) else { return nil }
                ranges.append((offset + 8)..<(offset + 8 + length))
                offset += 8 + length
            }
        default:
            return nil
        }
        let xml = Array("<?xml".utf8)
        guard !ranges.isEmpty, ranges.allSatisfy({ reader.bytes[$0].starts(with: xml) }) else { return nil }
        return ranges
    }

    /// A DEVMODEW's names and the printable runs of its driver data, when its sizes add up.
    static func devmodeText(_ reader: ByteReader) -> [UInt8]? {
        guard let spec = try? reader.u16(64), let size = try? reader.u16(68), let extra = try? reader.u16(70),
              devmodeVersions.contains(spec), devmodeSizes.contains(size), size + extra == reader.count,
              let device = name(reader, at: 0) else { return nil }
        var text = device + [0x0A]
        // dmFormName follows the fixed fields at 102 in every DEVMODEW of 156 bytes or more.
        if let form = name(reader, at: 102) { text += form + [0x0A] }
        text += textRuns(Array(reader.bytes[size...]))
        return text
    }

    /// The printable runs of `bytes` as UTF-8 text, one a line.
    static func textRuns(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        // UTF-8 runs: printable ASCII, tabs and valid multi-byte characters.
        var index = 0
        var runStart = 0
        var characters = 0
        func endRun(at end: Int) {
            if characters >= shortestRun {
                out.append(contentsOf: bytes[runStart..<end])
                out.append(0x0A)
            }
            characters = 0
        }
        bytes.withUnsafeBytes { raw in
            while index < bytes.count {
                let byte = bytes[index]
                var length = 0
                if (0x20...0x7E).contains(byte) || byte == 0x09 {
                    length = 1
                } else if byte >= 0xC2 {
                    let candidate = UTF8Validator.sequenceLength(lead: byte)
                    if candidate > 1, index + candidate <= bytes.count, UTF8Validator.isValidSequence(raw, at: index, length: candidate) {
                        length = candidate
                    }
                }
                if length == 0 {
                    endRun(at: index)
                    index += 1
                    runStart = index
                } else {
                    if characters == 0 { runStart = index }
                    characters += 1
                    index += length
                }
            }
            endRun(at: index)
        }
        // UTF-16LE runs of printable ASCII and CJK characters. Any two bytes read as one
        // unit can make up a Chinese character out of noise, so a run is only taken with at
        // least four characters, three of them CJK when it has any.
        for parity in 0..<2 {
            var run: [UInt16] = []
            var cjk = 0
            var k = parity
            func endUTF16Run() {
                if run.count >= shortestRun && (cjk == 0 || cjk >= 3) {
                    out.append(contentsOf: String(decoding: run, as: UTF16.self).utf8)
                    out.append(0x0A)
                }
                run.removeAll(keepingCapacity: true)
                cjk = 0
            }
            while k + 1 < bytes.count {
                let unit = UInt16(bytes[k + 1]) << 8 | UInt16(bytes[k])
                if (0x20...0x7E).contains(unit) {
                    run.append(unit)
                } else if (0x4E00...0x9FFF).contains(unit) || (0x3000...0x303F).contains(unit) || (0xFF01...0xFF5E).contains(unit) {
                    run.append(unit)
                    cjk += 1
                } else {
                    endUTF16Run()
                }
                k += 2
            }
            endUTF16Run()
        }
        return out
    }
}
