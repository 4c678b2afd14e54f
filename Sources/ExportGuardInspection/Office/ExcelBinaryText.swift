/// The text of an Excel 97–2003 workbook ([MS-XLS] BIFF8), also WPS Office's `.et`: the
/// shared string table (its strings may run across CONTINUE records, each piece with its
/// own flags byte), sheet names, and per sheet the cells that hold text or numbers
/// (LABEL, RSTRING, NUMBER, RK, MULRK, formula results), headers and footers, and the text
/// of comments and text boxes (TXO). A FILEPASS record means the workbook is encrypted.
enum ExcelBinaryText {
    enum Failure: Error, Equatable {
        case encrypted
        case unsupported(String)
        case corrupt(String)
    }

    /// One part of the workbook's text: a label (`shared strings`, `sheet=Summary`) and
    /// its UTF-8.
    struct Part {
        var label: String
        var text: [UInt8] = []
    }

    static func parts(_ workbook: [UInt8]) throws(Failure) -> [Part] {
        var records: [(type: Int, data: ArraySlice<UInt8>)] = []
        var offset = 0
        while offset + 4 <= workbook.count {
            let type = Int(workbook[offset]) | Int(workbook[offset + 1]) << 8
            let length = Int(workbook[offset + 2]) | Int(workbook[offset + 3]) << 8
            let start = offset + 4
            guard start + length <= workbook.count else {
                // What follows cannot be found: the rest of the workbook would go unread.
                throw .corrupt("Excel: a record at offset \(offset) runs past the end of the workbook")
            }
            records.append((type, workbook[start..<(start + length)]))
            offset = start + length
        }
        guard let first = records.first, first.type == 0x0809 else { throw .corrupt("Excel: the workbook does not start with a BOF record") }
        // BIFF8 (Excel 97 and later) says 0x0600; Excel 5/95 writes strings without flags.
        guard let version = try? ByteReader(bytes: Array(first.data)).u16(0), version == 0x0600 else {
            throw .unsupported("an Excel workbook older than Excel 97 (BIFF5 or earlier)")
        }

        var parts: [Part] = []
        var sheetNames: [String] = []
        var sheets = Part(label: "sheets")
        var shared = Part(label: "shared strings")
        var current: Part?
        var sheetIndex = 0
        var lastRow = -1
        var pendingText = 0
        var formulaRow: Int?
        // Substreams nest (a chart inside a sheet): only the outermost ones are sheets.
        var depth = 0
        var index = 0

        func cell(_ row: Int, _ text: String) {
            guard current != nil else { return }
            if lastRow >= 0 { current!.text.append(row == lastRow ? 0x09 : 0x0A) }
            lastRow = row
            current!.text.append(contentsOf: text.utf8)
        }

        while index < records.count {
            let (type, data) = records[index]
            let reader = ByteReader(bytes: Array(data))
            index += 1
            switch type {
            case 0x002F:
                throw .encrypted
            case 0x0809:
                // A substream: the globals, then each sheet in the order of BOUNDSHEET.
                depth += 1
                let kind = (try? reader.u16(2)) ?? 0
                if depth == 1, kind == 0x0010 || kind == 0x0020 || kind == 0x0040 {
                    let name = sheetIndex < sheetNames.count ? sheetNames[sheetIndex] : "sheet \(sheetIndex + 1)"
                    sheetIndex += 1
                    current = Part(label: "sheet=\(name)")
                    lastRow = -1
                }
            case 0x000A:
                depth = max(0, depth - 1)
                if depth == 0, let finished = current {
                    parts.append(finished)
                    current = nil
                }
            case 0x0085:
                var cursor = BIFFStringCursor(segments: [Array(data)], position: 6)
                if let name = cursor.string(lengthBytes: 1) {
                    sheetNames.append(name)
                    sheets.text.append(contentsOf: (name + "\n").utf8)
                }
            case 0x00FC:
                // The SST and its CONTINUE records.
                var segments = [Array(data)]
                while index < records.count, records[index].type == 0x003C {
                    segments.append(Array(records[index].data))
                    index += 1
                }
                var cursor = BIFFStringCursor(segments: segments, position: 8)
                let unique = (try? reader.u32(4)) ?? 0
                var read = 0
                while read < unique, let string = cursor.string(lengthBytes: 2) {
                    shared.text.append(contentsOf: (string + "\n").utf8)
                    read += 1
                }
            case 0x0204, 0x00D6:
                var cursor = BIFFStringCursor(segments: [Array(data)], position: 6)
                if let row = try? reader.u16(0), let text = cursor.string(lengthBytes: 2) { cell(row, text) }
            case 0x0207:
                // A formula's string result follows its FORMULA record.
                var cursor = BIFFStringCursor(segments: [Array(data)], position: 0)
                if let text = cursor.string(lengthBytes: 2) { cell(formulaRow ?? lastRow, text) }
                formulaRow = nil
            case 0x0203:
                if let row = try? reader.u16(0), let value = Self.double(reader, at: 6) { cell(row, Self.number(value)) }
            case 0x027E:
                if let row = try? reader.u16(0), let rk = try? reader.u32(6) { cell(row, Self.number(Self.rk(UInt32(rk)))) }
            case 0x00BD:
                if let row = try? reader.u16(0) {
                    var position = 4
                    while position + 6 <= data.count - 2, let rk = try? reader.u32(position + 2) {
                        cell(row, Self.number(Self.rk(UInt32(rk))))
                        position += 6
                    }
                }
            case 0x0006:
                // A numeric result is written; a string result arrives as STRING next.
                if let row = try? reader.u16(0), let marker = try? reader.u16(12), marker != 0xFFFF, let value = Self.double(reader, at: 6) {
                    cell(row, Self.number(value))
                } else {
                    formulaRow = try? reader.u16(0)
                }
            case 0x0014, 0x0015:
                var cursor = BIFFStringCursor(segments: [Array(data)], position: 0)
                if !data.isEmpty, let text = cursor.string(lengthBytes: 2), current != nil {
                    current!.text.append(contentsOf: ("\n" + text).utf8)
                }
            case 0x01B6:
                // A comment's or text box's text: its characters in the CONTINUE records after.
                pendingText = (try? reader.u16(10)) ?? 0
            case 0x003C where pendingText > 0:
                // The characters, across as many CONTINUE records as they take.
                var segments = [Array(data)]
                while index < records.count, records[index].type == 0x003C {
                    segments.append(Array(records[index].data))
                    index += 1
                }
                var cursor = BIFFStringCursor(segments: segments, position: 0)
                if let text = cursor.characters(pendingText) {
                    let target = text + "\n"
                    if current != nil { current!.text.append(contentsOf: target.utf8) } else { sheets.text.append(contentsOf: target.utf8) }
                }
                pendingText = 0
            default:
                break
            }
        }
        if let unfinished = current { parts.append(unfinished) }
        return [sheets, shared].filter { !$0.text.isEmpty } + parts.filter { !$0.text.isEmpty }
    }

