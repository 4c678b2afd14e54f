import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardInspection

/// Wrong answers the fuzz targets in `Fuzz/` found, each kept as the smallest input that
/// showed it.
@Suite("Found by fuzzing")
struct FuzzFindingTests {
    @Test("a stream's kind is sniffed from its window only, so it does not depend on read sizes")
    func sniffWindow() {
        // Text for the whole window, binary after it: read whole, the sniff once saw it all
        // and called the stream binary; read in small pieces, text.
        let bytes = Array(String(repeating: "机密 ", count: 10).utf8) + [UInt8](repeating: 0, count: 100)
        let limits = InspectionLimits(sniffBytes: 64)
        let recorded = inspectAllWays(bytes, limits: limits)
        #expect(recorded.texts["input"]?.hasPrefix("机密 机密") == true, "\(recorded.texts) \(recorded.reasons)")
    }

    @Test("text from iconv is valid UTF-8 whatever the input: code points past U+10FFFF become U+FFFD")
    func iconvOutputValidated() {
        let converter = IconvConverter(from: "UTF-8")!
        var output: [UInt8] = []
        let input: [UInt8] = Array("机密 ".utf8) + [0xF4, 0x90, 0x80, 0x80, 0x20, 0xFB, 0x8C, 0x8C, 0x8C, 0x8C] + Array(" 文件".utf8)
        input.withUnsafeBytes { converter.convert($0, final: true) { output.append(contentsOf: $0) } }
        #expect(String(validating: output, as: UTF8.self) != nil, "\(output)")
        #expect(String(decoding: output, as: UTF8.self).hasPrefix("机密 "))
        #expect(String(decoding: output, as: UTF8.self).hasSuffix(" 文件"))
        #expect(converter.replaced >= 1)
    }

    @Test("text of a stream read as UTF-8 by name goes through the validator, as sniffed UTF-8 does")
    func namedUTF8() throws {
        let bytes: [UInt8] = Array("机密 ".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array(" 文件".utf8)
        let sink = RecordingSink()
        var source = MemoryByteSource(bytes)
        _ = try Inspector().inspect(&source, name: "input", kind: .legacyText(DetectedCharset("utf-8")), into: sink, drain: false)
        #expect(sink.texts["input"] == "机密 \u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD} 文件")
    }
}

@Suite("Found by fuzzing: archives")
struct ArchiveFuzzFindingTests {
    @Test("an empty pax or long-name record is no frame to wait for: the same answer however the tar is read")
    func emptyMetadataRecord() {
        let empty = HostileInputTests.tarHeader(name: "PaxHeaders/a", type: UInt8(ascii: "x"), size: HostileInputTests.octalSize(0))
        let file = HostileInputTests.tarHeader(name: "a.txt", type: UInt8(ascii: "0"), size: HostileInputTests.octalSize(6)) + Array("机密".utf8) + [UInt8](repeating: 0, count: 506)
        let sink = inspectAllWays(empty + file + [UInt8](repeating: 0, count: 1024), name: "x.tar")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        #expect(sink.texts == ["x.tar!a.txt": "机密", "x.tar!(names)": "a.txt\n"])
    }

    @Test("bytes after a zip entry's bzip2 stream are ignored whether the entry is read whole or a byte at a time")
    func bytesAfterCompressedStream() throws {
        let f = try Fixtures()
        let plain = Array("内部资料 正文\n".utf8)
        var data = try f.run("bzip2", ["-c"], stdin: plain)
        data += Array("junk after the stream".utf8)
        let sink = inspectAllWays(handMadeZip(name: "a.txt", method: 12, data: data, plain: plain), name: "a.zip")
        #expect(sink.texts == ["a.zip!a.txt": "内部资料 正文\n", "a.zip!(names)": "a.txt\n"], "\(sink.reasons)")
    }
}

@Suite("Found by fuzzing: stateful charsets")
struct StatefulCharsetFuzzFindingTests {
    static func convert(_ bytes: [UInt8], charset: String, step: Int) -> String {
        let converter = IconvConverter(from: charset)!
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let end = min(index + step, bytes.count)
            Array(bytes[index..<end]).withUnsafeBytes { converter.convert($0, final: false) { out += $0 } }
            index = end
        }
        [UInt8]().withUnsafeBytes { converter.convert($0, final: true) { out += $0 } }
        return String(decoding: out, as: UTF8.self)
    }

