/// The source code of a VBA project ([MS-OVBA]): the `dir` stream, compressed, names each
/// module's stream and where its compressed source starts; the source is in the project's
/// code page. Macros are read as text: a macro that writes out 机密 lists or a leaker's
/// address is content like any other.
enum VBAProject {
    /// The code page and the modules (stream name, offset of the source) of a `dir` stream.
    static func directory(_ compressed: [UInt8]) -> (codePage: Int, modules: [(stream: String, offset: Int)])? {
        guard let dir = decompress(compressed[...]) else { return nil }
        var codePage = 1252
        var modules: [(String, Int)] = []
        var streamName: [UInt8]?
        var offset: Int?
        var position = 0
        while position + 6 <= dir.count {
            let id = Int(dir[position]) | Int(dir[position + 1]) << 8
            var size = Int(dir[position + 2]) | Int(dir[position + 3]) << 8 | Int(dir[position + 4]) << 16 | Int(dir[position + 5]) << 24
            // PROJECTVERSION's "size" is a reserved 4; six bytes of version follow.
            if id == 0x0009 { size = 6 }
            let body = position + 6
            guard size >= 0, size <= dir.count - body else { break }
            let data = Array(dir[body..<(body + size)])
            switch id {
            case 0x0003 where size >= 2:
                codePage = Int(data[0]) | Int(data[1]) << 8
            case 0x001A:
                streamName = data
            case 0x0031 where size >= 4:
                offset = Int(data[0]) | Int(data[1]) << 8 | Int(data[2]) << 16 | Int(data[3]) << 24
            case 0x002B:
                if let name = streamName, let start = offset {
                    modules.append((WindowsCodePage.decode(name, codePage: codePage), start))
                }
                streamName = nil
                offset = nil
            default:
                break
            }
            position = body + size
        }
        return (codePage, modules)
    }

    /// MS-OVBA 2.4.1 decompression: chunks of up to 4096 bytes, each raw or a sequence of
    /// flag bytes, literals and copy tokens whose offset/length split depends on where in
    /// the chunk the token is. Nil when the data is not a compressed container.
    static func decompress(_ data: ArraySlice<UInt8>, limit: Int = 64 << 20) -> [UInt8]? {
        guard data.first == 0x01 else { return nil }
        var output: [UInt8] = []
        var position = data.startIndex + 1
        while position + 2 <= data.endIndex, output.count < limit {
            let header = Int(data[position]) | Int(data[position + 1]) << 8
            let chunkEnd = min(position + (header & 0x0FFF) + 3, data.endIndex)
            let chunkStart = output.count
            var cursor = position + 2
            if header & 0x8000 == 0 {
                // A raw chunk of 4096 bytes.
                let end = min(cursor + 4096, data.endIndex)
                output += data[cursor..<end]
                position = end
                continue
            }
            while cursor < chunkEnd {
                let flags = data[cursor]
                cursor += 1
                for bit in 0..<8 where cursor < chunkEnd {
                    if flags & (1 << bit) == 0 {
                        output.append(data[cursor])
                        cursor += 1
                        continue
                    }
                    guard cursor + 2 <= chunkEnd else { return output }
                    let token = Int(data[cursor]) | Int(data[cursor + 1]) << 8
                    cursor += 2
                    let difference = output.count - chunkStart
                    var bitCount = 4
                    while (1 << bitCount) < difference, bitCount < 12 { bitCount += 1 }
                    let lengthMask = 0xFFFF >> bitCount
                    let length = (token & lengthMask) + 3
                    let offset = (token >> (16 - bitCount)) + 1
                    guard offset <= difference else { return nil }
                    let from = output.count - offset
                    for index in 0..<length { output.append(output[from + index]) }
                }
            }
            position = chunkEnd
        }
        return output
    }
}
