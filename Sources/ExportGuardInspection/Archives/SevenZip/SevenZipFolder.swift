/// A 7z folder: coders joined by bind pairs that turn packed streams into one unpacked
/// stream, which holds the data of one or more files back to back (a solid block).
struct SevenZipFolder: Equatable {
    struct Coder: Equatable {
        var method: [UInt8]
        var inputs: Int
        var outputs: Int
        var properties: [UInt8]
    }

    var coders: [Coder] = []
    /// (input index, output index): the output feeds the input.
    var bindPairs: [(input: Int, output: Int)] = []
    /// Input indices fed by the folder's packed streams, in pack-stream order.
    var packedInputs: [Int] = []
    /// One size per coder output, in output order.
    var unpackSizes: [Int] = []
    var crc: UInt32?

    static func == (a: SevenZipFolder, b: SevenZipFolder) -> Bool {
        a.coders == b.coders && a.bindPairs.map { [$0.input, $0.output] } == b.bindPairs.map { [$0.input, $0.output] }
            && a.packedInputs == b.packedInputs && a.unpackSizes == b.unpackSizes && a.crc == b.crc
    }

    var outputCount: Int { coders.reduce(0) { $0 + $1.outputs } }

    /// The output no bind pair consumes: the folder's unpacked stream.
    var mainOutput: Int? {
        (0..<outputCount).first { output in !bindPairs.contains { $0.output == output } }
    }

    /// Size of the folder's unpacked stream.
    var unpackSize: Int {
        guard let main = mainOutput, main < unpackSizes.count else { return 0 }
        return unpackSizes[main]
    }

    /// Reads a folder's coders, bind pairs and packed-stream indices.
    static func read(_ cursor: inout SevenZipHeaderCursor) throws(SevenZipError) -> SevenZipFolder {
        var folder = SevenZipFolder()
        let coderCount = try cursor.count(atMost: 64, "a folder's coder count")
        guard coderCount > 0 else { throw .corrupt("a folder without coders") }
        var inputs = 0
        for _ in 0..<coderCount {
            let flags = try cursor.byte()
            guard flags & 0xC0 == 0 else { throw .unsupported("alternative coder methods") }
            var coder = Coder(method: Array(try cursor.take(Int(flags & 0x0F))), inputs: 1, outputs: 1, properties: [])
            if flags & 0x10 != 0 {
                coder.inputs = try cursor.count(atMost: 64, "a coder's input count")
                coder.outputs = try cursor.count(atMost: 64, "a coder's output count")
            }
            if flags & 0x20 != 0 {
                coder.properties = Array(try cursor.take(try cursor.count(atMost: cursor.remaining, "coder properties")))
            }
            inputs += coder.inputs
            folder.coders.append(coder)
        }
        let outputs = folder.outputCount
        guard outputs >= 1, outputs <= 64, inputs >= 1, inputs <= 64 else { throw .corrupt("a folder with \(outputs) outputs and \(inputs) inputs") }
        for _ in 0..<(outputs - 1) {
            let input = try cursor.count(atMost: inputs - 1, "a bind pair's input")
            let output = try cursor.count(atMost: outputs - 1, "a bind pair's output")
            folder.bindPairs.append((input, output))
        }
        let packedCount = inputs - (outputs - 1)
        guard packedCount >= 1 else { throw .corrupt("a folder with no packed stream") }
        if packedCount == 1 {
            guard let input = (0..<inputs).first(where: { input in !folder.bindPairs.contains { $0.input == input } }) else {
                throw .corrupt("every input of a folder is bound")
            }
            folder.packedInputs = [input]
        } else {
            for _ in 0..<packedCount { folder.packedInputs.append(try cursor.count(atMost: inputs - 1, "a packed stream's input")) }
        }
        return folder
    }

    /// The coders, each with the size it unpacks to, from the one giving the folder's output
    /// to the one reading the packed stream, when they form a simple chain (each coder one
    /// input and one output).
    func chain() throws(SevenZipError) -> [(coder: Coder, unpackSize: Int)] {
        guard coders.allSatisfy({ $0.inputs == 1 && $0.outputs == 1 }), packedInputs.count == 1 else {
            let names = coders.map { SevenZipMethod($0.method).name }.joined(separator: "+")
            throw .unsupported("a folder of coders \(names) that is not a simple chain")
        }
        // With one input and one output each, coder k owns input k and output k.
        guard var current = mainOutput else { throw .corrupt("a folder whose outputs are all bound") }
        guard unpackSizes.count == coders.count else { throw .corrupt("a folder with \(unpackSizes.count) sizes for \(coders.count) coders") }
        var ordered: [(coder: Coder, unpackSize: Int)] = []
        while ordered.count <= coders.count {
            ordered.append((coders[current], unpackSizes[current]))
            if current == packedInputs[0] { return ordered }
            guard let pair = bindPairs.first(where: { $0.input == current }) else { throw .corrupt("a coder input fed by nothing") }
            current = pair.output
        }
        throw .corrupt("the coders of a folder form a loop")
    }
}
