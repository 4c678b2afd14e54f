import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardInspection

/// Sparse files as GNU tar writes them: the old GNU `S` header (with extension blocks for
/// long maps) and the pax formats 0.0, 0.1 and 1.0. Each must be read, text in every data
/// segment scanned, holes never joining the words on either side.
@Suite("tar: sparse entries")
struct TarSparseTests {
    /// A sparse file: a hole, text, a 1 MiB hole, text, a hole at the end; `segments`
    /// pieces of text in all (more than four needs GNU extension blocks).
    static func makeSparseFile(in f: Fixtures, segments: Int) throws -> [String] {
        var texts: [String] = []
        let size = (segments + 1) << 20
        try f.run("truncate", ["-s", "\(size)", "sparse.txt"])
        for index in 0..<segments {
            let text = index == 0 ? "机密★10年 第\(index)段" : "内部资料 第\(index)段"
            texts.append(text)
            try f.run("dd", ["of=sparse.txt", "bs=1", "seek=\((index + 1) << 20)", "conv=notrunc", "status=none"], stdin: Array(text.utf8))
        }
        return texts
    }

    static let sparseFormats: [(String, [String])] = [
        ("gnu", ["--format=gnu"]),
        ("pax 0.0", ["--format=pax", "--sparse-version=0.0"]),
        ("pax 0.1", ["--format=pax", "--sparse-version=0.1"]),
        ("pax 1.0", ["--format=pax", "--sparse-version=1.0"]),
    ]

    @Test("every sparse format's data is read and scanned; holes become line breaks", arguments: sparseFormats)
    func formats(name: String, options: [String]) throws {
        let f = try Fixtures()
        let texts = try Self.makeSparseFile(in: f, segments: 6)
        try f.write("after.txt", "之后的文件\n")
        try f.run("tar", ["-cS"] + options + ["-f", "a.tar", "sparse.txt", "after.txt"])
        let tar = try f.read("a.tar")
        #expect(tar.count < 1 << 20, "\(name): the archive should be sparse")
        let sink = inspectAllWays(tar, name: "a.tar")
        #expect(sink.uninspected.isEmpty, "\(name): \(sink.reasons)")
        let text = try #require(sink.texts["a.tar!sparse.txt"], "\(name): \(sink.texts.keys.sorted())")
        // GNU tar stores whole blocks around each piece of text: their zeros are read as
        // data, and each hole between pieces is one line break.
        let pieces = text.split(separator: "\n").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\0")) }.filter { !$0.isEmpty }
        #expect(pieces == texts, "\(name)")
        #expect(sink.texts["a.tar!after.txt"] == "之后的文件\n", "\(name)")
    }

    @Test("a sparse map that does not fit its data, or runs past its size, is corrupt; the archive goes on")
    func badMaps() throws {
        let f = try Fixtures()
        _ = try Self.makeSparseFile(in: f, segments: 2)
        try f.write("after.txt", "之后的文件\n")
        try f.run("tar", ["-cS", "--format=pax", "--sparse-version=0.1", "-f", "a.tar", "sparse.txt", "after.txt"])
        var tar = try f.read("a.tar")
        // The map's last length, made longer than the data stored ("4096" → "8192").
        let key = Array("GNU.sparse.map=".utf8)
        let start = try #require((0...(tar.count - key.count)).first { tar[$0..<($0 + key.count)].elementsEqual(key) })
        let lineEnd = try #require(tar[start...].firstIndex(of: 0x0A))
        let comma = try #require(tar[start..<lineEnd].lastIndex(of: UInt8(ascii: ",")))
        let old = String(decoding: tar[(comma + 1)..<lineEnd], as: UTF8.self)
        let new = String(repeating: "9", count: old.count)
        tar.replaceSubrange((comma + 1)..<lineEnd, with: Array(new.utf8))
        let sink = inspectAllWays(tar, name: "a.tar")
        #expect(sink.uninspected.map(\.1.code) == [.corrupt], "\(sink.reasons)")
        #expect(sink.texts["a.tar!after.txt"] == "之后的文件\n")
    }
}

