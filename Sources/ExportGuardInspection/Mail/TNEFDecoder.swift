import ExportGuardCore

/// Reads Outlook's TNEF (`winmail.dat`, `application/ms-tnef`, [MS-OXTNEF]) whole, up to a
/// bound: the message's subject and body — plain, HTML, or compressed RTF ([MS-OXRTFCP],
/// read as RTF) — every string property (names, addresses), and each attachment as a
/// nested stream named by its file name (an attached message's TNEF is read the same way).
struct TNEFDecoder: WholeFormat {
    static let maximumBytes = 64 << 20
    static let partName = "a TNEF message (winmail.dat)"
    static let signature: [UInt8] = [0x78, 0x9F, 0x3E, 0x22]

    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        head.count >= 6 && head.prefix(4).elementsEqual(signature)
    }

    private struct Attachment {
        var name: String?
        var data: [UInt8]?
    }

    func read(_ bytes: [UInt8], in stream: StreamDispatcher) {
        let reader = ByteReader(bytes: bytes)
        var offset = 6
        var strings: [String] = []
        var bodies: [(name: String, data: [UInt8])] = []
        var attachments: [Attachment] = []
        var codePage = 1252
        /// Text of an 8-bit attribute, without the NULs that end it.
        func text(_ data: [UInt8]) -> String {
            var end = data.endIndex
            while end > 0, data[end - 1] == 0 { end -= 1 }
            return WindowsCodePage.decode(data[..<end].map { $0 == 0 ? 0x0A : $0 }, codePage: codePage)
        }
        /// The attachment attributes of level 2 belong to; one is opened if none was.
        func currentAttachment() -> Int {
            if attachments.isEmpty { attachments.append(Attachment()) }
            return attachments.count - 1
        }
        while offset < bytes.count {
            guard let level = try? reader.u8(offset), let id = try? reader.u32(offset + 1), let length = try? reader.u32(offset + 5),
                  reader.contains(offset + 9, length: length), reader.contains(offset + 9 + length, length: 2) else {
                stream.uninspected(.corrupt("TNEF: an attribute at offset \(offset) runs past the end"))
                break
            }
            let data = Array(bytes[(offset + 9)..<(offset + 9 + length)])
            offset += 9 + length + 2
            switch id {
            case 0x0006_9007 where data.count >= 4:
                // attOemCodepage: the code page of 8-bit strings (one that keeps ASCII as it is).
                let page = Int(data[0]) | Int(data[1]) << 8 | Int(data[2]) << 16 | Int(data[3]) << 24
                if ![1200, 1201, 12000, 12001].contains(page) { codePage = page }
            case 0x0006_9002:
                // attAttachRendData opens an attachment.
                attachments.append(Attachment())
            case 0x0001_8010:
                attachments[currentAttachment()].name = text(data)
            case 0x0006_800F:
                attachments[currentAttachment()].data = data
            case 0x0006_8011:
                // attAttachMetaFile: the attachment's icon, a WMF picture (with its caption).
                bodies.append(("attachment \(attachments.count) icon.wmf", data))
            case 0x0006_9004:
                // attRecipTable: rows of MAPI properties (names and addresses).
                let rows = ByteReader(bytes: data)
                var cursor = 4
                for _ in 0..<min((try? rows.u32(0)) ?? 0, 1 << 16) {
                    guard cursor < data.count, let row = TNEFProperties.parse(Array(data[cursor...]), codePage: codePage) else {
                        stream.uninspected(.corrupt("TNEF: the recipient table cannot be read"))
                        break
                    }
                    strings += row.strings
                    cursor += row.length
                }
            case 0x0006_9003, 0x0006_9005:
                // MAPI properties of the message (attMAPIProps) or of the attachment (attAttachment).
                guard let properties = TNEFProperties.parse(data, codePage: codePage) else {
                    stream.uninspected(.corrupt("TNEF: the MAPI properties at offset \(offset) cannot be read"))
                    continue
                }
                strings += properties.strings
                if id == 0x0006_9003 {
                    bodies += properties.binaries.compactMap { property in
                        switch property.id {
                        case 0x1009: return ("body.rtf", property.data)
                        case 0x1013: return ("body.html", property.data)
                        default: return nil
                        }
                    }
                } else if !attachments.isEmpty {
                    let index = currentAttachment()
                    if let name = properties.longFileName { attachments[index].name = name }
                    // PR_ATTACH_DATA_BIN/OBJ: the data, when attAttachData did not carry it,
                    // or as well, when it carries something else.
                    for value in properties.binaries where value.id == 0x3701 && value.data != attachments[index].data {
                        if attachments[index].data == nil {
                            attachments[index].data = value.data
                        } else {
                            bodies.append(((attachments[index].name ?? "attachment \(index + 1)") + " (MAPI)", value.data))
                        }
                    }
                }
            default:
                // Other attributes: strings and text are read; numbers and dates carry none;
                // bytes of a kind not known here are reported.
                switch id >> 16 {
                case 0x0001, 0x0002: strings.append(text(data))
                case 0x0000: strings.append(text(data))
                case 0x0003, 0x0004, 0x0005, 0x0007, 0x0008: break
                // A few bytes are flags (attMessageStatus, in every message Outlook writes).
                case 0x0006 where data.count <= 8: break
                default:
                    if !data.isEmpty { stream.uninspected(.unsupported("TNEF: an attribute of a kind not read (0x\(String(id, radix: 16)))")) }
                }
            }
        }
        let text = strings.filter { $0.unicodeScalars.contains { $0.value > 0x20 } }.joined(separator: "\n")
        Array(text.utf8).withUnsafeBytes { stream.emitText($0) }
        for (name, data) in bodies {
            var content = data
            if name == "body.rtf" {
                guard let rtf = CompressedRTF.decompress(data) else {
                    stream.uninspected(.corrupt("TNEF: the compressed RTF body does not decompress"), at: stream.location.appending(part: name))
                    continue
                }
                content = rtf.bytes
                if !rtf.complete {
                    stream.uninspected(.corrupt("TNEF: the compressed RTF body is cut short"), at: stream.location.appending(part: name))
                }
            }
            feed(content, named: name, into: stream)
        }
        for (index, attachment) in attachments.enumerated() {
            feed(attachment.data ?? [], named: attachment.name ?? "attachment \(index + 1)", into: stream)
        }
    }

    private func feed(_ data: [UInt8], named name: String, into stream: StreamDispatcher) {
        guard !stream.isStopped, stream.charge(data.count) else { return }
        stream.closeText()
        let child = stream.child(named: name)
        data.withUnsafeBytes { child.feed($0) }
        child.finish()
    }
}

