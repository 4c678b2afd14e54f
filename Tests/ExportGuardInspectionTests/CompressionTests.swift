import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardInspection

/// xz, legacy lzma, bzip2 and zstd, each made by its own command-line tool, read through
/// liblzma, libbz2 and libzstd; and the zip methods that use them.
@Suite("Compressors: xz, lzma, bzip2, zstd")
struct CompressionTests {
    /// (file name, tool and arguments that compress standard input to standard output).
    static let tools: [(String, String, [String])] = [
        ("a.txt.xz", "xz", ["-c"]),
        ("a.txt.lzma", "xz", ["--format=lzma", "-c"]),
        ("a.txt.bz2", "bzip2", ["-c"]),
        ("a.txt.zst", "zstd", ["-q", "-c"]),
    ]

    @Test("each compressor's output is read, whole and trickled; its text keeps the file's location", arguments: tools)
    func readsEach(name: String, tool: String, arguments: [String]) throws {
        let f = try Fixtures()
        let text = "会议纪要 机密★10年\n" + String(repeating: "正文内容 ", count: 500) + "\n"
        let packed = try f.run(tool, arguments, stdin: Array(text.utf8))
        let sink = inspectAllWays(packed, name: name)
        #expect(sink.texts == [name: text], "\(sink.reasons)")
        #expect(sink.uninspected.isEmpty)
    }

    /// The formats whose files may hold several streams (legacy lzma holds one).
    static let multiStream = tools.filter { $0.0 != "a.txt.lzma" }

    @Test("several streams or frames in a row (cat a.xz b.xz, pbzip2, zstd frames) are one stream", arguments: multiStream)
    func members(name: String, tool: String, arguments: [String]) throws {
        let f = try Fixtures()
        let joined = try f.run(tool, arguments, stdin: Array("第一部分 内部资料\n".utf8)) + f.run(tool, arguments, stdin: Array("第二部分\n".utf8))
        let sink = inspectAllWays(joined, name: name)
        #expect(sink.texts == [name: "第一部分 内部资料\n第二部分\n"], "\(sink.reasons)")
        #expect(sink.uninspected.isEmpty)
    }

    @Test("a damaged or truncated stream is reported corrupt (legacy lzma has no check to catch damage)", arguments: tools)
    func damage(name: String, tool: String, arguments: [String]) throws {
        let f = try Fixtures()
        var generator = SystemRandomNumberGenerator()
        // Text that does not compress away, so the damage falls inside the data.
        let text = (0..<3000).map { _ in String(UnicodeScalar(UInt8.random(in: 0x61...0x7A, using: &generator))) }.joined()
        let packed = try f.run(tool, arguments, stdin: Array(text.utf8))
        if name != "a.txt.lzma" {
            var flipped = packed
            flipped[packed.count / 2] ^= 0x55
            let damaged = inspectAllWays(flipped, name: name)
            // What came out before the damage was found may be garbage, reported as well.
            #expect(damaged.uninspected.map(\.1.code).contains(.corrupt), "\(damaged.reasons)")
        }
        let cut = inspectAllWays(Array(packed.dropLast(packed.count / 3)), name: name)
        #expect(cut.uninspected.map(\.1.code) == [.corrupt], "\(cut.reasons)")
    }

    @Test("a tar inside xz, bzip2 or zstd opens as the tar's entries")
    func compressedTar() throws {
        let f = try Fixtures()
        try f.write("docs/one.txt", "文件一 国家秘密\n")
        try f.run("tar", ["-cf", "a.tar", "docs"])
        for (name, tool, arguments) in Self.multiStream {
            let packed = try f.run(tool, arguments, stdin: try f.read("a.tar"))
            let sink = inspectAllWays(packed, name: "a.tar.x")
            #expect(sink.texts == ["a.tar.x!docs/one.txt": "文件一 国家秘密\n", "a.tar.x!(names)": "docs/\ndocs/one.txt\n"], "\(name): \(sink.reasons)")
        }
    }

    @Test("a decompression bomb stops at the expansion budget, in every format")
    func bomb() throws {
        let f = try Fixtures()
        let zeros = [UInt8](repeating: 0x30, count: 4 << 20)
        var limits = InspectionLimits()
        limits.ratioFloor = 1 << 20
        limits.maxExpansionRatio = 100
        for (name, tool, arguments) in Self.tools {
            let packed = try f.run(tool, arguments, stdin: zeros)
            let reasons = inspect(packed, name: name, limits: limits).reasons
            #expect(reasons.count == 1 && reasons[0].contains("limit exceeded") && reasons[0].contains("expands more than 100×"), "\(name): \(reasons)")
        }
    }

    @Test("data after the end of a single-stream format is corrupt; zero padding is not")
    func trailing() throws {
        let f = try Fixtures()
        let xz = try f.run("xz", ["-c"], stdin: Array("正文\n".utf8))
        #expect(inspectAllWays(xz + [0, 0, 0, 0], name: "a.xz").uninspected.isEmpty)
        let garbage = inspectAllWays(xz + Array("trailing words".utf8), name: "a.xz")
        #expect(garbage.reasons == ["a.xz: corrupt: data after the end of the xz stream"])
        let lzma = try f.run("xz", ["--format=lzma", "-c"], stdin: Array("正文\n".utf8))
        #expect(inspectAllWays(lzma + [0x1F, 0x8B, 1, 2], name: "a.lzma").reasons == ["a.lzma: corrupt: data after the end of the lzma stream"])
    }
}

