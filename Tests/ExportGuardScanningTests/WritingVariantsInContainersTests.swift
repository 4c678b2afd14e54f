import ExportGuardCore
import ExportGuardInspection
import ExportGuardPolicy
import Foundation
import Testing
@testable import ExportGuardScanning

/// The same variants as ``WritingVariantsTests``, in files written by the tools that write
/// them: python-docx, odfpy, Python's `json`, `urllib`, `quopri` and `base64`, HTML and SVG
/// as browsers and editors write them, and a zip around a text file.
@Suite("Writing variants in documents and encodings")
struct WritingVariantsInContainersTests {
    func scan(_ bytes: [UInt8], name: String) -> ScanReport { DefaultPolicyScanner.scan(bytes, name: name) }

    func summary(_ report: ScanReport) -> String {
        "\(report.verdict) \(report.assessment.findings.map { "\($0.detector) \($0.excerpt) @\($0.location)" }) \(report.assessment.uninspected.map(\.reason))"
    }

    // MARK: Documents

    @Test("python-docx: a line break inside a run, a tab, and Insert › Symbol's Wingdings star")
    func wordSymbolsAndBreaks() throws {
        let w = try TestWorkspace()
        try w.python("""
            import sys, docx
            from docx.oxml import OxmlElement
            from docx.oxml.ns import qn
            d = docx.Document()
            p = d.add_paragraph()
            r = p.add_run("机")
            r.add_break()
            p.add_run("密")
            sym = OxmlElement("w:sym")
            sym.set(qn("w:font"), "Wingdings")
            sym.set(qn("w:char"), "F0AB")
            p.add_run()._r.append(sym)
            p.add_run("10年")
            q = d.add_paragraph()
            t = q.add_run("绝")
            t.add_tab()
            q.add_run("密\\uf0ab长期")
            d.save(sys.argv[1])
            """, ["marked.docx"])
        let report = scan(try w.read("marked.docx"), name: "marked.docx")
        #expect(report.verdict == .block, "\(summary(report))")
        let markings = report.assessment.findings.filter { $0.detector == "classification-marking" }
        #expect(markings.contains { $0.excerpt.contains("★10年") }, "\(summary(report))")
        #expect(markings.contains { $0.excerpt.contains("长期") }, "\(summary(report))")
    }

    @Test("python-docx: identifiers, designators and character variants in a table")
    func wordTableVariants() throws {
        let w = try TestWorkspace()
        try w.python("""
            import sys, docx
            d = docx.Document()
            d.add_paragraph("人员名单（内部）")
            t = d.add_table(rows=3, cols=3)
            rows = [("张三", "110101 19900307 1006", "138-1234-5678"),
                    ("李四", "110101-19900307-117x", "六一三九八部队"),
                    ("王五", "第61398号部队", "絶密★長期")]
            for r, values in zip(t.rows, rows):
                for cell, value in zip(r.cells, values):
                    cell.text = value
            d.save(sys.argv[1])
            """, ["roster.docx"])
        let report = scan(try w.read("roster.docx"), name: "roster.docx")
        let found = Set(report.assessment.findings.map(\.detector))
        #expect(found.isSuperset(of: ["resident-id", "mobile-number", "pla-unit", "classification-marking"]), "\(summary(report))")
        #expect(report.verdict == .block, "\(summary(report))")
    }

    @Test("odfpy: text:s, text:tab and text:line-break inside a marking")
    func openDocumentSpaces() throws {
        let w = try TestWorkspace()
        try w.python("""
            import sys
            from odf.opendocument import OpenDocumentText
            from odf.text import P, S, Tab, LineBreak
            doc = OpenDocumentText()
            p = P()
            p.addText("机")
            p.addElement(LineBreak())
            p.addText("密")
            p.addElement(S())
            p.addText("★")
            p.addElement(Tab())
            p.addText("10年")
            doc.text.addElement(p)
            doc.save(sys.argv[1])
            """, ["marked.odt"])
        let report = scan(try w.read("marked.odt"), name: "marked.odt")
        #expect(report.verdict == .block, "\(summary(report))")
    }

    @Test("HTML with &nbsp; and <br>, SVG tspans, and empty elements in generic XML")
    func markupSeparators() {
        let html = "<!DOCTYPE html><html><body><p>会议纪要：机&nbsp;密<br>★&nbsp;10年</p></body></html>"
        #expect(scan(Array(html.utf8), name: "page.html").verdict == .block)
        let svg = #"<svg xmlns="http://www.w3.org/2000/svg"><text x="0" y="10"><tspan>机</tspan><tspan x="20">密★10年</tspan></text></svg>"#
        #expect(scan(Array(svg.utf8), name: "stamp.svg").verdict == .block)
        let xml = #"<?xml version="1.0"?><record><note>机<x/>密★10年</note></record>"#
        #expect(scan(Array(xml.utf8), name: "export.xml").verdict == .block)
    }

    // MARK: Encodings inside text