    @Test("UTF-7 with a broken shifted run decodes the same however it is read (glibc's error position depended on it)")
    func utf7() {
        let broken = Array("5py65a+G4piFMTDlubQK5YaF6YOo6LWE5paZIDExMDEwMTE4OTAwMzA3NDUxNA0K\n".utf8)
        let whole = Self.convert(broken, charset: "UTF-7", step: broken.count)
        for step in [1, 7, 11] {
            #expect(Self.convert(broken, charset: "UTF-7", step: step) == whole, "step \(step)")
        }
        let valid = Array("+Zzpbxg +UYWQ6A-".utf8)
        for step in [1, 3, valid.count] {
            #expect(Self.convert(valid, charset: "UTF-7", step: step) == "机密 内部")
        }
    }
}

@Suite("Found by fuzzing: limits")
struct LimitFuzzFindingTests {
    @Test("text cut at the decoded-bytes limit ends on a whole character, however the limit falls")
    func limitCutsWholeCharacters() {
        // 机 is three bytes: limits of 7, 8 and 9 bytes fall before, inside and after one.
        let bytes = Array(String(repeating: "机密文件", count: 40).utf8)
        for limit in 7...9 {
            let recorded = inspectAllWays(bytes, limits: InspectionLimits(maxDecodedBytes: limit))
            let text = recorded.parts.flatMap(\.text)
            #expect(String(validating: text, as: UTF8.self) != nil, "limit \(limit): \(text)")
            #expect(text.count == limit / 3 * 3, "limit \(limit): \(text.count) bytes")
            #expect(recorded.reasons.contains { $0.contains("limit exceeded") }, "\(recorded.reasons)")
        }
    }
}

@Suite("Found by fuzzing: the input's byte budget")
struct BudgetFuzzFindingTests {
    @Test("an input over its byte budget is reported once, at the input, however reads fall")
    func budgetReportedOnce() throws {
        let f = try Fixtures()
        let text = Array(String(repeating: "内部资料 会议纪要 第一季度\n", count: 20_000).utf8)
        let gzip = try f.run("gzip", ["-c"], stdin: text)
        try f.write("a.txt", text)
        try f.run("zip", ["-q", "a.zip", "a.txt"])
        for (bytes, name) in [(gzip, "a.gz"), (try f.read("a.zip"), "a.zip")] {
            let limits = InspectionLimits(maxDecodedBytes: 100_000)
            let expected = ["\(name): limit exceeded: more than 100000 bytes decoded or unpacked from the input"]
            for chunk in [1, 7, 4096, bytes.count] {
                let sink = inspect(bytes, name: name, chunkSize: chunk, limits: limits)
                #expect(sink.reasons == expected, "\(name), reads of \(chunk): \(sink.reasons)")
            }
        }
    }

