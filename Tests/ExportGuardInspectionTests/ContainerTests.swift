import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardInspection

@Suite("Containers: gzip, zip, tar and their nesting")
struct ContainerTests {
    @Test("gzip with several members is one stream; its text keeps the input's location")
    func gzipMembers() throws {
        let f = try Fixtures()
        try f.write("a.txt", "第一部分 机密★10年\n")
        try f.write("b.txt", "第二部分\n")
        let joined = try f.run("gzip", ["-c", "a.txt"]) + f.run("gzip", ["-c", "b.txt"])
        let sink = inspectAllWays(joined, name: "parts.gz")
        #expect(sink.texts == ["parts.gz": "第一部分 机密★10年\n第二部分\n"])
        #expect(sink.uninspected.isEmpty)
    }

    @Test("gzip with a wrong CRC or cut short is reported; what came before is still read")
    func gzipDamage() throws {
        let f = try Fixtures()
        try f.write("a.txt", String(repeating: "正文内容 ", count: 200))
        var gz = try f.run("gzip", ["-c", "a.txt"])
        gz[gz.count - 8] ^= 0xFF
        let badCRC = inspectAllWays(gz, name: "a.gz")
        #expect(badCRC.reasons == ["a.gz: corrupt: gzip: incorrect data check"])
        #expect(badCRC.texts["a.gz"]?.hasPrefix("正文内容") == true)

        let cut = try f.run("gzip", ["-c", "a.txt"]).dropLast(20)
        #expect(inspectAllWays(Array(cut), name: "a.gz").reasons == ["a.gz: corrupt: gzip: truncated stream"])
    }

