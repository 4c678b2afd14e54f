/// An HTML file: UTF-8 checked as it streams, then reduced to its text by
/// ``HTMLTextExtractor`` (tags and scripts dropped, character references decoded), so that
/// `&#26426;&#23494;` reads as 机密. The same extraction as for HTML parts of a mail.
struct HTMLTextDecoder: StreamDecoder {
    private var utf8 = UTF8TextDecoder()
    private var extractor = HTMLTextExtractor()

    mutating func decode(_ bytes: UnsafeRawBufferPointer, in stream: StreamDispatcher) {
        let before = utf8.replacements
        // The extractor moves out while the UTF-8 decoder feeds it (two parts of self).
        var extractor = HTMLTextExtractor()
        swap(&extractor, &self.extractor)
        utf8.decode(bytes) { text in extractor.feed(text) { stream.emitText($0) } }
        swap(&extractor, &self.extractor)
        stream.session.stats.replacedSequences += utf8.replacements - before
    }

    mutating func finish(in stream: StreamDispatcher) {
        let before = utf8.replacements
        var extractor = HTMLTextExtractor()
        swap(&extractor, &self.extractor)
        utf8.finish { text in extractor.feed(text) { stream.emitText($0) } }
        extractor.finish { stream.emitText($0) }
        stream.session.stats.replacedSequences += utf8.replacements - before
        // An empty page still opens its (empty) text part.
        stream.emitText(UnsafeRawBufferPointer(start: nil, count: 0))
    }
}
