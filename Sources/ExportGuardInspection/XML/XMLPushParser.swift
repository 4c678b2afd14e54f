import CLibXML2
import ExportGuardCore

/// libxml2's push parser, set up so that parsing can never reach outside the input: no
/// network, no external DTD, and an external-entity loader that loads nothing (an entity
/// naming a file is an error, which ends the part as uninspected: that is how XXE ends).
/// Entities declared in the document's own internal subset are expanded, their text read
/// where they are referenced — the text is in the file — under libxml2's amplification
/// checks (billion laughs ends as an error too). An entity declared only in an external
/// DTD, which is not in the file, is passed over. No tree is built: SAX events go straight
/// to an ``XMLTextCollector``.
final class XMLPushParser {
    private(set) var context: xmlParserCtxtPtr?
    private var handler = xmlSAXHandler()
    let collector: XMLTextCollector

    private static let initialise: Void = {
        xmlInitParser()
        // Nothing outside the input is ever loaded, whatever a document names; naming
        // something (XXE) ends the part as uninspected.
        xmlSetExternalEntityLoader { url, _, context in
            // `_private` holds the collector, and libxml2 copies it to the entity's context.
            if let user = context?.pointee._private {
                let collector = Unmanaged<XMLTextCollector>.fromOpaque(user).takeUnretainedValue()
                let name = url.map { String(cString: $0) } ?? "?"
                collector.record("an external entity (\(name)) is not loaded", line: collector.line)
            }
            return nil
        }
    }()

    /// The parser context of the collector `ctx` (the SAX2 DTD handlers need it).
    private static func parserContext(_ ctx: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
        guard let ctx else { return nil }
        return Unmanaged<XMLTextCollector>.fromOpaque(ctx).takeUnretainedValue().contextHolder?.context.map { UnsafeMutableRawPointer($0) }
    }

