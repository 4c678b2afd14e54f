import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardInspection

/// 7z archives built with 7-Zip itself (`7z` from p7zip-full), read in place from a file
/// and held whole from a stream.
@Suite("7z archives")
struct SevenZipTests {
    static let secret = "机密★10年 本文件属于内部资料，不得外传。\n"
    static let plain = "Quarterly figures, nothing restricted here.\n"

    /// A folder of files to archive: Chinese names and text, a directory, an empty file.
    static func tree(_ f: Fixtures) throws {
        try f.write("in/报告.txt", secret)
        try f.write("in/docs/readme.txt", plain)
        try f.write("in/docs/more.txt", String(repeating: plain, count: 200))
        try f.write("in/empty.txt", "")
    }

    /// Archives `in/` with 7-Zip's `options` and returns the archive's bytes.
    static func archive(_ f: Fixtures, _ options: [String], name: String = "a.7z") throws -> [UInt8] {
        try f.run("7z", ["a", "-bd", "-y"] + options + [name, "./in/*"])
        return try f.read(name)
    }

    static func expectTree(_ sink: RecordingSink, name: String = "a.7z", sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sink.texts["\(name)!报告.txt"] == secret, "\(sink.texts.keys.sorted()) \(sink.reasons)", sourceLocation: sourceLocation)
        #expect(sink.texts["\(name)!docs/readme.txt"] == plain, sourceLocation: sourceLocation)
        #expect(sink.texts["\(name)!docs/more.txt"] == String(repeating: plain, count: 200), sourceLocation: sourceLocation)
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)", sourceLocation: sourceLocation)
    }

    @Test("each coder 7-Zip writes, solid or not, header packed or plain", arguments: [
        [],  // LZMA2, solid, packed header
        ["-ms=off"],
        ["-mhc=off"],
        ["-m0=LZMA"],
        ["-m0=LZMA", "-ms=off", "-mhc=off"],
        ["-m0=BZip2"],
        ["-m0=Deflate"],
        ["-m0=Copy"],
        ["-m0=BCJ", "-m1=LZMA2"],
        ["-m0=Delta:4", "-m1=LZMA"],
        ["-m0=ARM64", "-m1=LZMA2"],
        ["-mx=9"],
    ])
    func coders(options: [String]) throws {
        let f = try Fixtures()
        try Self.tree(f)
        let bytes = try Self.archive(f, options)
        Self.expectTree(try inspectFile(f.url("a.7z")))
        Self.expectTree(inspectAllWays(bytes, name: "a.7z"))
    }

    @Test("a 7z inside a zip inside a tar is read")
    func nested() throws {
        let f = try Fixtures()
        try Self.tree(f)
        _ = try Self.archive(f, [])
        try f.run("zip", ["-q", "inner.zip", "a.7z"])
        try f.run("tar", ["-cf", "outer.tar", "inner.zip"])
        let sink = inspectAllWays(try f.read("outer.tar"), name: "outer.tar")
        #expect(sink.texts["outer.tar!inner.zip!a.7z!报告.txt"] == Self.secret, "\(sink.texts.keys.sorted()) \(sink.reasons)")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("a password on the data, or on the data and the names, is encrypted", arguments: [["-pSECRET"], ["-pSECRET", "-mhe=on"]])
    func encrypted(options: [String]) throws {
        let f = try Fixtures()
        try Self.tree(f)
        _ = try Self.archive(f, options)
        let sink = try inspectFile(f.url("a.7z"))
        #expect(sink.uninspected.map(\.1) .contains(.encrypted), "\(sink.reasons)")
        #expect(sink.texts.values.allSatisfy { !$0.contains("机密") })
    }

    @Test("a coder not read here is named: PPMd")
    func unsupported() throws {
        let f = try Fixtures()
        try Self.tree(f)
        _ = try Self.archive(f, ["-m0=PPMd", "-mhc=off"])
        let sink = try inspectFile(f.url("a.7z"))
        #expect(sink.uninspected.contains { $0.1.code == .unsupported }, "\(sink.reasons)")
        #expect(sink.reasons.contains { $0.contains("PPMD") }, "\(sink.reasons)")
    }

    @Test("BCJ2 (x86 code with its call and jump targets in streams of their own) is decoded; each file's CRC holds")
    func bcj2() throws {
        let f = try Fixtures()
        try Self.tree(f)
        // Bytes with many E8/E9 and 0F 8x opcodes, as machine code has.
        var generator = SystemRandomNumberGenerator()
        let code: [UInt8] = (0..<200_000).map { index in
            switch index % 37 { case 0: 0xE8; case 11: 0xE9; case 20: 0x0F; case 21: 0x84; default: UInt8.random(in: 0...255, using: &generator) }
        }
        try f.write("in/tool.exe", code)
        _ = try Self.archive(f, ["-m0=BCJ2", "-m1=LZMA", "-m2=LZMA", "-m3=LZMA", "-mb0s0:1", "-mb0s1:2", "-mb0s2:3"])
        for sink in [try inspectFile(f.url("a.7z")), inspectAllWays(try f.read("a.7z"), name: "a.7z")] {
            #expect(!sink.uninspected.contains { $0.1.code == .corrupt || $0.1.code == .unsupported }, "\(sink.reasons)")
            #expect(sink.texts["a.7z!报告.txt"] == Self.secret, "\(sink.texts.keys.sorted())")
            #expect(sink.texts["a.7z!docs/more.txt"] == String(repeating: Self.plain, count: 200))
        }
    }

    @Test("a changed byte in the packed data, or a cut archive, is corrupt, never allowed quietly")
    func corrupt() throws {
        let f = try Fixtures()
        try Self.tree(f)
        let bytes = try Self.archive(f, ["-m0=Copy", "-mhc=off"])
        // The data of the first file follows the 32-byte signature header.
        var changed = bytes
        changed[40] ^= 0x01
        let flipped = inspectAllWays(changed, name: "a.7z")
        #expect(flipped.uninspected.contains { $0.1.code == .corrupt }, "\(flipped.reasons)")
        for cut in [bytes.count - 1, bytes.count / 2, 40, 31, 7] {
            let sink = inspectAllWays(Array(bytes[0..<cut]), name: "a.7z")
            #expect(sink.uninspected.contains { $0.1.code == .corrupt }, "cut at \(cut): \(sink.reasons)")
        }
    }

    @Test("a corrupt LZMA folder gives the same parts and reasons however the archive arrives (found by FuzzSevenZip)")
    func corruptFolderChunkInvariant() throws {
        // A solid LZMA archive of three files, mutated by the fuzzer: what the folder gave
        // before its error depended on the read size, and with it the first file's sniff.
        let hex = [
            "377abcaf271c000430109d4efc000000000000002200000000000000ddc4f490e0007b000000000000013e11d8ce6691",
            "0f831ecafd7b33d47fe9b7dbe3a97135042e20cd44cc857a76ae33559c497079ac15fa96040df1808446f65e558f1e9b",
            "90296955fec012fc31a3d716662075d2e241c21213a583c7c14e11b5eaee5611f7d684af91540caf83d7256ef6fdbd0c",
            "d40000000000813307ae0fd491f65d4215f6b3457d694d8e4f697395fcdd0f531248012cd52056bdab709a1a81376b8e",
            "25e1fc1cd3ed928bdc4161115c3c3058bb88ef11e01cc598179d4baeea403ddffd74565a5d530aa4ace2fb2b9be9d6d5",
            "3ee99e09f27ded154dcf9c28deb5026e7b58b77dee69de8064888c3412100482209b9f4eb3dca6394a20000017067401",
            "09808800070b01000123030101055d001000000c80c20a011f6ef68e0000"
        ].joined()
        let bytes = stride(from: 0, to: hex.count, by: 2).map { offset in
            UInt8(hex.dropFirst(offset).prefix(2), radix: 16)!
        }
        // inspectAllWays compares reads of 1, 7 and 4,096 bytes and the whole.
        let sink = inspectAllWays(bytes, name: "fuzz", limits: InspectionLimits(sniffBytes: 512))
        #expect(sink.uninspected.contains { $0.1.code == .corrupt }, "\(sink.reasons)")
    }

    @Test("an archive with no files is empty, not corrupt")
    func empty() throws {
        // 7-Zip writes an empty archive as the signature header alone, pointing at nothing.
        var header: [UInt8] = SevenZipReader.signature + [0, 4]
        let tail = [UInt8](repeating: 0, count: 20)
        var crc = CRC32()
        tail.withUnsafeBytes { crc.update($0) }
        let value = UInt32(truncatingIfNeeded: crc.value)
        header += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)] + tail
        let sink = inspectAllWays(header, name: "e.7z")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.texts.isEmpty)
    }

    @Test("7z numbers: one to nine bytes")
    func numbers() throws {
        var cursor = SevenZipHeaderCursor([0x7F, 0x80, 0x80, 0xC0, 0x00, 0x40, 0xFF] + [UInt8](repeating: 0xFF, count: 8))
        #expect(try cursor.number() == 0x7F)
        #expect(try cursor.number() == 0x80)
        #expect(try cursor.number() == 0x4000)
        #expect(try cursor.number() == UInt64.max)
        #expect(throws: SevenZipError.self) { try cursor.number() }
    }
}
