import ExportGuardCore

/// The printer settings an office package may carry (`word/printerSettings/printerSettings1.bin`,
/// also under `xl/` and `ppt/`): a Windows DEVMODE or a macOS print record with a property
/// list inside. They are binary, but known and small, and reporting every document that has
/// them as uninspected would send ordinary decks and workbooks to review.
///
/// Instead their text is read: runs of at least four printable UTF-8 characters, and of
/// four printable ASCII characters in UTF-16LE (DEVMODE names its printer that way), one run
/// a line. Text hidden in
/// them is found like any other. A part over ``maximumBytes`` is reported as uninspected.
struct PrinterSettingsDecoder: StreamDecoder {
    static let maximumBytes = 64 * 1024
    static let shortestRun = 4

    private var bytes: [UInt8] = []
    private var tooLarge = false

    /// Whether the part at `location` is one by its name inside an office package.
    static func applies(to location: Location) -> Bool {
        guard let name = location.parts.last else { return false }
        let components = name.split(separator: "/")
        guard components.count >= 2, components[components.count - 2] == "printerSettings",
              let file = components.last else { return false }
        return file.hasPrefix("printerSettings") && file.hasSuffix(".bin")
    }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        guard !tooLarge else { return }
        if bytes.count + input.count > Self.maximumBytes {
            tooLarge = true
            bytes = []
            return
        }
        bytes.append(contentsOf: input)
    }

    mutating func finish(in stream: StreamDispatcher) {
        if tooLarge {
            stream.uninspected(.limitExceeded("printer settings larger than \(Self.maximumBytes / 1024) KiB"))
            return
        }
        let text = Self.textRuns(bytes)
        text.withUnsafeBytes { stream.emitText($0) }
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
        // UTF-16LE runs of printable ASCII (a zero high byte): DEVMODE's printer and form
        // names. Other code units are not taken: any two bytes read as one would make up
        // Chinese characters out of binary noise.
        for parity in 0..<2 {
            var run: [UInt8] = []
            var k = parity
            func endUTF16Run() {
                if run.count >= shortestRun {
                    out.append(contentsOf: run)
                    out.append(0x0A)
                }
                run.removeAll(keepingCapacity: true)
            }
            while k + 1 < bytes.count {
                if bytes[k + 1] == 0, (0x20...0x7E).contains(bytes[k]) {
                    run.append(bytes[k])
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