    init(collector: XMLTextCollector) {
        _ = Self.initialise
        eg_xml_silence_generic_errors()
        self.collector = collector
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { ctx, localName, prefix, uri, _, _, attributeCount, _, attributes in
            guard let ctx, let localName else { return }
            let collector = Unmanaged<XMLTextCollector>.fromOpaque(ctx).takeUnretainedValue()
            let namespace = uri.map { collector.names.name($0) }
            let local = collector.names.name(localName)
            var reference: String?
            if let attributes, attributeCount > 0, local.isCellOrRow, namespace?.isOffice ?? false {
                // A spreadsheet cell or row names itself (r="B7"): the location says so.
                for index in 0..<Int(attributeCount) {
                    let base = index * 5
                    guard let name = attributes[base], attributes[base + 2] == nil, name[0] == UInt8(ascii: "r"), name[1] == 0,
                          let start = attributes[base + 3], let end = attributes[base + 4], end - start <= 16 else { continue }
                    reference = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
                }
            }
            collector.startElement(localName: local, prefix: prefix.map { collector.names.name($0) }, namespace: namespace, reference: reference)
            // Attributes of office elements carry formatting, except the few that hold what a
            // person wrote (a sheet's name, a picture's alt text, a link's target and tip).
            if let attributes, attributeCount > 0, namespace?.isOffice ?? false, let wanted = local.textAttributes {
                var values: [UnsafeBufferPointer<UInt8>] = []
                var external = local.string != "Relationship"
                for index in 0..<Int(attributeCount) {
                    let base = index * 5
                    guard let name = attributes[base], let start = attributes[base + 3], let end = attributes[base + 4] else { continue }
                    let attribute = collector.names.name(name).string
                    let value = UnsafeBufferPointer(start: start, count: end - start)
                    // A relationship's target is text when it leaves the package (a URL), not a part name.
                    if attribute == "TargetMode" { external = value.elementsEqual("External".utf8) }
                    if wanted.contains(attribute) { values.append(value) }
                }
                if external {
                    for value in values { collector.attribute(value, namespace: nil) }
                }
            } else if let attributes, attributeCount > 0, !(namespace?.isOffice ?? false) {
                for index in 0..<Int(attributeCount) {
                    let base = index * 5
                    guard attributes[base] != nil, let start = attributes[base + 3], let end = attributes[base + 4] else { continue }
                    collector.attribute(UnsafeBufferPointer(start: start, count: end - start), namespace: attributes[base + 2].map { collector.names.name($0) })
                }
            }
            collector.endAttributes()
            if let attributes, attributeCount > 0, local.isSymbol, namespace?.isOffice ?? false {
                // A symbol-font character reads as the Unicode character it draws (a star).
                var font: String?, code: UInt32?
                for index in 0..<Int(attributeCount) {
                    let base = index * 5
                    guard let name = attributes[base], let start = attributes[base + 3], let end = attributes[base + 4] else { continue }
                    let value = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
                    switch collector.names.name(name).string {
                    case "font": font = value
                    case "char": code = UInt32(value, radix: 16)
                    default: break
                    }
                }
                if let code, let scalar = SymbolFontCharacters.unicode(font: font, code: code) {
                    collector.symbol(scalar)
                }
            }
        }
        handler.endElementNs = { ctx, localName, _, uri in
            guard let ctx, let localName else { return }
            let collector = Unmanaged<XMLTextCollector>.fromOpaque(ctx).takeUnretainedValue()
            collector.endElement(localName: collector.names.name(localName), namespace: uri.map { collector.names.name($0) })
        }
        let characters: charactersSAXFunc = { ctx, text, length in
            guard let ctx, let text, length > 0 else { return }
            let collector = Unmanaged<XMLTextCollector>.fromOpaque(ctx).takeUnretainedValue()
            collector.characters(UnsafeBufferPointer(start: text, count: Int(length)))
        }
        handler.characters = characters
        handler.cdataBlock = characters
        // The internal subset's entities, kept by libxml2's own SAX2 handlers in the
        // context's document (no other tree is built).
        handler.internalSubset = { ctx, name, externalID, systemID in
            xmlSAX2InternalSubset(XMLPushParser.parserContext(ctx), name, externalID, systemID)
        }
        handler.entityDecl = { ctx, name, type, publicID, systemID, content in
            xmlSAX2EntityDecl(XMLPushParser.parserContext(ctx), name, type, publicID, systemID, content)
        }
        handler.getEntity = { ctx, name in xmlSAX2GetEntity(XMLPushParser.parserContext(ctx), name) }
        handler.getParameterEntity = { ctx, name in xmlSAX2GetParameterEntity(XMLPushParser.parserContext(ctx), name) }
        handler.serror = { ctx, error in
            guard let ctx, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            // An entity only an external DTD declares: its text is not in this file.
            guard error.pointee.code != Int32(XML_WAR_UNDECLARED_ENTITY.rawValue) else { return }
            let collector = Unmanaged<XMLTextCollector>.fromOpaque(ctx).takeUnretainedValue()
            let message = error.pointee.message.map { String(cString: $0) } ?? "error \(error.pointee.code)"
            collector.record(message, line: Int(error.pointee.line))
        }
        let user = Unmanaged.passUnretained(collector).toOpaque()
        context = xmlCreatePushParserCtxt(&handler, user, nil, 0, nil)
        if let context {
            context.pointee._private = user
            collector.parserContext = context
            // NONET: no network. NOENT: internal entities expand into text (external ones
            // reach the loader above, which refuses). No DTDLOAD, no DTDATTR, no HUGE.
            xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOENT.rawValue))
        }
        collector.contextHolder = self
    }

    deinit {
        collector.parserContext = nil
        if let context {
            if let document = context.pointee.myDoc { xmlFreeDoc(document) }
            xmlFreeParserCtxt(context)
        }
    }


    /// Parses the next bytes; false once the document is known to be broken.
    func parse(_ bytes: UnsafeRawBufferPointer, terminate: Bool) -> Bool {
        guard let context else { return false }
        var offset = 0
        // xmlParseChunk takes an Int32 length: feed large buffers in pieces.
        repeat {
            let count = min(bytes.count - offset, 1 << 20)
            let pointer = bytes.baseAddress.map { ($0 + offset).assumingMemoryBound(to: CChar.self) }
            let last = terminate && offset + count == bytes.count
            let status = xmlParseChunk(context, pointer, Int32(count), last ? 1 : 0)
            if status != 0 || collector.error != nil || collector.overLimit { return false }
            offset += count
        } while offset < bytes.count
        return true
    }

    var isAvailable: Bool { context != nil }

    /// libxml2's last error number for this document (`xmlParserErrors`), 0 for none.
    var errorNumber: Int { Int(context?.pointee.errNo ?? 0) }
}