/// A zip written by hand: one entry with the given method and already-compressed data.
func handMadeZip(name: String, method: UInt16, flags: UInt16 = 0, data: [UInt8], plain: [UInt8]) -> [UInt8] {
    var crc = CRC32()
    plain.withUnsafeBytes { crc.update($0) }
    func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    func u32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    let nameBytes = Array(name.utf8)
    let common = u16(flags) + u16(method) + u16(0) + u16(0x21) + u32(Int(crc.value)) + u32(data.count) + u32(plain.count) + u16(UInt16(nameBytes.count)) + u16(0)
    let local = u32(0x0403_4B50) + u16(63) + common + nameBytes + data
    let central = u32(0x0201_4B50) + u16(63) + u16(63) + common + u16(0) + u16(0) + u16(0) + u32(0) + u32(0) + nameBytes
    let end = u32(0x0605_4B50) + u16(0) + u16(0) + u16(1) + u16(1) + u32(central.count) + u32(local.count) + u16(0)
    return local + central + end
}

@Suite("Zip compression methods beyond deflate")
struct ZipMethodTests {
    @Test("bzip2 (12) and LZMA (14) entries written by Python's zipfile are read, seekable and streamed")
    func pythonMethods() throws {
        let f = try Fixtures()
        try f.run("python3", ["-c", """
            import zipfile
            for name, method in (("bz.zip", zipfile.ZIP_BZIP2), ("lzma.zip", zipfile.ZIP_LZMA)):
                with zipfile.ZipFile(name, "w", compression=method) as z:
                    z.writestr("doc/one.txt", "文件一 国家秘密\\n" + "正文 " * 300)
                    z.writestr("two.txt", "第二个文件\\n")
            """])
        for name in ["bz.zip", "lzma.zip"] {
            let expected = [
                "\(name)!doc/one.txt": "文件一 国家秘密\n" + String(repeating: "正文 ", count: 300),
                "\(name)!two.txt": "第二个文件\n",
                "\(name)!(names)": "doc/one.txt\ntwo.txt\n",
            ]
            let seekable = try inspectFile(f.url(name))
            #expect(seekable.texts == expected, "\(name): \(seekable.reasons)")
            #expect(seekable.uninspected.isEmpty)
            let streamed = inspectAllWays(try f.read(name), name: name)
            #expect(streamed.texts == expected, "\(name): \(streamed.reasons)")
            #expect(streamed.uninspected.isEmpty)
        }
    }

    @Test("zstd (93) and xz (95) entries are read; a damaged one is corrupt")
    func zstdAndXZ() throws {
        let f = try Fixtures()
        let plain = Array(("内部资料 " + String(repeating: "正文 ", count: 200)).utf8)
        for (method, tool, arguments) in [(UInt16(93), "zstd", ["-q", "-c"]), (95, "xz", ["-c"])] {
            let data = try f.run(tool, arguments, stdin: plain)
            let zip = handMadeZip(name: "a.txt", method: method, data: data, plain: plain)
            try f.write("m\(method).zip", zip)
            let seekable = try inspectFile(f.url("m\(method).zip"))
            #expect(seekable.texts == ["m\(method).zip!a.txt": String(decoding: plain, as: UTF8.self), "m\(method).zip!(names)": "a.txt\n"], "\(method): \(seekable.reasons)")
            #expect(seekable.uninspected.isEmpty)
            let streamed = inspectAllWays(zip, name: "m\(method).zip")
            #expect(streamed.texts == seekable.texts, "\(method): \(streamed.reasons)")
            var damaged = data
            damaged[damaged.count / 2] ^= 0x55
            let bad = inspectAllWays(handMadeZip(name: "a.txt", method: method, data: damaged, plain: plain), name: "bad.zip")
            #expect(bad.uninspected.map(\.1.code).contains(.corrupt), "\(method): \(bad.reasons)")
        }
    }

    @Test("Deflate64, PPMd and other methods are unsupported by name; WinZip AES is encrypted")
    func unreadable() {
        let plain = Array("正文".utf8)
        let deflate64 = inspectAllWays(handMadeZip(name: "a.txt", method: 9, data: [1, 2, 3], plain: plain), name: "a.zip")
        #expect(deflate64.reasons == ["a.zip!a.txt: unsupported: zip compression method 9 (Deflate64)"])
        let ppmd = inspectAllWays(handMadeZip(name: "a.txt", method: 98, data: [1, 2, 3], plain: plain), name: "a.zip")
        #expect(ppmd.reasons == ["a.zip!a.txt: unsupported: zip compression method 98 (PPMd)"])
        let aes = inspectAllWays(handMadeZip(name: "a.txt", method: 99, flags: 1, data: [1, 2, 3], plain: plain), name: "a.zip")
        #expect(aes.uninspected.map(\.1.code) == [.encrypted])
    }
}