    @Test("json.dumps output: \\u escapes are read, with their own location")
    func jsonEscapes() throws {
        let w = try TestWorkspace()
        try w.python("""
            import json, sys
            rows = [{"id": 1, "note": "会议纪要"}, {"id": 2, "note": "机密★10年，请勿外传"}]
            open(sys.argv[1], "w").write(json.dumps(rows, indent=1))
            """, ["export.json"])
        let bytes = try w.read("export.json")
        #expect(!bytes.contains(0xE6), "json.dumps escapes non-ASCII by default")
        let report = scan(bytes, name: "export.json")
        #expect(report.verdict == .block, "\(summary(report))")
        let marking = report.assessment.findings.first { $0.detector == "classification-marking" }
        #expect(marking?.location.description.hasPrefix("export.json:8!unicode-escapes") == true, "\(summary(report))")
    }

    @Test("percent-encoding in URLs and form bodies, quoted-printable and base64 pasted into text")
    func encodedRuns() throws {
        let w = try TestWorkspace()
        try w.python("""
            import base64, quopri, sys, urllib.parse
            secret = "会议纪要 机密★10年 内容".encode()
            lines = ["see https://x.example/search?q=" + urllib.parse.quote("机密★10年"),
                     "form: name=" + urllib.parse.quote_plus("国家秘密 文件", encoding="gbk"),
                     quopri.encodestring(secret * 3).decode(),
                     "-----BEGIN NOTE-----", base64.encodebytes(secret * 4).decode().strip(), "-----END NOTE-----",
                     "![x](data:text/plain;base64," + base64.b64encode(secret).decode() + ")",
                     "attachment:", base64.encodebytes(("第一行\\n" + "绝密★长期\\n" * 3).encode()).decode()]
            open(sys.argv[1], "w").write("\\n".join(lines) + "\\n")
            """, ["notes.txt"])
        let report = scan(try w.read("notes.txt"), name: "notes.txt")
        #expect(report.verdict == .block, "\(summary(report))")
        let locations = Set(report.assessment.findings.map(\.location.description))
        for kind in ["percent-encoded", "quoted-printable", "base64"] {
            #expect(locations.contains { $0.contains("!\(kind)") }, "\(kind): \(locations)")
        }
        #expect(report.assessment.uninspected.isEmpty, "\(summary(report))")
    }

    @Test("base64 in a text file inside a zip keeps the whole location chain")
    func base64InZip() throws {
        let w = try TestWorkspace()
        try w.python("""
            import base64, sys, zipfile
            text = "附件如下：\\n" + base64.encodebytes("会议纪要\\n机密★10年\\n".encode() * 5).decode()
            with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("notes.txt", text)
            """, ["bundle.zip"])
        let report = scan(try w.read("bundle.zip"), name: "bundle.zip")
        #expect(report.verdict == .block, "\(summary(report))")
        let marking = report.assessment.findings.first { $0.detector == "classification-marking" }
        #expect(marking?.location.description.hasPrefix("bundle.zip!notes.txt:2!base64") == true, "\(summary(report))")
    }

    @Test("hashes, keys, tokens and certificates in text are not runs to report")
    func benignEncodings() throws {
        let w = try TestWorkspace()
        try w.python("""
            import base64, hashlib, os, sys, random
            random.seed(7)
            key = bytes(random.getrandbits(8) for _ in range(300))
            lines = ["sha256 " + hashlib.sha256(b"x").hexdigest(),
                     "ssh-ed25519 " + base64.b64encode(key[:51]).decode() + " user@host",
                     base64.b64encode(key).decode(),
                     "discount 50% for 3 days, x=1, y=2 =D0 alone",
                     "path C:\\\\Users\\\\name\\\\u0041.txt"]
            open(sys.argv[1], "w").write("\\n".join(lines) + "\\n")
            """, ["config.txt"])
        let report = scan(try w.read("config.txt"), name: "config.txt")
        #expect(report.verdict == .allow, "\(summary(report))")
        #expect(report.assessment.uninspected.isEmpty, "\(summary(report))")
    }

    @Test("a PGP signature or public key block is no content to report")
    func signatureBlocks() {
        let blob = Data((0..<120).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }).base64EncodedString(options: .lineLength64Characters)
        for label in ["PGP SIGNATURE", "PGP PUBLIC KEY BLOCK"] {
            let text = "signed text\n-----BEGIN \(label)-----\nVersion: GnuPG v2\n\n\(blob)\n-----END \(label)-----\nafter\n"
            let report = scan(Array(text.utf8), name: "mail.txt")
            #expect(report.verdict == .allow && report.assessment.uninspected.isEmpty, "\(label): \(summary(report))")
        }
    }

    @Test("a PEM block of unknown binary is reported, never passed silently")
    func framedBinary() throws {
        var random = SystemRandomNumberGenerator()
        let blob = (0..<300).map { _ in UInt8.random(in: 0...255, using: &random) }
        let text = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Data(blob).base64EncodedString(options: .lineLength64Characters) + "\n-----END OPENSSH PRIVATE KEY-----\n"
        let report = scan(Array(text.utf8), name: "id_key.txt")
        #expect(report.assessment.uninspected.contains { $0.location.description.hasPrefix("id_key.txt:2!base64") }, "\(summary(report))")
        #expect(report.verdict != .allow)
    }
}