    @Test("zip: stored, deflated and streamed (data descriptor) entries are read; names form the location")
    func zipEntries() throws {
        let f = try Fixtures()
        try f.write("docs/one.txt", "文件一 国家秘密\n")
        try f.write("docs/two.txt", String(repeating: "重复内容 ", count: 100) + "\n")
        try f.run("zip", ["-q", "-r", "deflated.zip", "docs"])
        try f.run("zip", ["-q", "-0", "-r", "stored.zip", "docs"])
        for name in ["deflated.zip", "stored.zip"] {
            let sink = inspectAllWays(try f.read(name), name: name)
            #expect(sink.texts["\(name)!docs/one.txt"] == "文件一 国家秘密\n", "\(name)")
            #expect(sink.texts["\(name)!docs/two.txt"]?.count == 501, "\(name)")
            #expect(sink.uninspected.isEmpty, "\(name): \(sink.reasons)")
        }
        // zip reading standard input writes a data descriptor after the entry.
        let streamed = try f.run("zip", ["-q", "-", "-"], stdin: Array("管道输入 机密★\n".utf8))
        let sink = inspectAllWays(streamed, name: "piped.zip")
        #expect(sink.texts == ["piped.zip!-": "管道输入 机密★\n", "piped.zip!(names)": "-\n"])
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("zip64 entries are read")
    func zip64() throws {
        let f = try Fixtures()
        try f.write("big.txt", "zip64 条目\n")
        try f.run("zip", ["-q", "-fz", "z64.zip", "big.txt"])
        let sink = inspectAllWays(try f.read("z64.zip"), name: "z64.zip")
        #expect(sink.texts == ["z64.zip!big.txt": "zip64 条目\n", "z64.zip!(names)": "big.txt\n"])
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("an encrypted entry is uninspected; the entries around it are still read")
    func encrypted() throws {
        let f = try Fixtures()
        try f.write("secret.txt", "加密内容\n")
        try f.write("plain.txt", "明文内容\n")
        try f.run("zip", ["-q", "-P", "pass", "mixed.zip", "secret.txt"])
        try f.run("zip", ["-q", "mixed.zip", "plain.txt"])
        let sink = inspectAllWays(try f.read("mixed.zip"), name: "mixed.zip")
        #expect(sink.reasons == ["mixed.zip!secret.txt: encrypted"])
        #expect(sink.texts == ["mixed.zip!plain.txt": "明文内容\n", "mixed.zip!(names)": "secret.txt\nplain.txt\n"])
    }

    @Test("a truncated zip is reported")
    func truncatedZip() throws {
        let f = try Fixtures()
        try f.write("a.txt", String(repeating: "内容", count: 500))
        try f.run("zip", ["-q", "a.zip", "a.txt"])
        let bytes = try f.read("a.zip")
        let sink = inspectAllWays(Array(bytes.prefix(bytes.count / 2)), name: "a.zip")
        #expect(!sink.uninspected.isEmpty)
        #expect(sink.reasons.allSatisfy { $0.contains("corrupt") }, "\(sink.reasons)")
    }

    @Test("local and central names that disagree are reported")
    func mismatchedNames() throws {
        let f = try Fixtures()
        try f.write("good.txt", "内容\n")
        try f.run("zip", ["-q", "-0", "a.zip", "good.txt"])
        var bytes = try f.read("a.zip")
        // Rename the entry in the central directory only: the second occurrence of the name.
        let name = Array("good.txt".utf8)
        let occurrences = (0...(bytes.count - name.count)).filter { Array(bytes[$0..<($0 + name.count)]) == name }
        #expect(occurrences.count == 2)
        bytes.replaceSubrange(occurrences[1]..<(occurrences[1] + 4), with: Array("evil".utf8))
        let sink = inspectAllWays(bytes, name: "a.zip")
        #expect(sink.reasons == ["a.zip: corrupt: zip: the entry at offset 0 is named good.txt locally but evil.txt in the central directory"])
    }

    @Test("central directory entries overlapping one local entry (the zip bomb shape) are reported")
    func overlappingEntries() throws {
        let bytes = try overlappingZip(secondName: nil)
        let sink = inspectAllWays(bytes, name: "bomb.zip")
        #expect(sink.reasons.count == 1)
        #expect(sink.reasons.first?.contains("overlapping entries") == true)
    }

    @Test("tar: ustar, pax long names and GNU long names; .tar.gz by nesting")
    func tarFormats() throws {
        let f = try Fixtures()
        let longDirectory = String(repeating: "很长的目录名", count: 12)
        try f.write("\(longDirectory)/file.txt", "长文件名 机密★\n")
        try f.write("short.txt", "短文件\n")
        for format in ["ustar", "pax", "gnu"] {
            let paths = format == "ustar" ? ["short.txt"] : ["short.txt", "\(longDirectory)/file.txt"]
            try f.run("tar", ["--format=\(format)", "-cf", "\(format).tar"] + paths)
            let sink = inspectAllWays(try f.read("\(format).tar"), name: "\(format).tar")
            #expect(sink.texts["\(format).tar!short.txt"] == "短文件\n", "\(format)")
            if format != "ustar" {
                #expect(sink.texts["\(format).tar!\(longDirectory)/file.txt"] == "长文件名 机密★\n", "\(format)")
            }
            #expect(sink.uninspected.isEmpty, "\(format): \(sink.reasons)")
        }
        try f.run("tar", ["-czf", "both.tgz", "short.txt"])
        #expect(inspectAllWays(try f.read("both.tgz"), name: "both.tgz").texts == ["both.tgz!short.txt": "短文件\n", "both.tgz!(names)": "short.txt\n"])

        // Member names and a pax comment are text (the comment as GNU tar writes it).
        try f.write("张伟_11010119800101103X.txt", "ok\n")
        try f.run("tar", ["--format=pax", "--pax-option=comment=机密★10年", "-cf", "meta.tar", "张伟_11010119800101103X.txt"])
        let meta = inspectAllWays(try f.read("meta.tar"), name: "meta.tar").texts
        #expect(meta["meta.tar!(names)"] == "张伟_11010119800101103X.txt\n", "\(meta)")
        #expect(meta["meta.tar!(comment)"] == "机密★10年\n", "\(meta)")
    }

    @Test("a truncated tar is reported")
    func truncatedTar() throws {
        let f = try Fixtures()
        try f.write("a.txt", String(repeating: "x", count: 2000))
        try f.run("tar", ["-cf", "a.tar", "a.txt"])
        let sink = inspectAllWays(Array(try f.read("a.tar").prefix(1200)), name: "a.tar")
        #expect(sink.reasons == ["a.tar: corrupt: tar: archive is truncated"])
    }

    @Test("three levels deep: zip → tar.gz → zip, with a location chain a person can follow")
    func nesting() throws {
        let f = try Fixtures()
        try f.write("doc/report.txt", "深层文件 机密★10年\n")
        try f.run("zip", ["-q", "-r", "inner.zip", "doc"])
        try f.run("tar", ["-czf", "data.tar.gz", "inner.zip"])
        try f.write("pack/.keep", "")
        try f.run("sh", ["-c", "mv data.tar.gz pack/ && zip -q -r bundle.zip pack"])
        let sink = inspectAllWays(try f.read("bundle.zip"), name: "bundle.zip")
        #expect(sink.texts["bundle.zip!pack/data.tar.gz!inner.zip!doc/report.txt"] == "深层文件 机密★10年\n")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")

        var shallow = InspectionLimits()
        shallow.maxDepth = 2
        let limited = inspect(try f.read("bundle.zip"), name: "bundle.zip", limits: shallow)
                // The gzip layer counts as a level of its own.
        #expect(limited.reasons == ["bundle.zip!pack/data.tar.gz: limit exceeded: nesting deeper than 2 levels"])
    }

    @Test("a member that expands beyond the ratio limit is stopped and reported")
    func expansionRatio() throws {
        let f = try Fixtures()
        try f.write("zeros.txt", String(repeating: "0", count: 4 << 20))
        try f.run("zip", ["-q", "z.zip", "zeros.txt"])
        var limits = InspectionLimits()
        limits.ratioFloor = 1 << 20
        limits.maxExpansionRatio = 100
        let sink = inspect(try f.read("z.zip"), name: "z.zip", limits: limits)
        #expect(sink.reasons == ["z.zip!zeros.txt: limit exceeded: zip entry expands more than 100×"])
        // The same budget through the central directory, and for gzip.
        let seekable = try inspectFile(f.url("z.zip"), limits: limits)
        #expect(seekable.reasons == ["z.zip!zeros.txt: limit exceeded: zip entry expands more than 100×"])
        let gz = try f.run("gzip", ["-c", "zeros.txt"])
        #expect(inspect(gz, name: "z.gz", limits: limits).reasons == ["z.gz: limit exceeded: gzip member expands more than 100×"])
        // Under the ratio, nothing is reported.
        limits.maxExpansionRatio = 2000
        #expect(inspect(gz, name: "z.gz", limits: limits).reasons.isEmpty)
    }

    @Test("the decoded-bytes budget holds across nesting")
    func decodedBudget() throws {
        let f = try Fixtures()
        try f.write("a.txt", String(repeating: "内容", count: 10_000))
        var limits = InspectionLimits()
        limits.maxDecodedBytes = 1000
        let sink = inspect(try f.run("gzip", ["-c", "a.txt"]), name: "a.gz", limits: limits)
        #expect(sink.uninspected.count == 1)
        #expect(sink.reasons.first?.contains("limit exceeded") == true)
        #expect((sink.texts["a.gz"]?.utf8.count ?? 0) <= 1000)
    }
}

@Suite("Zip files read through their central directory")
struct SeekableZipTests {
    @Test("a zip file reads the same through its central directory as a stream")
    func sameAsStream() throws {
        let f = try Fixtures()
        try f.write("docs/one.txt", "文件一 国家秘密\n")
        try f.write("docs/two.txt", String(repeating: "重复内容 ", count: 100) + "\n")
        try f.run("zip", ["-q", "-r", "a.zip", "docs"])
        try f.run("zip", ["-q", "-r", "-fz", "z64.zip", "docs"])
        for name in ["a.zip", "z64.zip"] {
            let fromFile = try inspectFile(f.url(name))
            let fromStream = inspect(try f.read(name), name: name)
            #expect(fromFile.texts == fromStream.texts, "\(name)")
            #expect(fromFile.texts.count == 3, "\(name)")
            #expect(fromFile.texts["\(name)!(names)"] == "docs/\ndocs/two.txt\ndocs/one.txt\n", "\(name)")
            #expect(fromFile.uninspected.isEmpty, "\(name): \(fromFile.reasons)")
        }
    }

    @Test("an archive behind prepended data (a self-extractor, a disguised file) is found and reported")
    func prependedData() throws {
        let f = try Fixtures()
        try f.write("secret.txt", "机密★10年\n")
        try f.run("zip", ["-q", "a.zip", "secret.txt"])
        try f.write("disguised.jpg", [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0x42, count: 1000) + (try f.read("a.zip")))
        let sink = try inspectFile(f.url("disguised.jpg"))
        #expect(sink.texts["disguised.jpg!secret.txt"] == "机密★10年\n")
        // What comes before the archive is read as a stream of its own: here a broken JPEG.
        #expect(sink.uninspected.map { "\($0.0)" } == ["disguised.jpg!before-archive"], "\(sink.reasons)")
        #expect(sink.uninspected.map(\.1.code) == [.corrupt])
    }

    @Test("a self-extractor with a script stub is an ordinary zip: offsets adjusted or not, zip64 or not; the stub and bytes after the end are read too")
    func scriptStub() throws {
        let f = try Fixtures()
        try f.write("secret.txt", "机密★10年\n")
        let stub = Array("#!/bin/sh\n# 内部资料 installer\nexec unzip \"$0\"\n".utf8)
        for (name, options) in [("plain", ["-q"]), ("zip64", ["-q", "-fz"])] {
            try f.run("zip", options + ["\(name).zip", "secret.txt"])
            try f.write("\(name).sh", stub + (try f.read("\(name).zip")) + Array("trailing words\n".utf8))
            var files = ["\(name).sh"]
            if name == "plain" {
                // `zip -A` adjusts the offsets to count the stub (it refuses zip64 archives).
                try f.write("\(name)-adjusted.sh", stub + (try f.read("\(name).zip")))
                try f.run("zip", ["-q", "-A", "\(name)-adjusted.sh"])
                files.append("\(name)-adjusted.sh")
            }
            for file in files {
                let sink = try inspectFile(f.url(file))
                #expect(sink.uninspected.isEmpty, "\(file): \(sink.reasons)")
                #expect(sink.texts["\(file)!secret.txt"] == "机密★10年\n", "\(file): \(sink.texts.keys.sorted())")
                #expect(sink.texts["\(file)!before-archive"]?.contains("内部资料") == true, "\(file): \(sink.texts.keys.sorted())")
            }
            #expect(try inspectFile(f.url("\(name).sh")).texts["\(name).sh!after-end"] == "trailing words\n")
        }
    }

    @Test("overlapping entries and disagreeing names are reported")
    func overlapAndNames() throws {
        let f = try Fixtures()
        let bytes = try overlappingZip(secondName: "b")
        try f.write("bomb.zip", bytes)
        let sink = try inspectFile(f.url("bomb.zip"))
        #expect(sink.texts == ["bomb.zip!a.txt": "内容\n", "bomb.zip!(names)": "a.txt\nb.txt\n"])
        #expect(sink.reasons == [
            "bomb.zip!b.txt: corrupt: zip: the entry at offset 0 is named a.txt locally but b.txt in the central directory",
            "bomb.zip!b.txt: corrupt: zip: b.txt shares its data with a.txt: overlapping entries",
        ])
    }