    /// A little-endian IEEE double (ByteReader's u64 clamps values with the top bit set).
    static func double(_ reader: ByteReader, at offset: Int) -> Double? {
        guard let low = try? reader.u32(offset), let high = try? reader.u32(offset + 4) else { return nil }
        return Double(bitPattern: UInt64(high) << 32 | UInt64(low))
    }

    /// An RK number: a 30-bit integer or the high 30 bits of a double, maybe divided by 100.
    static func rk(_ value: UInt32) -> Double {
        var number: Double
        if value & 2 != 0 {
            number = Double(Int32(bitPattern: value) >> 2)
        } else {
            number = Double(bitPattern: UInt64(value & 0xFFFF_FFFC) << 32)
        }
        if value & 1 != 0 { number /= 100 }
        return number
    }

    /// A number as a person would type it: integers without a decimal point.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// Reads BIFF8 strings ([MS-XLS] 2.5.294 XLUnicodeRichExtendedString) from record data
/// that may be split into CONTINUE records: where a string's characters cross into the
/// next piece, that piece starts with a new flags byte (compressed or UTF-16).
struct BIFFStringCursor {
    let segments: [[UInt8]]
    var segment = 0
    var position: Int

    init(segments: [[UInt8]], position: Int) {
        self.segments = segments
        self.position = position
    }

    private mutating func byte() -> UInt8? {
        while segment < segments.count, position >= segments[segment].count {
            segment += 1
            position = 0
        }
        guard segment < segments.count else { return nil }
        defer { position += 1 }
        return segments[segment][position]
    }

    private mutating func skip(_ count: Int) {
        var left = count
        while left > 0, segment < segments.count {
            let available = segments[segment].count - position
            if available >= left {
                position += left
                return
            }
            left -= max(0, available)
            segment += 1
            position = 0
        }
    }

    /// A string with its header: a character count of `lengthBytes` bytes, flags, the
    /// rich-text and phonetic sizes when flagged, the characters, then what they carry.
    mutating func string(lengthBytes: Int) -> String? {
        guard let low = byte() else { return nil }
        var count = Int(low)
        if lengthBytes == 2 {
            guard let high = byte() else { return nil }
            count |= Int(high) << 8
        }
        guard let flags = byte() else { return nil }
        var runs = 0, extended = 0
        if flags & 0x08 != 0 {
            guard let a = byte(), let b = byte() else { return nil }
            runs = Int(a) | Int(b) << 8
        }
        if flags & 0x04 != 0 {
            var size = 0
            for shift in [0, 8, 16, 24] {
                guard let part = byte() else { return nil }
                size |= Int(part) << shift
            }
            extended = size
        }
        guard let text = characters(count, wide: flags & 0x01 != 0) else { return nil }
        skip(runs * 4 + extended)
        return text
    }

    /// `count` characters; `wide` is read from a flags byte first when not given.
    mutating func characters(_ count: Int, wide initial: Bool? = nil) -> String? {
        var wide: Bool
        if let initial {
            wide = initial
        } else {
            guard let flags = byte() else { return nil }
            wide = flags & 0x01 != 0
        }
        var units: [UInt16] = []
        units.reserveCapacity(min(count, 1 << 16))
        var startSegment = segment
        while units.count < count {
            // Skip to a piece that has bytes, reading its flags byte when it is a new one.
            while segment < segments.count, position >= segments[segment].count {
                segment += 1
                position = 0
            }
            guard segment < segments.count else { return String(decoding: units, as: UTF16.self) }
            if segment != startSegment {
                startSegment = segment
                guard let flags = byte() else { break }
                wide = flags & 0x01 != 0
                continue
            }
            if wide {
                guard let low = byte(), let high = byte() else { break }
                units.append(UInt16(low) | UInt16(high) << 8)
            } else {
                guard let value = byte() else { break }
                units.append(UInt16(value))
            }
        }
        return String(decoding: units, as: UTF16.self)
    }
}
