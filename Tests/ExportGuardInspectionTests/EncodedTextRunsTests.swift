import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardInspection

/// Runs of other encodings inside plain text, read as parts of their own, the same however
/// the text arrives.
@Suite("Encoded runs in text")
struct EncodedTextRunsTests {
    @Test("each kind of run becomes a part named by its line, at any chunk size")
    func runsAsParts() {
        let secret = Array("机密★10年".utf8)
        let base64Line = Data(secret + secret + secret).base64EncodedString()
        let text = """
            title
            {"note": "\\u673a\\u5bc6\\u260510\\u5e74", "id": 7}
            q=%E6%9C%BA%E5%AF%86 and more
            =E6=9C=BA=E5=AF=86=E2=98=85=
            10=E5=B9=B4
            \(base64Line)
            -----BEGIN NOTE-----
            \(Data(secret).base64EncodedString())
            -----END NOTE-----
            end
            """
        let sink = inspectAllWays(Array(text.utf8), name: "notes.txt")
        #expect(sink.texts["notes.txt:2!unicode-escapes"] == "机密★10年")
        #expect(sink.texts["notes.txt:3!percent-encoded"] == "机密")
        #expect(sink.texts["notes.txt:4!quoted-printable"] == "机密★10年")
        #expect(sink.texts["notes.txt:6!base64"] == "机密★10年机密★10年机密★10年")
        #expect(sink.texts["notes.txt:8!base64"] == "机密★10年")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("lines longer than a piece are looked at in the same pieces however the chunks fall")
    func longLines() {
        var line = String(repeating: "a", count: EncodedTextRuns.maximumLine - 10)
        line += #""\u673a\u5bc6" tail "# + String(repeating: "b", count: 70_000) + #" "\u5bc6\u7ea7""#
        let sink = inspectAllWays(Array((line + "\nnext\n").utf8), name: "long.txt")
        #expect(sink.texts["long.txt:1!unicode-escapes"] != nil)
    }

    @Test("a PEM block without its END line does not stop base64 from being read after it")
    func unterminatedPEM() {
        let block = Data(Array("机密★10年".utf8) + Array("机密★10年".utf8) + Array("机密★10年".utf8)).base64EncodedString()
        let text = "-----BEGIN PGP SIGNATURE-----\nVersion: x\n\nAAAA\nthen prose follows\n\(block)\n"
        let sink = inspectAllWays(Array(text.utf8), name: "cut.txt")
        #expect(sink.texts["cut.txt:6!base64"] == "机密★10年机密★10年机密★10年", "\(sink.texts.keys.sorted())")
    }

    @Test("ordinary text with %, = and backslashes holds no runs")
    func noRuns() {
        let text = "50% off, x=1, a\\b, =A0 alone, %E6 alone, C:\\u0041\nsha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n"
        let sink = inspectAllWays(Array(text.utf8), name: "plain.txt")
        #expect(sink.texts.keys.sorted() == ["plain.txt"])
    }
}