    @Test("a truncated zip file is not read as a zip, and is reported")
    func truncatedFile() throws {
        let f = try Fixtures()
        try f.write("a.txt", String(repeating: "内容", count: 500))
        try f.run("zip", ["-q", "a.zip", "a.txt"])
        let bytes = try f.read("a.zip")
        try f.write("cut.zip", Array(bytes.prefix(bytes.count / 2)))
        let sink = try inspectFile(f.url("cut.zip"))
        #expect(!sink.uninspected.isEmpty)
    }
}

/// A stored zip of `a.txt` whose central directory lists the one local entry twice — the
/// shape of the non-recursive zip bomb. `secondName` renames the second listing's first letter.
func overlappingZip(secondName: String?) throws -> [UInt8] {
    let f = try Fixtures()
    try f.write("a.txt", "内容\n")
    try f.run("zip", ["-q", "-0", "a.zip", "a.txt"])
    var bytes = try f.read("a.zip")
    let centralStart = Int(bytes[bytes.count - 6]) | Int(bytes[bytes.count - 5]) << 8
    let endStart = bytes.count - 22
    var record = Array(bytes[centralStart..<endStart])
    if let secondName { record.replaceSubrange(46..<47, with: Array(secondName.utf8)) }
    bytes.insert(contentsOf: record, at: endStart)
    // Patch the end record: two entries, a directory twice as long.
    let end = bytes.count - 22
    bytes[end + 8] = 2
    bytes[end + 10] = 2
    let size = record.count * 2
    bytes[end + 12] = UInt8(size & 0xFF)
    bytes[end + 13] = UInt8(size >> 8)
    return bytes
}

