import ExportGuardInspection
import ExportGuardPolicy
@testable import ExportGuardScanning
import Foundation
import Testing

@Suite("Pipelined scans: matching on a second thread finds what one thread finds")
struct PipelinedScanTests {
    /// A zip and a tar.gz of: a long text with identifiers and keywords, an XML export whose
    /// findings are located by element path, a docx with a marking, an image, a corrupt gzip
    /// and a nested gzip — every kind of event, over many batches.
    static func makeInputs(_ w: TestWorkspace) throws {
        try w.python("""
        import gzip, io, random, struct, tarfile, zipfile, zlib
        random.seed(5)
        def resident_id(body):
            weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
            return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
        words = ["会议", "纪要", "报告", "季度", "the", "report", "of", "项目", "测试"]
        lines = []
        for k in range(6000):
            line = " ".join(random.choice(words) for _ in range(12))
            if k % 500 == 7: line += " 身份证号 " + resident_id("1101011990%02d%02d123" % (k % 12 + 1, k % 28 + 1))
            if k % 900 == 3: line += " 绝密★长期"
            if k % 700 == 5: line += " 内部资料 不得外传"
            lines.append(line)
        text = "\\n".join(lines).encode()
        records = "".join("<record id='%d'><name>%s</name><note>%s</note></record>\\n" % (k, random.choice(words), l)
                          for k, l in enumerate(lines[:3000]))
        xml = ("<?xml version='1.0' encoding='UTF-8'?><export>" + records + "</export>").encode()
        document = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                    + "".join("<w:p><w:r><w:t>%s</w:t></w:r></w:p>" % l for l in lines[:2000]) + "</w:body></w:document>")
        docx = io.BytesIO()
        with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
            z.writestr("word/document.xml", document)
        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        png = (b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
               + chunk(b"IDAT", zlib.compress(b"\\x00\\x00")) + chunk(b"IEND", b""))
        members = {
            "notes.txt": text, "export.xml": xml, "report.docx": docx.getvalue(), "picture.png": png,
            "broken.gz": gzip.compress(text)[:len(gzip.compress(text)) // 2], "nested.txt.gz": gzip.compress(text[::-1].decode(errors="ignore").encode()),
        }
        with zipfile.ZipFile("bundle.zip", "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members.items():
                z.writestr(name, data)
        with tarfile.open("bundle.tar.gz", "w:gz") as t:
            for name, data in members.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
        """)
    }

    @Test("the same assessment, findings, locations and byte counts for zip, tar.gz, text and XML")
    func sameAsOneThread() throws {
        let w = try TestWorkspace()
        try Self.makeInputs(w)
        let scanner = ContentScanner(compiled: DefaultPolicyScanner.compiled, limits: InspectionLimits())
        for name in ["bundle.zip", "bundle.tar.gz"] {
            let path = w.directory.appendingPathComponent(name).path
            let direct = try scanner.scan(path: path)
            let pipelined = try scanner.scan(path: path, pipelined: true)
            #expect(direct.verdict == .block)
            #expect(direct.assessment.findings.count > 20)
            #expect(direct.assessment.findings.contains { "\($0.location)".contains("export.xml#export/record[") })
            #expect(direct.assessment.uninspected.contains { "\($0.location)".hasSuffix("broken.gz") }, "\(direct.assessment.uninspected)")
            #expect(pipelined.assessment == direct.assessment, "\(name)")
            #expect(pipelined.stats.bytes == direct.stats.bytes && pipelined.stats.decodedBytes == direct.stats.decodedBytes)
        }
    }

    @Test("a scan that stops at the first block stops there, also when binary members follow and pipelining is asked for")
    func stopsBeforeBinaryMembers() throws {
        let w = try TestWorkspace()
        try w.python("""
        import os, zipfile
        with zipfile.ZipFile("marked.zip", "w", zipfile.ZIP_STORED) as z:
            z.writestr("secret.txt", "会议纪要：绝密★长期".encode())
            for k in range(3):
                z.writestr("blob%d.bin" % k, os.urandom(2 << 20))
        """)
        let scanner = ContentScanner(compiled: DefaultPolicyScanner.compiled, limits: InspectionLimits())
        let report = try scanner.scan(path: w.directory.appendingPathComponent("marked.zip").path, stopAtBlock: true, pipelined: true)
        #expect(report.verdict == .block)
        #expect(report.stats.stoppedAtBlock)
        #expect(report.assessment.uninspected.isEmpty, "\(report.assessment.uninspected)")
    }

    @Test("stopping at the first block still stops, and a small input never starts the worker")
    func stopsAndSmallInputs() throws {
        let w = try TestWorkspace()
        try Self.makeInputs(w)
        let scanner = ContentScanner(compiled: DefaultPolicyScanner.compiled, limits: InspectionLimits())
        let path = w.directory.appendingPathComponent("bundle.tar.gz").path
        let stopped = try scanner.scan(path: path, stopAtBlock: true, pipelined: true)
        #expect(stopped.verdict == .block)
        #expect(stopped.stats.stoppedAtBlock)
        var small = MemoryByteSource(Array("绝密★长期".utf8))
        let report = try scanner.scan(&small, name: "small.txt", pipelined: true)
        #expect(report.verdict == .block)
        #expect(report.assessment == DefaultPolicyScanner.scan(Array("绝密★长期".utf8), name: "small.txt").assessment)
    }
}
