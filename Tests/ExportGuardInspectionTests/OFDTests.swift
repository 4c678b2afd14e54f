import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardInspection

/// OFD (GB/T 33190-2016), China's fixed-layout format for official documents and
/// e-invoices: a zip of XML parts, built here as a signed invoice would be.
@Suite("OFD: pages, annotations, custom tags, attachments and seal signatures")
struct OFDTests {
    static let namespace = "xmlns:ofd=\"http://www.ofdspec.org/2016\""

    /// Writes the parts of a one-page OFD with an annotation, a custom tag, an attachment
    /// and two signatures (a CMS one and a bare certificate, as seal formats vary), and zips it.
    static func invoice(_ f: Fixtures) throws -> URL {
        let parts: [(String, String)] = [
            ("OFD.xml", "<ofd:OFD \(namespace) Version=\"1.0\" DocType=\"OFD\"><ofd:DocBody><ofd:DocInfo><ofd:DocID>a1</ofd:DocID><ofd:Title>电子发票</ofd:Title><ofd:CustomDatas><ofd:CustomData Name=\"购买方\">张伟</ofd:CustomData></ofd:CustomDatas></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot><ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody></ofd:OFD>"),
            ("Doc_0/Document.xml", "<ofd:Document \(namespace)><ofd:CommonData><ofd:MaxUnitID>9</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 140</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages><ofd:Page ID=\"1\" BaseLoc=\"Pages/Page_0/Content.xml\"/></ofd:Pages><ofd:Annotations>Annots/Annotations.xml</ofd:Annotations><ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments><ofd:CustomTags>Tags/CustomTag.xml</ofd:CustomTags></ofd:Document>"),
            ("Doc_0/Pages/Page_0/Content.xml", "<ofd:Page \(namespace)><ofd:Content><ofd:Layer ID=\"2\"><ofd:TextObject ID=\"3\" Boundary=\"10 10 120 8\" Font=\"4\" Size=\"4\"><ofd:TextCode X=\"0\" Y=\"4\" DeltaX=\"g 5 4\">机密★10年</ofd:TextCode></ofd:TextObject><ofd:TextObject ID=\"5\" Boundary=\"10 20 120 8\" Font=\"4\" Size=\"4\"><ofd:TextCode X=\"0\" Y=\"4\">11010119800101103X</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>"),
            ("Doc_0/Annots/Annotations.xml", "<ofd:Annotations \(namespace)><ofd:Page PageID=\"1\"><ofd:FileLoc>Page_0/Annotation.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>"),
            ("Doc_0/Annots/Page_0/Annotation.xml", "<ofd:PageAnnot \(namespace)><ofd:Annot ID=\"6\" Type=\"Stamp\" Creator=\"审核员\"><ofd:Remark>内部资料 不得外传</ofd:Remark></ofd:Annot></ofd:PageAnnot>"),
            ("Doc_0/Tags/CustomTag.xml", "<ofd:CustomTags \(namespace)><ofd:CustomTag TypeID=\"invoice\"><ofd:FileLoc>Tag_invoice.xml</ofd:FileLoc></ofd:CustomTag></ofd:CustomTags>"),
            ("Doc_0/Tags/Tag_invoice.xml", "<fp:Invoice xmlns:fp=\"urn:invoice\"><fp:BuyerName>王芳</fp:BuyerName><fp:BuyerTaxID>310104197512311378</fp:BuyerTaxID></fp:Invoice>"),
            ("Doc_0/Attachs/Attachments.xml", "<ofd:Attachments \(namespace)><ofd:Attachment ID=\"7\" Name=\"名单\" Format=\"csv\"><ofd:FileLoc>ids.csv</ofd:FileLoc></ofd:Attachment></ofd:Attachments>"),
            ("Doc_0/Attachs/ids.csv", "李娜,440305199202291741\n"),
            ("Doc_0/Signs/Signatures.xml", "<ofd:Signatures \(namespace)><ofd:Signature ID=\"1\" BaseLoc=\"Sign_0/Signature.xml\"/><ofd:Signature ID=\"2\" BaseLoc=\"Sign_1/Signature.xml\"/></ofd:Signatures>"),
            ("Doc_0/Signs/Sign_0/Signature.xml", "<ofd:Signature \(namespace)><ofd:SignedInfo><ofd:Provider ProviderName=\"seal\"/></ofd:SignedInfo><ofd:SignedValue>/Doc_0/Signs/Sign_0/SignedValue.dat</ofd:SignedValue></ofd:Signature>"),
            ("Doc_0/Signs/Sign_1/Signature.xml", "<ofd:Signature \(namespace)><ofd:SignedInfo><ofd:Provider ProviderName=\"seal\"/></ofd:SignedInfo><ofd:SignedValue>/Doc_0/Signs/Sign_1/SignedValue.dat</ofd:SignedValue></ofd:Signature>"),
        ]
        for (path, text) in parts { try f.write("ofd/\(path)", path.hasSuffix(".xml") ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + text : text) }
        try f.run("openssl", ["req", "-utf8", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                              "-days", "1", "-subj", "/CN=电子发票专用章/O=Example Ltd"])
        try f.run("openssl", ["cms", "-sign", "-binary", "-in", "ofd/Doc_0/Signs/Sign_0/Signature.xml", "-signer", "cert.pem", "-inkey", "key.pem",
                              "-outform", "DER", "-out", "ofd/Doc_0/Signs/Sign_0/SignedValue.dat"])
        try f.run("openssl", ["x509", "-in", "cert.pem", "-outform", "DER", "-out", "ofd/Doc_0/Signs/Sign_1/SignedValue.dat"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sh", "-c", "cd ofd && zip -q -r ../invoice.ofd ."]
        process.currentDirectoryURL = f.directory
        try process.run()
        process.waitUntilExit()
        return f.url("invoice.ofd")
    }

    @Test("a signed OFD invoice: page text, annotation, custom tag, attachment read; its seals are signatures, not review")
    func signedInvoice() throws {
        let f = try Fixtures()
        let sink = try inspectFile(try Self.invoice(f))
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        let texts = sink.texts
        let page = texts["invoice.ofd!Doc_0/Pages/Page_0/Content.xml"] ?? ""
        #expect(page.contains("机密★10年\n") && page.contains("11010119800101103X"), "\(texts)")
        #expect(texts["invoice.ofd!Doc_0/Annots/Page_0/Annotation.xml"]?.contains("内部资料 不得外传") == true)
        #expect(texts["invoice.ofd!Doc_0/Tags/Tag_invoice.xml"]?.contains("310104197512311378") == true)
        #expect(texts["invoice.ofd!Doc_0/Attachs/ids.csv"] == "李娜,440305199202291741\n")
        #expect(texts["invoice.ofd!OFD.xml"]?.contains("张伟") == true)
        #expect(texts["invoice.ofd!Doc_0/Signs/Sign_1/SignedValue.dat"]?.contains("电子发票专用章") == true)
        let formats = Set(sink.media.map(\.format))
        #expect(formats == ["pkcs7-signature", "asn1"], "\(sink.media)")
    }

    @Test("a DER structure cut short, or with bytes after it, is corrupt")
    func damagedSeal() throws {
        let f = try Fixtures()
        try f.run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1", "-subj", "/CN=seal"])
        let der = try f.run("openssl", ["x509", "-in", "cert.pem", "-outform", "DER"])
        #expect(inspectAllWays(der, name: "seal.dat").media.map(\.format) == ["asn1"])
        #expect(inspectAllWays(Array(der.prefix(der.count - 10)), name: "cut.dat").uninspected.first?.1.code == .corrupt)
        #expect(inspectAllWays(der + Array("hidden text after the seal".utf8), name: "tail.dat").uninspected.first?.1.code == .corrupt)
    }
}
