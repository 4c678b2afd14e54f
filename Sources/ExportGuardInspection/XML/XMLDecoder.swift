/// Decodes an XML part with libxml2's push parser into text (see ``XMLTextCollector``).
/// A parse error, a limit or an entity attack ends the part as uninspected; the text
/// read before it was still inspected.
struct XMLDecoder {
    private var parser: XMLPushParser?
    private let limits: InspectionLimits
    private var failed = false

    init(limits: InspectionLimits) {
        self.limits = limits
    }

    private mutating func parser(for stream: StreamDispatcher) -> XMLPushParser {
        if let parser { return parser }
        let created = XMLPushParser(collector: XMLTextCollector(stream: stream, maxTextLength: limits.maxXMLTextLength))
        parser = created
        return created
    }

    private mutating func report(_ parser: XMLPushParser, in stream: StreamDispatcher) {
        failed = true
        parser.collector.flush()
        stream.closeText()
        if parser.collector.overLimit {
            stream.uninspected(.limitExceeded("an XML text node longer than \(limits.maxXMLTextLength) bytes"))
        } else if let error = parser.collector.error {
            stream.uninspected(.corrupt("XML line \(error.line): \(error.message)"))
        } else if parser.errorNumber != 0 {
            stream.uninspected(.corrupt("XML could not be parsed (libxml2 error \(parser.errorNumber))"))
        } else {
            // A failed charset conversion stops the parser without an error of its own.
            stream.uninspected(.corrupt("XML could not be parsed"))
        }
    }
}

extension XMLDecoder: StreamDecoder {
    mutating func decode(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        guard !failed else { return }
        let parser = parser(for: stream)
        guard parser.isAvailable else {
            failed = true
            stream.uninspected(.unsupported("the XML parser could not start"))
            return
        }
        if !parser.parse(bytes, terminate: false) { report(parser, in: stream) }
        parser.collector.flush()
    }

    mutating func finish(in stream: StreamDispatcher) {
        guard !failed, !stream.isStopped else {
            parser = nil
            return
        }
        let parser = parser(for: stream)
        if !parser.parse(UnsafeRawBufferPointer(start: nil, count: 0), terminate: true) {
            report(parser, in: stream)
        }
        parser.collector.flush()
        self.parser = nil
    }
}