@Suite("tar: malformed pax records are corrupt (Go's expected errors)")
struct TarPaxRecordTests {
    static func paxTar(_ records: String) -> [UInt8] {
        let pax = Array(records.utf8)
        let header = HostileInputTests.tarHeader(name: "PaxHeaders/a.txt", type: UInt8(ascii: "x"), size: HostileInputTests.octalSize(pax.count))
        let padded = pax + [UInt8](repeating: 0, count: (512 - pax.count % 512) % 512)
        let file = HostileInputTests.tarHeader(name: "a.txt", type: UInt8(ascii: "0"), size: HostileInputTests.octalSize(6)) + Array("机密".utf8) + [UInt8](repeating: 0, count: 506)
        return header + padded + file + [UInt8](repeating: 0, count: 1024)
    }

    static func record(_ body: String) -> String {
        // The length counts itself: try lengths until the record's length matches.
        var length = body.utf8.count + 3
        while "\(length) \(body)\n".utf8.count != length { length += 1 }
        return "\(length) \(body)\n"
    }

    @Test("a NUL in an xattr's value is allowed (SELinux labels end with one), as Go's reader allows it")
    func xattrValue() {
        let sink = inspectAllWays(Self.paxTar(Self.record("SCHILY.xattr.security.selinux=unconfined_u:object_r:default_t:s0\0")), name: "x.tar")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.texts["x.tar!a.txt"] == "机密")
    }

    @Test("missing newline, a non-numeric mtime, NUL in a path or an xattr's key")
    func malformed() {
        let good = Self.record("path=b.txt")
        #expect(inspectAllWays(Self.paxTar(good), name: "x.tar").uninspected.isEmpty)
        let noNewline = String(good.dropLast()) + " "
        let cases = [
            noNewline,
            Self.record("mtime=yesterday"),
            Self.record("path=b\0.txt"),
            Self.record("SCHILY.xattr.user.no\0te=ab"),
        ]
        for records in cases {
            let sink = inspectAllWays(Self.paxTar(records), name: "x.tar")
            #expect(sink.uninspected.map(\.1.code) == [.corrupt], "\(records.debugDescription): \(sink.reasons)")
            // The entry itself is still read, under its own name.
            #expect(sink.texts["x.tar!a.txt"] == "机密", "\(records.debugDescription): \(sink.texts.keys.sorted())")
        }
    }
}

@Suite("tar: header variants")
struct TarHeaderVariantTests {
    @Test("a checksum summed over signed bytes (old Sun tar) is valid too")
    func signedChecksum() {
        var header = HostileInputTests.tarHeader(name: "名.txt", type: UInt8(ascii: "0"), size: HostileInputTests.octalSize(6))
        // Re-sum the header as signed bytes: the UTF-8 name's high bytes count negative.
        header.replaceSubrange(148..<156, with: [UInt8](repeating: 0x20, count: 8))
        let sum = header.reduce(0) { $0 + Int(Int8(bitPattern: $1)) }
        let octal = Array(String(sum, radix: 8).utf8)
        header.replaceSubrange(148..<(148 + 7), with: [UInt8](repeating: UInt8(ascii: "0"), count: 6 - octal.count) + octal + [0])
        let tar = header + Array("机密".utf8) + [UInt8](repeating: 0, count: 506 + 1024)
        let sink = inspectAllWays(tar, name: "x.tar")
        #expect(sink.texts["x.tar!名.txt"] == "机密", "\(sink.reasons)")
    }

    @Test("a GNU incremental dump's directory listing (type D) is metadata, not a file")
    func dumpDirectory() {
        let listing = Array("Yfile1\0Nfile2\0\0".utf8)
        let dumpdir = HostileInputTests.tarHeader(name: "dir/", type: UInt8(ascii: "D"), size: HostileInputTests.octalSize(listing.count))
            + listing + [UInt8](repeating: 0, count: 512 - listing.count)
        let file = HostileInputTests.tarHeader(name: "dir/file1", type: UInt8(ascii: "0"), size: HostileInputTests.octalSize(6)) + Array("机密".utf8) + [UInt8](repeating: 0, count: 506)
        let sink = inspectAllWays(dumpdir + file + [UInt8](repeating: 0, count: 1024), name: "x.tar")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.texts == ["x.tar!dir/file1": "机密", "x.tar!(names)": "dir/\ndir/file1\n"])
    }
}
