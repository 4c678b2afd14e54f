/// The text of a Word 97–2003 document ([MS-DOC]), also WPS Office's `.wps`: the FIB
/// names the table stream and the piece table (the CLX), which maps character positions
/// to pieces of the WordDocument stream, each 8-bit (Windows-1252) or UTF-16LE. The
/// character positions are divided among the main text, footnotes, headers and footers,
/// comments, endnotes and text boxes, each read as a part of its own.
enum WordBinaryText {
    enum Failure: Error, Equatable {
        case encrypted
        case unsupported(String)
        case corrupt(String)
    }

    /// The sub-documents in the order their character positions follow each other.
    static let stories = ["main", "footnotes", "headers", "macros", "comments", "endnotes", "text boxes", "header text boxes"]

    /// Which table stream the FIB names (`0Table` or `1Table`), or why the document
    /// cannot be read.
    static func tableStreamName(_ wordDocument: [UInt8]) throws(Failure) -> String {
        let fib = ByteReader(bytes: wordDocument)
        guard let ident = try? fib.u16(0), ident == 0xA5EC, let nFib = try? fib.u16(2), let flags = try? fib.u16(10) else {
            throw .corrupt("Word: no FIB at the start of the WordDocument stream")
        }
        if flags & 0x0100 != 0 { throw .encrypted }
        // Word 6 (0x65) and Word 95 (0x68) documents keep text differently; Word 97 and later
        // write 0xC1 or more (0xC0 in some templates).
        guard nFib >= 0x00C0 else {
            throw .unsupported("Word document of an older version (nFib \(String(nFib, radix: 16)), Word 6/95)")
        }
        return flags & 0x0200 != 0 ? "1Table" : "0Table"
    }

    /// The text of each story, in UTF-8, by name (`main`, `footnotes` …), in order.
    static func stories(wordDocument: [UInt8], table: [UInt8]) throws(Failure) -> [(name: String, text: [UInt8])] {
        let fib = ByteReader(bytes: wordDocument)
        // FibRgLw97 starts at 64 (after the 32-byte base, csw, 14 words and cslw): ccpText is its fourth long.
        var lengths: [Int] = []
        for index in 0..<8 {
            guard let value = try? fib.u32(64 + 12 + index * 4) else { throw .corrupt("Word: the FIB is cut short") }
            lengths.append(value)
        }
        // fcClx and lcbClx: pair 33 of FibRgFcLcb97, which starts at 154 (0x1A2).
        guard let fcClx = try? fib.u32(154 + 33 * 8), let lcbClx = try? fib.u32(154 + 33 * 8 + 4),
              fcClx <= table.count, lcbClx <= table.count - fcClx, lcbClx > 0 else {
            throw .corrupt("Word: the piece table lies outside the table stream")
        }
        let pieces = try self.pieces(Array(table[fcClx..<(fcClx + lcbClx)]))
        // Characters by position, read piece by piece into UTF-16 units.
        // Every character takes a byte of the document at least: no count can pass that.
        let total = min(lengths.reduce(0) { $0 + max(0, min($1, 1 << 30)) }, wordDocument.count)
        var units: [UInt16] = []
        units.reserveCapacity(min(total, 1 << 24))
        for piece in pieces where units.count < total {
            let count = min(piece.end - piece.start, total - units.count)
            guard count > 0 else { continue }
            if piece.compressed {
                guard piece.offset >= 0, piece.offset <= wordDocument.count - count else { throw .corrupt("Word: a text piece lies outside the document") }
                // Windows-1252; its five unassigned bytes hold the position as NUL, which is dropped.
                for byte in wordDocument[piece.offset..<(piece.offset + count)] { units.append(UInt16(WindowsCodePage.windows1252[Int(byte)])) }
            } else {
                guard piece.offset >= 0, count <= (wordDocument.count - piece.offset) / 2 else { throw .corrupt("Word: a text piece lies outside the document") }
                for index in 0..<count {
                    units.append(UInt16(wordDocument[piece.offset + index * 2]) | UInt16(wordDocument[piece.offset + index * 2 + 1]) << 8)
                }
            }
        }
        if units.count < total { throw .corrupt("Word: the piece table holds fewer characters than the document counts") }
        var result: [(String, [UInt8])] = []
        var position = 0
        for (index, length) in lengths.enumerated() {
            let end = min(units.count, position + max(0, length))
            if end > position { result.append((stories[index], text(units[position..<end]))) }
            position = end
        }
        return result
    }

    private struct Piece {
        let start: Int, end: Int
        let offset: Int
        let compressed: Bool
    }

    /// The Pcdt of a CLX: character-position bounds and piece descriptors.
    private static func pieces(_ clx: [UInt8]) throws(Failure) -> [Piece] {
        var index = 0
        // Prc entries (property modifiers) come first.
        while index < clx.count, clx[index] == 0x01 {
            guard index + 3 <= clx.count else { throw .corrupt("Word: the piece table is cut short") }
            index += 3 + (Int(clx[index + 1]) | Int(clx[index + 2]) << 8)
        }
        guard index + 5 <= clx.count, clx[index] == 0x02 else { throw .corrupt("Word: no piece table in the CLX") }
        let reader = ByteReader(bytes: clx)
        guard let length = try? reader.u32(index + 1), length <= clx.count - index - 5 else { throw .corrupt("Word: the piece table is cut short") }
        let start = index + 5
        // (n + 1) positions of 4 bytes and n descriptors of 8.
        let count = (length - 4) / 12
        guard count > 0 else { return [] }
        var pieces: [Piece] = []
        for piece in 0..<count {
            guard let from = try? reader.u32(start + piece * 4), let to = try? reader.u32(start + (piece + 1) * 4),
                  let fc = try? reader.u32(start + (count + 1) * 4 + piece * 8 + 2) else { throw .corrupt("Word: the piece table is cut short") }
            // Pieces follow each other: character positions only grow, without gaps.
            guard to >= from, from == (pieces.last?.end ?? from) else { throw .corrupt("Word: the pieces of the piece table overlap or leave gaps") }
            let compressed = fc & 0x4000_0000 != 0
            let offset = fc & 0x3FFF_FFFF
            pieces.append(Piece(start: from, end: to, offset: compressed ? offset / 2 : offset, compressed: compressed))
        }
        return pieces
    }

    /// UTF-8 of a story, with Word's marks read as text does: paragraph and line ends as
    /// line breaks, cell ends as tabs; field marks, object anchors and optional hyphens dropped.
    private static func text(_ units: ArraySlice<UInt16>) -> [UInt8] {
        var cleaned: [UInt16] = []
        cleaned.reserveCapacity(units.count)
        for unit in units {
            switch unit {
            case 0x0D, 0x0B, 0x0C, 0x0E: cleaned.append(0x0A)
            case 0x07:
                // A cell ends with a mark, and a row with one more: that one ends the line.
                if cleaned.last == 0x09 { cleaned[cleaned.count - 1] = 0x0A } else { cleaned.append(0x09) }
            case 0x1E: cleaned.append(0x2D)
            case 0x13, 0x14, 0x15: cleaned.append(0x20)
            case 0x00...0x08, 0x0F...0x12, 0x16...0x1D, 0x1F: continue
            default: cleaned.append(unit)
            }
        }
        return Array(String(decoding: cleaned, as: UTF16.self).utf8)
    }
}