@Suite("Malformed zip headers: corrupt, never a crash")
struct MalformedZipTests {
    @Test("a local header whose name runs past the end of the file is corrupt (it trapped before)")
    func nameLengthPastEnd() throws {
        let f = try Fixtures()
        try f.write("doc.xml", "<w:document xmlns:w=\"urn:w\">正文</w:document>")
        try f.run("zip", ["-q", "a.zip", "doc.xml"])
        var bytes = try f.read("a.zip")
        // The first local header's file-name length.
        bytes[26] = 0xFF
        bytes[27] = 0xFF
        try f.write("bad.zip", bytes)
        let seekable = try inspectFile(f.url("bad.zip"))
        #expect(seekable.uninspected.map(\.1.code).contains(.corrupt), "\(seekable.reasons)")
        let streamed = inspectAllWays(bytes, name: "bad.zip")
        #expect(streamed.uninspected.map(\.1.code).contains(.corrupt), "\(streamed.reasons)")
    }

    @Test("random byte mutations of a docx-shaped zip never crash either reader")
    func mutations() throws {
        let f = try Fixtures()
        try f.write("word/document.xml", "<w:document xmlns:w=\"urn:w\"><w:body><w:p>正文 内容</w:p></w:body></w:document>")
        try f.write("[Content_Types].xml", "<Types xmlns=\"urn:t\"/>")
        try f.run("zip", ["-q", "-r", "a.docx", "word", "[Content_Types].xml"])
        let original = try f.read("a.docx")
        var generator = SystemRandomNumberGenerator()
        for round in 0..<300 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = [0x00, 0xFF, 0x7F, 0x80, UInt8.random(in: 0...255, using: &generator)].randomElement(using: &generator)!
            }
            try f.write("m\(round % 4).docx", bytes)
            _ = try inspectFile(f.url("m\(round % 4).docx"))
            _ = inspect(bytes, name: "m.docx", chunkSize: 97)
        }
    }

    @Test("zip member names, member comments and the archive comment are read as text, seekable and streamed; GBK names too")
    func zipMetadata() throws {
        let f = try Fixtures()
        try f.write("张伟_11010119800101103X.txt", "ok\n")
        try f.run("zip", ["-q", "meta.zip", "张伟_11010119800101103X.txt"])
        // zip -z reads the archive comment from standard input; -c one comment per entry.
        try f.run("zip", ["-q", "-z", "meta.zip"], stdin: Array("机密★10年 do not forward\n".utf8))
        try f.run("zip", ["-q", "-c", "meta.zip", "张伟_11010119800101103X.txt"], stdin: Array("内部资料\n".utf8))
        let expected = [
            "meta.zip!张伟_11010119800101103X.txt": "ok\n",
            "meta.zip!(names)": "张伟_11010119800101103X.txt\n",
            "meta.zip!(comment)": "张伟_11010119800101103X.txt: 内部资料\n机密★10年 do not forward\n",
        ]
        #expect(try inspectFile(f.url("meta.zip")).texts == expected)
        #expect(inspectAllWays(try f.read("meta.zip"), name: "meta.zip").texts == expected)

        // A name in GBK, as Chinese Windows writes it (no UTF-8 flag): read as what it says.
        let gbk: [UInt8] = [0xBB, 0xFA, 0xC3, 0xDC, 0x2E, 0x74, 0x78, 0x74]  // 机密.txt
        let zip = handMadeZip(name: "abcd.txt", method: 0, data: Array("a\n".utf8), plain: Array("a\n".utf8))
        let renamed = Self.renaming(zip, from: Array("abcd.txt".utf8), to: gbk)
        #expect(inspectAllWays(renamed, name: "gbk.zip").texts["gbk.zip!(names)"] == "机密.txt\n")
    }

    /// The same bytes with a member's name replaced by another of the same length (in the
    /// local header and the central directory).
    static func renaming(_ zip: [UInt8], from old: [UInt8], to new: [UInt8]) -> [UInt8] {
        precondition(old.count == new.count)
        var bytes = zip
        var index = 0
        while index + old.count <= bytes.count {
            if Array(bytes[index..<(index + old.count)]) == old {
                bytes.replaceSubrange(index..<(index + old.count), with: new)
            }
            index += 1
        }
        return bytes
    }
}
