import ExportGuardCore

/// The one place that decides how a stream is decoded: it holds the first bytes until
/// it can sniff them, then hands everything to the matching decoder.
struct StreamDispatcher {
    let location: Location
    let limits: InspectionLimits
    let sink: any InspectionSink
    private(set) var stats = InspectionStats()
    private var head: [UInt8] = []
    private var decoder: Decoder?

    private enum Decoder {
        case text(UTF8TextDecoder)
        case skip
    }

    init(location: Location, limits: InspectionLimits, sink: any InspectionSink) {
        self.location = location
        self.limits = limits
        self.sink = sink
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        stats.bytes += bytes.count
        if decoder == nil {
            head.append(contentsOf: bytes)
            if head.count < limits.sniffBytes { return }
            choose()
            let held = head
            head = []
            held.withUnsafeBytes { decode($0) }
            return
        }
        decode(bytes)
    }

    mutating func finish() {
        if decoder == nil {
            choose()
            let held = head
            head = []
            held.withUnsafeBytes { decode($0) }
        }
        switch decoder {
        case .text(var text)?:
            let sink = self.sink
            var emitted = 0
            text.finish { emitted += $0.count; sink.text($0) }
            stats.decodedBytes += emitted
            stats.replacedSequences = text.replacements
            sink.endText()
        case .skip?, nil:
            break
        }
    }

    private mutating func choose() {
        let kind = head.withUnsafeBytes { ContentKind.sniff($0) }
        switch kind {
        case .utf8Text, .empty:
            decoder = .text(UTF8TextDecoder())
            sink.beginText(at: location)
        case .gzip:
            skip(.unsupported("gzip compressed data"))
        case .zip:
            skip(.unsupported("zip archive"))
        case .pdf:
            skip(.binaryContent("PDF document"))
        case .image(let format):
            skip(.binaryContent("\(format) image"))
        case .binary:
            skip(.binaryContent("unknown binary data"))
        }
    }

    private mutating func skip(_ reason: UninspectedReason) {
        decoder = .skip
        sink.uninspected(at: location, reason: reason)
    }

    private mutating func decode(_ bytes: UnsafeRawBufferPointer) {
        switch decoder {
        case .text(var text)?:
            decoder = nil
            let sink = self.sink
            let budget = limits.maxDecodedBytes
            var emitted = stats.decodedBytes
            var overLimit = false
            text.decode(bytes) { piece in
                guard !overLimit else { return }
                if emitted + piece.count > budget {
                    overLimit = true
                    return
                }
                emitted += piece.count
                sink.text(piece)
            }
            stats.decodedBytes = emitted
            stats.replacedSequences = text.replacements
            if overLimit {
                sink.uninspected(at: location, reason: .limitExceeded("more than \(budget) decoded bytes"))
                sink.endText()
                decoder = .skip
            } else {
                decoder = .text(text)
            }
        case .skip?:
            stats.binaryBytes += bytes.count
        case nil:
            break
        }
    }
}
