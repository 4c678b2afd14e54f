import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardInspection

/// ar and cpio archives made by the system's own `ar` and `cpio`, and the archive formats
/// that are recognised but not read.
@Suite("Archives: ar (Debian packages), cpio, and formats named but not read")
struct ArchiveFormatTests {
    @Test("a Debian package (ar of tar.xz members) opens down to its files; long member names are kept")
    func debianPackage() throws {
        let f = try Fixtures()
        try f.write("debian-binary", "2.0\n")
        try f.write("usr/share/doc/x/README", "内部资料 不得外传\n")
        try f.run("tar", ["-cJf", "data.tar.xz", "usr"])
        try f.write("control", "Package: x\n")
        try f.run("tar", ["-cJf", "control.tar.xz", "control"])
        try f.write("a-member-name-longer-than-sixteen-bytes.txt", "机密★10年\n")
        try f.run("ar", ["rc", "x.deb", "debian-binary", "control.tar.xz", "data.tar.xz", "a-member-name-longer-than-sixteen-bytes.txt"])
        let sink = inspectAllWays(try f.read("x.deb"), name: "x.deb")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.texts["x.deb!data.tar.xz!usr/share/doc/x/README"] == "内部资料 不得外传\n", "\(sink.texts.keys.sorted())")
        #expect(sink.texts["x.deb!debian-binary"] == "2.0\n")
        #expect(sink.texts["x.deb!a-member-name-longer-than-sixteen-bytes.txt"] == "机密★10年\n")
    }

    @Test("cpio in newc, newc with checksums and odc formats; a cut archive is corrupt", arguments: ["newc", "crc", "odc"])
    func cpio(format: String) throws {
        let f = try Fixtures()
        try f.write("docs/one.txt", "文件一 国家秘密\n")
        try f.write("docs/two.txt", "")
        let archive = try f.run("cpio", ["--quiet", "-o", "-H", format], stdin: Array("docs\ndocs/one.txt\ndocs/two.txt\n".utf8))
        let sink = inspectAllWays(archive, name: "a.cpio")
        #expect(sink.uninspected.isEmpty, "\(format): \(sink.reasons)")
        #expect(sink.texts["a.cpio!docs/one.txt"] == "文件一 国家秘密\n", "\(format): \(sink.texts.keys.sorted())")
        let cut = inspectAllWays(Array(archive.prefix(archive.count / 2)), name: "a.cpio")
        #expect(cut.uninspected.map(\.1.code) == [.corrupt], "\(format): \(cut.reasons)")
    }

    @Test("RAR and CAB are named in an unsupported reason, never left as unknown binary")
    func named() {
        let cases: [([UInt8], String)] = [
            ([0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00] + [UInt8](repeating: 7, count: 40), "RAR archive"),
            (Array("MSCF".utf8) + [0, 0, 0, 0] + [UInt8](repeating: 7, count: 40), "Microsoft Cabinet (CAB) archive"),
        ]
        for (bytes, name) in cases {
            #expect(inspectAllWays(bytes, name: "x").reasons == ["x: unsupported: \(name)"])
        }
    }

    @Test("text that merely starts like an archive stays text")
    func lookalikes() {
        for text in ["070701 is an order number\n", "!<arch> in a sentence\n"] {
            let sink = inspectAllWays(Array(text.utf8), name: "t.txt")
            #expect(sink.texts == ["t.txt": text], "\(sink.reasons)")
        }
    }
}

@Suite("Ordinary files that once went to review")
struct OrdinaryFileTests {
    @Test("a zero-filled file holds nothing to read; text after leading zeros is read")
    func zeros() {
        let empty = inspectAllWays([UInt8](repeating: 0, count: 10_000), name: "z.bin")
        #expect(empty.uninspected.isEmpty, "\(empty.reasons)")
        #expect(empty.texts.values.allSatisfy { $0.isEmpty })
        let hidden = inspectAllWays([UInt8](repeating: 0, count: 5000) + Array("机密★10年\n".utf8), name: "z.bin")
        #expect(hidden.texts["z.bin"] == "机密★10年\n", "\(hidden.texts) \(hidden.reasons)")
    }

    @Test("text that ends in NULs (a C string written whole) is text")
    func trailingNUL() {
        let sink = inspectAllWays(Array("44,44,POWERON".utf8) + [0], name: "P1050238.JPG.log")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.texts["P1050238.JPG.log"] == "44,44,POWERON\u{0}")
    }

    @Test("a zip whose end record understates the directory's size is read whole, as Go reads it")
    func understatedDirectory() throws {
        let f = try Fixtures()
        try f.write("a.txt", "机密 one\n")
        try f.write("b.txt", "内部资料 two\n")
        try f.run("zip", ["-q", "d.zip", "a.txt", "b.txt"])
        var bytes = try f.read("d.zip")
        let end = bytes.count - 22
        #expect(Array(bytes[end..<(end + 4)]) == [0x50, 0x4B, 0x05, 0x06])
        let size = Int(bytes[end + 12]) | Int(bytes[end + 13]) << 8
        bytes[end + 12] = UInt8((size - 40) & 0xFF)
        bytes[end + 13] = UInt8((size - 40) >> 8)
        let url = try f.write("bad.zip", bytes)
        let sink = try inspectFile(url)
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.texts["bad.zip!b.txt"] == "内部资料 two\n", "\(sink.texts)")
    }
}