    /// An RTF from the fuzzer: GBK bytes (raw and escaped) around a tar — its text must not
    /// depend on where reads end (a double-byte character cut by a chunk's end).
    static let rtfAcrossChunks: [UInt8] = Array(Data(base64Encoded: [
            "e1xydGYxXGFuc2lcYW5zaWNwZzkzNntcZm9udHRibHtcZjBcZmNoYXJzZXQxMzQgXCdjYlwnY2U7fX17XGluZm97XHRpdGxlIHR9",
            "fVx1YzFcZjBcJ2JiXCdmYVx1MjM0OTTPz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz88/XHBhcntcKlxmbGRpbnN0IEhZUEVS",
            "TElOSyB4fXtccGljdCAwMTAwfVxiaW4yIGFie1xvYmplY3R7XCpcb2JqZGF0YSAwMTA1MDAwMDAyMDAwMDAwfX19Li9QYXhIZWFk",
            "ZXJzL2RkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRk",
            "ZGRkZGRkZGRkZGRkZGRkZDAwMDA2NDQAMDAwMDAwMAAwMDAwMDAwADAwMDAwMDAwMzM1ADE1MzA1NDUyNDEyADAzMTI3NQAgeAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB1c3RhcgAwMAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAxMzEgcGF0aD1kZGRkZGRkZGRkZGRk",
            "ZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRk",
            "ZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGQvCjMwIG10aW1lPTE3OTY2MjU2NzQuMDkyOTM2NzM0CjMwIGF0aW1lPTE3",
            "OTY2MjU2NzQuMDk2OTM2NzM0CjMwIGN0aW1lPTE3OTY2MjU2NzQuMDkyOTM2NzM0CgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRk",
            "ZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGQwMDAwNzU1ADAw",
            "MDAwMDAAMDAwMDAwMAAwMDAwMDAwMDAwMAAxNTMwNTQ1MjQxMgAwMzQ0NzUAIDUAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAdXN0",
            "YXIAMDByb290AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAHJvb3QAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAMDAwMDAw",
            "MAAwMDAwMDAwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRk",
            "ZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZDAwMDA2NDQAMDAwMDAwMAAwMDAwMDAw",
            "ADAwMDAwMDAwMzQ3ADE1MzA1NDUyNDEyADAzMTU0MwAgeAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB1c3RhcgAwMAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAxNDEgcGF0aD1kZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRk",
            "ZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGQvbWFya2Vk",
            "LnR4dAozMCBtdGltZT0xNzk2NjI1Njc0LjA5NTcwNTY4NAozMCBhdGltZT0xNzk2NjI1Njc0LjA5NjkzNjczNAozMCBjdGltZT0x",
            "Nzk2NjI1Njc0LjA5NTcwNTY4NAoAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRk",
            "ZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGQwMDAwNjQ0ADAwMDAwMDAAMDAwMDAwMAAwMDAwMDAwMDA2MAAxNTMwNTQ1MjQxMgAw",
            "MzQ0NzMAIDAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAdXN0YXIAMDByb290AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAHJv",
            "b3QAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAMDAwMDAwMAAwMDAwMDAwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA5py65a+G4piFMTDl",
            "ubQK5YaF6YOo6LWE5paZIDExMDEwMTE5OTAwMzA3NDUxNA0KAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAuL1BheEhlYWRlcnMvbWFya2VkLnR4dAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "MDAwMDY0NAAwMDAwMDAwADAwMDAwMDAAMDAwMDAwMDAxMzEAMTUzMDU0NTI0MTIAMDEyMjc1ACB4AAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAHVzdGFyADAwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAADMwIG10aW1lPTE3OTY2MjU2NzQuMDAyMjE1ODcxCjI5IGF0aW1l",
            "PTE3OTY2MjU2NzQuMDA0OTM2NzMKMzAgY3RpbWU9MTc5NjYyNTY3NC4wMDIyMTU4NzEKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAbWFya2VkLnR4dAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAADAwMDA2NDQAMDAwMDAwMAAwMDAwMDAwADAw",
            "MDAwMDAwMDYwADE1MzA1NDUyNDEyADAxMzA1NQAgMAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB1c3RhcgAwMHJvb3QAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAcm9vdAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAwMDAwMDAwADAwMDAwMDAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAADmnLrlr4bimIUxMOW5tArlhoXpg6jotYTmlpkgMTEwMTAxMTk5MDAzMDc0NTE0DQoAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ].joined())!)

    /// An RTF from the fuzzer whose embedded object ends while text is pending: the object's
    /// part must not begin while the document's is open.
    static let rtfObjectWhileTextOpen: [UInt8] = Array(Data(base64Encoded: [
            "e1xydGYxXGFuc2lcYW5zaWNwZzQ2OHtcZm9udHRibHtcZjBcZmNoYXJzZXQxMzQgXCdjYlwnY2U7fX17XGluZm97XHRpdGxlIHR9",
            "fVx1YzFcZjBcJ2JiXCdmYVx1MjM0OTQ/XHBhcntcKlxmbGppbnNJTksgeH17XHBpY3QgMDEwMH1cYmluMiBhYntcb2JqZWN0Antc",
            "cnVjMVxmMFwnYmJcJ2ZhXHUyMzQ5ND9ccGFye1wqXGZsZGluc3QgSFlQRVJMSU5LIHh9e1xwaWN0IDAxMDB9XGJpbjIgYWJ7XG9i",
            "amVjdHtcKlxvYjx3OnQ+IDAxMDUwe1wqXG9iamRhdGEgMDEwNTAwMDAwMjAwMDAwMH19MDAwMDIwMDAwMDB9fX19",
        ].joined())!)

    @Test("RTF: text across chunk edges, and an object finished while text was pending, read the same whatever the reads")
    func rtfFindings() {
        for bytes in [Self.rtfAcrossChunks, Self.rtfObjectWhileTextOpen] {
            // inspectAllWays compares 1, 7 and 4,096-byte reads with the whole; the sink checks parts never interleave.
            _ = inspectAllWays(bytes, name: "fuzz")
        }
    }

    /// An RTF from the fuzzer in a code page iconv does not know (872): its bytes, read as
    /// UTF-8, must not depend on where reads end.
    static let rtfUnknownCodePage: [UInt8] = Array(Data(base64Encoded: [
            "e1xydGYxXGFuc2lcYW5zaWNwZzg3MntcZgAAAAAAAAAAAFVULUY4GAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAADx3",
            "OnA+PHc6cj48dzp0IHhtbDpzcGFOTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTmxlPiYjMjA4NzA7JiMzNzA5NjsmIzM2ODkw",
            "OyYjMzA2OTM7PC90aW9jZXNzaW5nbWwvMjAwNi9tYWkBPCFET0NUWVBFIGg8jnAvGGRkZWg8PjwKbVsAAAAAAAAATwYAAAAAAAAA",
            "AAAAAAAAADx3OnQ+5YaF6YOodzMuZ3JnL3k+CnV0ZjMyb3BwaD4KYWR3OnQ+5YaF6YOo7ZaH5LsAAAAAAADuPC93OnI+ZW5jb2Rp",
            "bmc9IkdCMTgwMzAiPHc6cj48dzp0PuWGhemDqO2Wh+S7tjxlbnQ8ZWhhZD4KPD5tZf///////z7lhoXpg6jtlofkuwAAAAAAAP//",
            "/////////////////////////////////////////////////////z7lhoXpg6jtlocAAAAAAAAAAAAAAAAAPHc6dD7lhoXpg6jt",
            "lofkuyMAAAAAAO48L3c6cj48dzpyPjx3biI+PHc6Ym9kcHl3OnQ+5YaF6YOo7ZaH5Lu2PGVudDxoZWFkPgo8Pm1l/////3RoNjky",
            "OzwvdGh0dHA6Ly93d3cudzP//36r894NCHV0ZjMyb3BwaD4KYWR3OnQ+5YaF6YOo7ZaH5LsAAAAAAADuPC93OnI+PHc6cj48dzp0",
            "PuWGhemDqO2Wh+S7tjxlbnQ8aGVhZD4KPDx3OnQ+5YaF6YOo7ZaH5LsjAAAAAADuPC93OnI+PHc6cj48dzp0PuWGhemDqO2Wh+S7",
            "tjxlbnQ8aGVhZD4KPD5tZf////90aDY5Mjs8L3RodHRwOi8vd3d3Lncz//9+q/PeDQh1dGYzMm9wcGg+CmFkdzp0PuWGhemDqO2W",
            "h+S7AAAAAAAA7jwvdzpyPjx3OnI+PHc6dD7lhoXpg6jtlofku7Y8ZW50PGhlYWQ+PDo+Pjx3OnI+PHc6dHQgeG1sOgAAAAAAAE5O",
            "TnA6cD4qb1xcYmpkYXROTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5jZT0icHJlc2VyZSI+5Zu95Y+R44CUMjAy",
            "M+OAlTXlOzw0L3A+CjxoPHc6dD5leHRlbjw/ZGVkLXByb3BlcnRpZXMyMDg1MTsmOTY7JiNENjgxMDsmaHRtbD4KPGh0bQAAAAAA",
            "AAAAAAAAAAA+CkJoZWFsYW4nPSJ6my1DTiI+CjxoZWFkRC02Ij4KPHRpdGxlPiYjMjA4NzA7JiMzNzA5NjsmIzM2ODkwOyYjMzA2",
            "OTM7PC90aW9jZXNzaW5nbWwvMjAwNi9tYWluIj48dzpib2RweXc8Oj4+PHc6cj48dzp0dCB4bWw6AAAAAAAATk5OcGFjZT0icHJl",
            "c2EgMDEwNTAwMDAwCjw+bWX/////dHk+Cmg+CmFkZWg8PjwKbVuDqO2Wh+S7AAAAAAAA7jwvdzpyPjx3OnI+PHc6dD7lhoXpg6jt",
            "lofku7Y8ZW50PC8+YWQ+Cjw+bWX/////dGg2PCFbQ0RBVEFbdHddXf//////////////////////////////////////////////",
            "/////////////////////////////////////////////////////////////////wAA7jwvdzpyPjx3OnI+PHc6dD7lhoXpg6jt",
            "lofku+S7AAAAAAAA7jwvdzpyPjx3OnI+PHc6dD7lhoXpg6jtlofku7Y8ZW50PC8+YWQ+Cjw+bWX//wD6dGg2OTM7PC90aHR0cDIw",
            "Ym9keT48L3c6ZG86Ly93d3cudzNjMDB1bWUwMDBufX10Pn0uZ3JnL3RYTUwvMTk5OzE5OTgvbmFtZXNzYTA5NjsmI9PJBgAAAAAA",
            "AAA2OTO7HBwcHOPj4zwvaHRtbD4K",
        ].joined())!)

    @Test("RTF in an unknown code page reads the same fed whole, 11 bytes and one byte at a time")
    func rtfUnknownCodePageChunks() throws {
        func texts(_ chunk: Int) throws -> [String: String] {
            let sink = RecordingSink()
            var source = MemoryByteSource(Self.rtfUnknownCodePage)
            _ = try Inspector(limits: InspectionLimits(chunkSize: chunk)).inspect(&source, name: "fuzz", kind: .rtf, into: sink, drain: false)
            return sink.texts
        }
        let whole = try texts(Self.rtfUnknownCodePage.count)
        #expect(try texts(11) == whole)
        #expect(try texts(1) == whole)
        #expect(RTFDecoder.completeUTF8Prefix(Array("机".utf8).dropLast().map { $0 }) == 0)
        #expect(RTFDecoder.completeUTF8Prefix(Array("a机".utf8)) == 4)
    }

    /// A tar.gz from the fuzzer with text after its end: the trailing data's part must be
    /// closed before the member names are read.
    static let tarNamesAfterTrailer: [UInt8] = Array(Data(base64Encoded: [
            "ITxhcmNoPgpkZWJpYW4tYmluYXJ5LyAgMCAgICAgICAgICAgMCAgICAgMCAgICAgNjQ0ICAgICA0ICAgICAgICAgYAoyLjAKdXN0",
            "YXIudGFyLmd6LyAgIDAgICAgICAgICAgIDAgICAgIDAgICAgIDY0NCAgICAgMzU0ICAgICAgIGAKH4sICApVFmsAA3VzdGFyLnRh",
            "cgDt1L9Lw0AUB/DMAf+Ha4Ruae+SS0vpeaG0HVzUIUspHQLNELQ/uEbJrq3gHyAK/gHdHNRB/xwhwf4XHmYQOlgEqwjfT4Y7eHnc",
            "u4T3RqE6joaVJE2MraFajfOPVVtfdZAazHOpxz2HM8egTO89g9DtlfTpdJaESpeiJpMvP8Gm+Prl/on87iW7X7zezBnNnh/NbDFf",
            "nS/fni7y61vCGNUPazQodWmde4zvmH9dL/ysaJzESRzNKunoZFtnbOp/x3HX+587FP3/G4Svfzw5i9Qsnoz3LFahli9NUeoctoPe",
            "UZco0hel7kGwH/RIRKxiXFhyoN9RJNQJlhSlfrvTClr9YniIYnrIwUCWo2Z5N63V3VazHI6mTZFWpU4X/jQmwzAJfZ1r2yR/WK4u",
            "r4htS1FVEiMGAAAAAAAAAAAAmAAAAAAA4DveAUlRzfUAKAAAbWFya2VkLnR4dC8gICAgIDAgICAgICAgICAgIDAgICAgIDAgICAg",
            "IDY0NCAgICAgNDggICAgICAgIGAK5py65a+G4piFMTDlubQK5YaF6YOo6LWE5paZIDExMDEwMTE5OTAwMzA3NDUxNA0K",
        ].joined())!)

    @Test("a tar's names part does not open while its trailing data's part is open")
    func tarNamesAfterTrailerFinding() {
        _ = inspectAllWays(Self.tarNamesAfterTrailer, name: "fuzz")
    }
}
