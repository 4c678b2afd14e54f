/// Reads a StarView metafile (LibreOffice's SVM: the `ObjectReplacements/*` and
/// `Pictures/TablePreview*.svm` of ODF documents) action by action: the `VCLMTF` header
/// (whose versioned block ends with the action count), then each action's type, version
/// and length. The strings of the text actions (TEXT, TEXTARRAY, STRETCHTEXT, TEXTRECT)
/// are read as the part's text — their UTF-16 copy from version 2 on, else the 8-bit
/// string — so a table preview's cells are scanned like the table.
struct SVMDecoder: MediaFormat {
    static let name = "svm"
    static let signature = Array("VCLMTF".utf8)
    static let maxTextAction = 1 << 16
    static let maxHeader = 4096

    private enum State {
        case header
        case action(left: Int)
        case skip(remaining: Int, left: Int)
        case done
    }

    private var state = State.header
    private var text: [UInt8] = []
    /// The baseline of the last string drawn: strings on one line are joined.
    private var baseline: Int?

    var maxFrameBytes: Int { max(Self.maxTextAction + 8, Self.maxHeader + 12) }

    static func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        head.count >= 12 && head.prefix(6).elementsEqual(signature)
    }

    mutating func decode(_ input: UnsafeRawBufferPointer, in stream: StreamDispatcher) -> MediaStep {
        switch state {
        case .header:
            guard input.count >= 12 else { return .needMoreData }
            let size = input.field(at: 8, size: 4, bigEndian: false)
            guard (16...Self.maxHeader).contains(size) else { return .corrupt("a header block of \(size) bytes") }
            guard input.count >= 12 + size else { return .needMoreData }
            // Compression mode, the map mode (a versioned block), the preferred size, the count.
            let header = ByteReader(bytes: Array(input[12..<(12 + size)]))
            guard let mapMode = try? header.u32(6), mapMode <= size, let count = try? header.u32(10 + mapMode + 8) else {
                return .corrupt("the header block is malformed")
            }
            if count == 0 {
                state = .done
                return .ended(12 + size)
            }
            state = .action(left: count)
            return .consumed(12 + size)
        case .action(let left):
            guard input.count >= 8 else { return .needMoreData }
            let type = input.field(at: 0, size: 2, bigEndian: false)
            let version = input.field(at: 2, size: 2, bigEndian: false)
            let length = input.field(at: 4, size: 4, bigEndian: false)
            let readsText = (112...115).contains(type)
            if readsText, length <= Self.maxTextAction {
                guard input.count >= 8 + length else { return .needMoreData }
                readText(type, version: version, ByteReader(bytes: Array(input[8..<(8 + length)])))
                if text.count >= 64 << 10 { flush(in: stream) }
                return finishAction(8 + length, left: left)
            }
            if readsText { stream.uninspected(.limitExceeded("svm: a text action of \(length) bytes")) }
            if length == 0 { return finishAction(8, left: left) }
            state = .skip(remaining: length, left: left)
            return .consumed(8)
        case .skip(let remaining, let left):
            let take = min(remaining, input.count)
            if take < remaining {
                state = .skip(remaining: remaining - take, left: left)
                return .consumed(take)
            }
            return finishAction(take, left: left)
        case .done:
            return .ended(0)
        }
    }

    private mutating func finishAction(_ bytes: Int, left: Int) -> MediaStep {
        if left <= 1 {
            state = .done
            return .ended(bytes)
        }
        state = .action(left: left - 1)
        return .consumed(bytes)
    }

    var truncation: String { "truncated before its last action" }

    /// Reads the string of a text action: after its position (a point, or a rectangle for
    /// TEXTRECT) comes the 8-bit string; from version 2 a UTF-16 copy follows the fields
    /// after it.
    private mutating func readText(_ type: Int, version: Int, _ data: ByteReader) {
        let origin = type == 115 ? 16 : 8
        guard let length = try? data.u16(origin), let narrow = try? data.slice((origin + 2)..<(origin + 2 + length)) else { return }
        var cursor = origin + 2 + length
        switch type {
        case 112: cursor += 4  // index, length
        case 113:
            guard let count = try? data.u32(cursor + 4) else { return }
            cursor += 8 + count * 4  // index, length, the widths
        case 114: cursor += 8  // width, index, length
        default: cursor += 2  // style
        }
        var string: [UInt8]?
        if version >= 2, let units = try? data.u16(cursor), let wide = try? data.slice((cursor + 2)..<(cursor + 2 + units * 2)) {
            string = MetadataText.utf8(wide, encoding: .utf16LittleEndian)
        }
        // The y of the point, or the top of the rectangle.
        let y = try? data.u32(4)
        if !text.isEmpty, y != baseline { text.append(0x0A) }
        baseline = y
        text += string ?? MetadataText.utf8(narrow, encoding: .undeclared)
    }

    mutating func flush(in stream: StreamDispatcher) {
        guard !text.isEmpty else { return }
        text.withUnsafeBytes { stream.emitText($0) }
        text.removeAll(keepingCapacity: true)
    }
}