/// MAPI properties as TNEF encodes them ([MS-OXTNEF] 2.1.3.5): strings and binaries kept.
enum TNEFProperties {
    struct Result {
        var strings: [String] = []
        var binaries: [(id: Int, data: [UInt8])] = []
        var longFileName: String?
        /// Bytes the properties took (rows of a recipient table follow each other).
        var length = 0
    }

    static func parse(_ data: [UInt8], codePage: Int) -> Result? {
        let reader = ByteReader(bytes: data)
        guard let count = try? reader.u32(0), count <= 1 << 16 else { return nil }
        var offset = 4
        var result = Result()
        for _ in 0..<count {
            guard let type = try? reader.u16(offset), let id = try? reader.u16(offset + 2) else { return nil }
            offset += 4
            if id >= 0x8000 {
                // A named property: a GUID, then a number or a name.
                guard let kind = try? reader.u32(offset + 16) else { return nil }
                offset += 20
                if kind == 1 {
                    guard let length = try? reader.u32(offset), length < 1 << 16 else { return nil }
                    offset += 4 + (length + 3) & ~3
                } else {
                    offset += 4
                }
            }
            let base = type & 0x0FFF
            let multiple = type & 0x1000 != 0
            var values = 1
            if multiple || [0x001E, 0x001F, 0x0102, 0x000D].contains(base) {
                guard let number = try? reader.u32(offset), number <= 1 << 16 else { return nil }
                values = number
                offset += 4
            }
            for _ in 0..<values {
                switch base {
                case 0x001E, 0x001F, 0x0102, 0x000D:
                    guard let length = try? reader.u32(offset), reader.contains(offset + 4, length: length) else { return nil }
                    let value = Array(data[(offset + 4)..<(offset + 4 + length)])
                    offset += 4 + (length + 3) & ~3
                    if base == 0x001E || base == 0x001F {
                        var text = base == 0x001F
                            ? String(decoding: MetadataText.utf8(value, encoding: .utf16LittleEndian), as: UTF8.self)
                            : WindowsCodePage.decode(value, codePage: codePage)
                        while text.hasSuffix("\0") { text.removeLast() }
                        if id == 0x3707 { result.longFileName = text }
                        result.strings.append(text)
                    } else {
                        // An embedded message (PT_OBJECT) starts with its interface's GUID.
                        result.binaries.append((id, base == 0x000D && value.count > 16 ? Array(value[16...]) : value))
                    }
                case 0x0002, 0x000B: offset += 4  // 16-bit values, padded
                case 0x0003, 0x0004, 0x000A: offset += 4
                case 0x0005, 0x0006, 0x0007, 0x0014, 0x0040: offset += 8
                case 0x0048: offset += 16
                case 0x0001: break
                default: return nil
                }
            }
        }
        result.length = offset
        return result
    }
}

/// Compressed RTF ([MS-OXRTFCP]): LZ77 over a 4096-byte ring that starts with a fixed RTF
/// preamble, or stored as it is ("MELA").
enum CompressedRTF {
    static let preamble = Array(#"{\rtf1\ansi\mac\deff0\deftab720{\fonttbl;}{\f0\fnil \froman \fswiss \fmodern \fscript \fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\colortbl\red0\green0\blue0"#.utf8)
        + [0x0D, 0x0A] + Array(#"\par \pard\plain\f0\fs20\b\i\u\tab\tx"#.utf8)

    /// The RTF, and whether it was whole (its end marker met, its sizes as declared).
    static func decompress(_ data: [UInt8], limit: Int = 64 << 20) -> (bytes: [UInt8], complete: Bool)? {
        let reader = ByteReader(bytes: data)
        guard let compressedSize = try? reader.u32(0), let rawSize = try? reader.u32(4), let type = try? reader.u32(8),
              compressedSize >= 12, compressedSize + 4 <= data.count else { return nil }
        let end = compressedSize + 4
        if type == 0x414C_454D {  // "MELA": stored
            let stored = Array(data[16..<min(end, 16 + rawSize)])
            return (stored, stored.count == rawSize)
        }
        guard type == 0x7546_5A4C else { return nil }  // "LZFu"
        var ring = [UInt8](repeating: 0, count: 4096)
        ring.replaceSubrange(0..<preamble.count, with: preamble)
        var write = preamble.count
        var output: [UInt8] = []
        output.reserveCapacity(min(rawSize, limit, data.count * 9))
        var index = 16
        while index < end {
            let control = data[index]
            index += 1
            for bit in 0..<8 where index < end {
                if control & (1 << bit) == 0 {
                    let byte = data[index]
                    index += 1
                    output.append(byte)
                    ring[write] = byte
                    write = (write + 1) & 0xFFF
                } else {
                    guard index + 1 < end else { return (output, false) }
                    let token = Int(data[index]) << 8 | Int(data[index + 1])
                    index += 2
                    let offset = token >> 4, length = (token & 0xF) + 2
                    // A reference to the write position itself ends the data.
                    if offset == write { return (output, output.count == rawSize) }
                    for step in 0..<length {
                        let byte = ring[(offset + step) & 0xFFF]
                        output.append(byte)
                        ring[write] = byte
                        write = (write + 1) & 0xFFF
                    }
                }
                guard output.count <= limit else { return nil }
            }
        }
        return (output, false)
    }
}
