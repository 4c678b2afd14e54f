import ExportGuardCore
import Foundation
import Testing
@testable import ExportGuardInspection

/// A message written by hand, with LF or CRLF line endings.
private func message(_ text: String, crlf: Bool = false) -> [UInt8] {
    Array((crlf ? text.replacingOccurrences(of: "\n", with: "\r\n") : text).utf8)
}

/// Base64 of bytes in lines of 76 characters, as mail carries it.
private func base64Lines(_ bytes: [UInt8]) -> String {
    Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
}

/// RFC 2047 Q encoding of bytes (`=XX` for all but letters and digits).
private func qEncoded(_ bytes: [UInt8]) -> String {
    bytes.map { byte in
        let isAlphanumeric = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        return isAlphanumeric ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
    }.joined()
}

private func encodeGB2312(_ f: Fixtures, _ text: String) throws -> [UInt8] {
    try f.run("iconv", ["-f", "UTF-8", "-t", "GB2312"], stdin: Array(text.utf8))
}

@Suite("Mail: RFC 5322 headers, MIME parts, encodings")
struct MailTests {
    // MARK: Whole messages

    static let plain = """
        Return-Path: <zhang@example.cn>
        From: "张三" <zhang@example.cn>
        To: Li Si <li@example.cn>, wang@example.cn
        Cc: (王五) wangwu@example.cn, 项目组: a@example.cn, "赵, 六" <zhao@example.cn>;
        Subject: 会议纪要
         (续)
        Date: Mon, 1 Jan 2024 10:00:00 +0800
        Message-ID: <1@example.cn>

        第一行 机密★10年
        第二行

        """

    @Test("a plain message: header text by header, the body as part 1; LF and CRLF read alike")
    func plainMessage() {
        let expected = [
            "message.eml!From:": "张三",
            "message.eml!To:": "Li Si",
            "message.eml!Cc:": "王五, 项目组, 赵, 六",
            "message.eml!Subject:": "会议纪要 (续)",
            "message.eml!part 1": "第一行 机密★10年\n第二行\n",
        ]
        for crlf in [false, true] {
            let sink = inspectAllWays(message(Self.plain, crlf: crlf), name: "message.eml")
            #expect(sink.texts == expected, "crlf: \(crlf)")
            #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
            #expect(sink.parts.map(\.location.description) == [
                "message.eml!From:", "message.eml!To:", "message.eml!Cc:", "message.eml!Subject:", "message.eml!part 1",
            ])
        }
    }

    @Test("GB2312: an RFC 2047 B subject split mid-character across two words, a Q display name, an 8-bit body")
    func gb2312() throws {
        let f = try Fixtures()
        let subject = try encodeGB2312(f, "机密★文件")
        let first = Data(subject[0..<3]).base64EncodedString()
        let second = Data(subject[3...]).base64EncodedString()
        let name = try encodeGB2312(f, "王五")
        let head = """
            From: =?GB2312?Q?\(qEncoded(name))?= <wangwu@example.cn>
            To: =?gb2312?B?\(Data(try encodeGB2312(f, "李四")).base64EncodedString())?= <lisi@example.cn>
            Subject: =?GB2312?B?\(first)?=
             =?GB2312?B?\(second)?= (=?utf-8?Q?=E7=AC=AC_2_=E7=89=88?=)
            MIME-Version: 1.0
            Content-Type: text/plain; charset="gb2312"
            Content-Transfer-Encoding: 8bit


            """
        let bytes = Array(head.utf8) + (try encodeGB2312(f, "正文：机密★10年\n国家秘密\n"))
        for crlf in [false, true] {
            let input = crlf ? Array(String(decoding: Array(head.utf8), as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
                + (try encodeGB2312(f, "正文：机密★10年\r\n国家秘密\r\n")) : bytes
            let sink = inspectAllWays(input, name: "message.eml")
            #expect(sink.texts == [
                "message.eml!From:": "王五",
                "message.eml!To:": "李四",
                "message.eml!Subject:": "机密★文件 (第 2 版)",
                "message.eml!part 1": "正文：机密★10年\n国家秘密\n",
            ], "crlf: \(crlf)")
            #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        }
    }

    static func csvMessage(_ csv: String, crlf: Bool) -> [UInt8] {
        message("""
            MIME-Version: 1.0
            From: sender@example.cn
            To: receiver@example.cn
            Subject: 客户名单
            Content-Type: multipart/mixed; boundary="==BOUNDARY=="

            This is a multi-part message in MIME format: a preamble, not inspected.
            --==BOUNDARY==
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 7bit

            请查收附件。
            --==BOUNDARY==\t
            Content-Type: text/csv; charset=utf-8; name="customers.csv"
            Content-Disposition: attachment; filename="customers.csv"
            Content-Transfer-Encoding: base64

            \(base64Lines(Array(csv.utf8)))
            --==BOUNDARY==--
            An epilogue, not inspected either.

            """, crlf: crlf)
    }

    @Test("a base64 CSV attachment is a part named by its file name; preamble and epilogue are skipped")
    func base64Attachment() {
        let csv = "姓名,身份证号,电话\n张三,11010519491231002X,13800138000\n" + String(repeating: "李四,110101199003074514,13912345678\n", count: 20)
        for crlf in [false, true] {
            let sink = inspectAllWays(Self.csvMessage(csv, crlf: crlf), name: "message.eml")
            #expect(sink.texts == [
                "message.eml!Subject:": "客户名单",
                "message.eml!part 1": "请查收附件。",
                "message.eml!part 2 (customers.csv)!Content-Disposition:": "customers.csv",
                "message.eml!part 2 (customers.csv)": csv,
            ], "crlf: \(crlf)")
            #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        }
    }

    @Test("quoted-printable UTF-8: soft line breaks, escapes cut by a soft break, white space before a soft break")
    func quotedPrintable() {
        let text = """
            From: a@example.cn
            Subject: qp
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            =E6=9C=BA=E5=AF=86=E2=98=85 a long line wrapped with a soft break in the midd=
            le of a word, and a character cut between lines =E6=9C=
            =BA=E5=AF=86 end=20
            soft break after white space = \t
            done; a=3Db

            """
        let expected = "机密★ a long line wrapped with a soft break in the middle of a word, and a character cut between lines 机密 end \nsoft break after white space done; a=b\n"
        for crlf in [false, true] {
            let sink = inspectAllWays(message(text, crlf: crlf), name: "qp.eml")
            #expect(sink.texts == ["qp.eml!Subject:": "qp", "qp.eml!part 1": expected], "crlf: \(crlf)")
            #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        }
    }

    @Test("malformed quoted-printable is kept as text and reported")
    func malformedQuotedPrintable() {
        let text = """
            From: a@example.cn
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            price =G1 and =4 and =E6=9C=BA
            """
        let sink = inspectAllWays(message(text), name: "qp.eml")
        #expect(sink.texts == ["qp.eml!part 1": "price =G1 and =4 and 机"])
        #expect(sink.reasons == ["qp.eml!part 1: corrupt: quoted-printable: 2 malformed escapes kept as text"])
    }

    @Test("multipart/alternative: the HTML part reduced to text, charset converted, entities decoded")
    func alternativeHTML() throws {
        let f = try Fixtures()
        let html = "<html><head><style>p { color: red }</style><title>标题</title></head><body><p>机密&amp;文件</p><div>第二段&nbsp;内容 &#26426;&#x5BC6;&lt;b&gt;</div><script>var s = \"不要\";</script><!-- 注释 --><table><tr><td>甲</td><td>乙</td></tr></table>末尾<br>换行</body></html>"
        let head = """
            From: a@example.cn
            Subject: =?utf-8?B?6YCa55+l?=
            Content-Type: multipart/alternative; boundary="alt"

            --alt
            Content-Type: text/plain; charset=utf-8

            纯文本版本
            --alt
            Content-Type: text/html; charset=gb2312
            Content-Transfer-Encoding: base64

            \(base64Lines(try encodeGB2312(f, html)))
            --alt
            Content-Type: text/html

            <p>无字符集声明的&quot;网页&quot;</p>
            --alt--

            """
        let sink = inspectAllWays(message(head), name: "m.eml")
        #expect(sink.texts == [
            "m.eml!Subject:": "通知",
            "m.eml!part 1": "纯文本版本",
            "m.eml!part 2": "标题\n机密&文件\n第二段 内容 机密<b>\n甲 乙\n末尾\n换行",
            "m.eml!part 3": "无字符集声明的\"网页\"",
        ])
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    static let forwarded = """
        From: boss@example.cn
        Subject: Fwd: 报告
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer"

        --outer
        Content-Type: text/plain; charset=utf-8

        见附件转发的邮件。
        --outer
        Content-Type: message/rfc822
        Content-Disposition: attachment; filename="original.eml"

        From: "赵六" <zhao@example.cn>
        Subject: 原始邮件 机密★
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="inner"

        --inner
        Content-Type: text/plain; charset=utf-8

        内层正文
        --inner
        Content-Type: multipart/alternative; boundary="deep"
        Content-Description: =?utf-8?Q?=E8=AF=B4=E6=98=8E?=

        --deep
        Content-Type: text/plain; charset=utf-8

        最深层
        --deep
        Content-Type: text/plain; charset=utf-8

        另一种
        --deep--
        --inner--
        --outer
        Content-Type: text/plain; charset=utf-8

        最后一部分
        --outer--

        """

    @Test("a nested message/rfc822 is read as mail again; nested multiparts are numbered 2.1, 2.2")
    func nestedMessage() {
        for crlf in [false, true] {
            let sink = inspectAllWays(message(Self.forwarded, crlf: crlf), name: "message.eml")
            #expect(sink.texts == [
                "message.eml!Subject:": "Fwd: 报告",
                "message.eml!part 1": "见附件转发的邮件。",
                "message.eml!part 2 (original.eml)!Content-Disposition:": "original.eml",
                "message.eml!part 2 (original.eml)!From:": "赵六",
                "message.eml!part 2 (original.eml)!Subject:": "原始邮件 机密★",
                "message.eml!part 2 (original.eml)!part 1": "内层正文",
                "message.eml!part 2 (original.eml)!part 2!Content-Description:": "说明",
                "message.eml!part 2 (original.eml)!part 2.1": "最深层",
                "message.eml!part 2 (original.eml)!part 2.2": "另一种",
                "message.eml!part 3": "最后一部分",
            ], "crlf: \(crlf)")
            #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        }
    }

    @Test("parts of a multipart/digest are messages unless they say otherwise")
    func digest() {
        let text = """
            From: list@example.cn
            Content-Type: multipart/digest; boundary=d

            --d

            From: a@example.cn
            Subject: 第一条

            内容一
            --d
            Content-Type: text/plain

            目录
            --d--
            """
        let sink = inspectAllWays(message(text), name: "digest.eml")
        #expect(sink.texts == ["digest.eml!part 1!Subject:": "第一条", "digest.eml!part 1!part 1": "内容一", "digest.eml!part 2": "目录"])
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("a zip attachment is unpacked like any other input")
    func zipAttachment() throws {
        let f = try Fixtures()
        try f.write("notes.txt", "压缩包里的文件 机密★\n")
        try f.run("zip", ["-q", "bundle.zip", "notes.txt"])
        let text = """
            From: a@example.cn
            Subject: 附件
            Content-Type: multipart/mixed; boundary=sep

            --sep
            Content-Type: application/zip; name=bundle.zip
            Content-Transfer-Encoding: base64

            \(base64Lines(try f.read("bundle.zip")))
            --sep--

            """
        let sink = inspectAllWays(message(text, crlf: true), name: "mail.eml")
        #expect(sink.texts == [
            "mail.eml!Subject:": "附件",
            "mail.eml!part 1 (bundle.zip)!Content-Type:": "bundle.zip",
            "mail.eml!part 1 (bundle.zip)!notes.txt": "压缩包里的文件 机密★\n",
            "mail.eml!part 1 (bundle.zip)!(names)": "notes.txt\n",
        ])
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("RFC 2231 file names: continuations, percent-encoded UTF-8 and GB2312, and encoded words in name=")
    func rfc2231() {
        let text = """
            From: a@example.cn
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: text/csv; name="=?utf-8?B?5a6i5oi35ZCN5Y2VLmNzdg==?="
            Content-Disposition: attachment;
             filename*0*=utf-8''%E5%AE%A2%E6%88%B7;
             filename*1*=%E5%90%8D%E5%8D%95;
             filename*2=".csv"

            a,b
            --b
            Content-Type: text/plain; name="old-name.txt"
            Content-Disposition: attachment; filename*=gb2312'zh'%BB%FA%C3%DC%A1%EF.txt; filename="fallback.txt"

            c
            --b
            Content-Type: application/octet-stream; name="=?utf-8?Q?=E6=8A=A5=E5=91=8A?= 2024.txt"

            d
            --b--
            """
        let sink = inspectAllWays(message(text), name: "m.eml")
        #expect(sink.texts == [
            "m.eml!part 1 (客户名单.csv)!Content-Disposition:": "客户名单.csv",
            "m.eml!part 1 (客户名单.csv)": "a,b",
            "m.eml!part 2 (机密★.txt)!Content-Type:": "old-name.txt",
            "m.eml!part 2 (机密★.txt)!Content-Disposition:": "机密★.txt",
            "m.eml!part 2 (机密★.txt)": "c",
            "m.eml!part 3 (报告 2024.txt)!Content-Type:": "报告 2024.txt",
            "m.eml!part 3 (报告 2024.txt)": "d",
        ])
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("malformed base64 is reported for its part; what decoded before it is read, and so are the parts after it")
    func malformedBase64() {
        let text = """
            From: a@example.cn
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: base64

            5py65a+G5paH
            5Lu2*5Lu2
            5py65a+G
            --b
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: base64

            5py65a+GQ
            --b
            Content-Type: text/plain; charset=utf-8

            后面的部分
            --b--
            """
        let sink = inspectAllWays(message(text), name: "m.eml")
        #expect(sink.texts == ["m.eml!part 1": "机密文件", "m.eml!part 2": "机密", "m.eml!part 3": "后面的部分"])
        #expect(sink.reasons == [
            "m.eml!part 1: corrupt: base64: invalid character '*'",
            "m.eml!part 2: corrupt: base64: truncated (a single character left over)",
        ])
    }

    @Test("a multipart whose closing boundary never comes is reported; its parts were read")
    func missingClosingBoundary() {
        let open = """
            From: a@example.cn
            Content-Type: multipart/mixed; boundary="b1"

            --b1
            Content-Type: text/plain

            first
            --b1
            Content-Type: text/plain

            second, never closed

            """
        for crlf in [false, true] {
            let sink = inspectAllWays(message(open, crlf: crlf), name: "m.eml")
            #expect(sink.texts == ["m.eml!part 1": "first", "m.eml!part 2": "second, never closed\n"])
            #expect(sink.reasons == ["m.eml: corrupt: MIME: multipart/mixed ends without its closing boundary"])
        }

        // An inner multipart cut short by its parent's boundary; a multipart with no boundary line at all.
        let nested = """
            From: a@example.cn
            Content-Type: multipart/mixed; boundary="outer"

            --outer
            Content-Type: multipart/alternative; boundary="inner"

            --inner
            Content-Type: text/plain

            inner text
            --outer
            Content-Type: multipart/related; boundary="never"

            the boundary of this part never appears
            --outer--
            """
        let sink = inspectAllWays(message(nested), name: "m.eml")
        #expect(sink.texts == ["m.eml!part 1.1": "inner text"])
        #expect(sink.reasons == [
            "m.eml!part 1: corrupt: MIME: multipart/alternative ends without its closing boundary",
            "m.eml!part 2: corrupt: MIME: no boundary of the multipart/related found",
        ])
    }

    @Test("a boundary-like line that is not the boundary is content; a boundary cut at the end of input is still found")
    func boundaryLookalikes() {
        let text = "From: a@example.cn\nContent-Type: multipart/mixed; boundary=\"abc\"\n\n--abc\n\n--abcd is not it\n--ab\n-- abc\n--abc--x\nend\n--abc--"
        let sink = inspectAllWays(message(text), name: "m.eml")
        #expect(sink.texts == ["m.eml!part 1": "--abcd is not it\n--ab\n-- abc\n--abc--x\nend"])
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("a message built by Python's email package: alternative text and HTML, a CSV with a Chinese file name, an attached message")
    func pythonMessage() throws {
        let f = try Fixtures()
        let script = """
            import sys
            from email.message import EmailMessage
            from email import policy
            m = EmailMessage()
            m['From'] = '张三 <zhang@example.cn>'
            m['To'] = '李四 <li@example.cn>, wang@example.cn'
            m['Subject'] = '季度报告 机密★10年'
            m.set_content('正文第一行\\n第二行\\n')
            m.add_alternative('<p>网页版本 &amp; 更多</p>\\n', subtype='html')
            m.add_attachment('姓名,电话\\n张三,13800138000\\n'.encode('utf-8'), maintype='text', subtype='csv', filename='客户名单.csv')
            inner = EmailMessage()
            inner['From'] = '王五 <w@example.cn>'
            inner['Subject'] = '内部邮件'
            inner.set_content('内层正文\\n')
            m.add_attachment(inner)
            sys.stdout.buffer.write(m.as_bytes(policy=policy.SMTP))
            """
        let bytes = try f.run("python3", ["-c", script])
        let sink = inspectAllWays(bytes, name: "py.eml")
        #expect(sink.texts == [
            "py.eml!From:": "张三",
            "py.eml!To:": "李四",
            "py.eml!Subject:": "季度报告 机密★10年",
            "py.eml!part 1.1": "正文第一行\n第二行\n",
            "py.eml!part 1.2": "网页版本 & 更多",
            "py.eml!part 2 (客户名单.csv)!Content-Disposition:": "客户名单.csv",
            "py.eml!part 2 (客户名单.csv)": "姓名,电话\n张三,13800138000\n",
            "py.eml!part 3!From:": "王五",
            "py.eml!part 3!Subject:": "内部邮件",
            "py.eml!part 3!part 1": "内层正文\n",
        ], "\(String(decoding: bytes, as: UTF8.self))")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    @Test("an mbox: each message is a stream of its own; a From line needs a blank line before it")
    func mbox() {
        let text = """
            From sender@example.cn Mon Jan  1 00:00:00 2024
            From: a@example.cn
            Subject: 第一封

            正文一
            From here on, not a separator: no blank line before it

            From sender@example.cn Mon Jan  1 00:00:01 2024
            From: "李四" <lisi@example.cn>
            Subject: 第二封
            Content-Type: multipart/mixed; boundary=x

            --x

            正文二
            --x--

            """
        for crlf in [false, true] {
            let sink = inspectAllWays(message(text, crlf: crlf), name: "inbox.mbox")
            #expect(sink.texts == [
                "inbox.mbox!message 1!Subject:": "第一封",
                "inbox.mbox!message 1!part 1": "正文一\nFrom here on, not a separator: no blank line before it\n",
                "inbox.mbox!message 2!From:": "李四",
                "inbox.mbox!message 2!Subject:": "第二封",
                "inbox.mbox!message 2!part 1": "正文二",
            ], "crlf: \(crlf)")
            #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
        }
    }

    @Test("charsets declared by text parts: Big5 and ISO-8859-1 bodies, UTF-8 declared for ASCII")
    func declaredCharsets() throws {
        let f = try Fixtures()
        let big5 = try f.run("iconv", ["-f", "UTF-8", "-t", "BIG5"], stdin: Array("機密文件內容\n".utf8))
        let head = Array("""
            From: a@example.cn
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain; charset=big5
            Content-Transfer-Encoding: 8bit


            """.utf8)
        let latin = Array("""

            --b
            Content-Type: text/plain; charset=iso-8859-1
            Content-Transfer-Encoding: quoted-printable

            Caf=E9 na=EFve
            --b--

            """.utf8)
        let sink = inspectAllWays(head + big5 + latin, name: "m.eml")
        #expect(sink.texts == ["m.eml!part 1": "機密文件內容\n", "m.eml!part 2": "Café naïve"])
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")
    }

    // MARK: Limits

    @Test("a header block over the limit is reported; the body is still read")
    func headerLimit() {
        var limits = InspectionLimits()
        limits.maxMailHeaderBytes = 120
        let text = "From: a@example.cn\nSubject: 标题\nX-Long: " + String(repeating: "x", count: 300) + "\n continued\nTo: b@example.cn\n\n正文\n"
        let sink = inspectAllWays(message(text), name: "m.eml", limits: limits)
        #expect(sink.texts == ["m.eml!Subject:": "标题", "m.eml!part 1": "正文\n"])
        #expect(sink.reasons == ["m.eml: limit exceeded: a mail header block longer than 120 bytes"])
    }

    @Test("too many parts stop the message")
    func partLimit() {
        var limits = InspectionLimits()
        limits.maxMailParts = 2
        let text = "From: a@example.cn\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\n--b\n\nthree\n--b--\n"
        let sink = inspectAllWays(message(text), name: "m.eml", limits: limits)
        #expect(sink.texts == ["m.eml!part 1": "one", "m.eml!part 2": "two"])
        #expect(sink.reasons == ["m.eml: limit exceeded: more than 2 parts in a message"])
    }

    @Test("nesting: attached messages count against the depth limit")
    func depthLimit() {
        var limits = InspectionLimits()
        limits.maxDepth = 1
        let sink = inspectAllWays(message(Self.forwarded), name: "m.eml", limits: limits)
        #expect(sink.reasons == ["m.eml!part 2 (original.eml): limit exceeded: nesting deeper than 1 levels"])
        #expect(sink.texts["m.eml!part 3"] == "最后一部分")
    }

    @Test("an unknown transfer encoding is reported, not read as clean")
    func unknownTransferEncoding() {
        let text = "From: a@example.cn\nContent-Type: text/plain\nContent-Transfer-Encoding: x-uuencode\n\nbegin 644 a.txt\n"
        let sink = inspectAllWays(message(text), name: "m.eml")
        #expect(sink.texts.isEmpty)
        #expect(sink.reasons == ["m.eml!part 1: unsupported: MIME transfer encoding x-uuencode"])
    }

    @Test("damaged messages never crash, and read the same at any chunk size")
    func damagedMessages() {
        let originals = [
            message(Self.forwarded), message(Self.forwarded, crlf: true), message(Self.plain),
            Self.csvMessage("a,b\n机密,★\n", crlf: true),
            message("From x\nFrom: a@b.cn\nSubject: s\nContent-Type: text/html; charset=gb2312\nContent-Transfer-Encoding: quoted-printable\n\n<p>=BB=FA&amp;</p>=\n<script>x</script>\n\nFrom y\nTo: b@c.cn\n\nz\n"),
        ]
        let interesting: [UInt8] = Array("-\n\r=?<>&;\": A/*".utf8) + [0x80, 0xE6, 0x00]
        var seed: UInt64 = 0x2545F4914F6CDD1D
        func random(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        for round in 0..<120 {
            var bytes = originals[round % originals.count]
            for _ in 0..<(1 + random(4)) {
                let at = random(bytes.count)
                switch random(4) {
                case 0: bytes[at] = interesting[random(interesting.count)]
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(interesting[random(interesting.count)], at: at)
                default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + random(40))], at: at)
                }
            }
            _ = inspectAllWays(bytes, name: "fuzz.eml")
        }
    }

    // MARK: Sniffing

    func kind(_ text: String) -> ContentKind {
        Array(text.utf8).withUnsafeBytes { ContentKind.sniff($0) }
    }

    @Test("mail is sniffed from a header block at the start, or an mbox From line")
    func sniffing() {
        #expect(kind("Received: from x\n\tby y\nFrom: a@b.cn\n\nbody") == .mail)
        #expect(kind("X-Mailer: z\r\nSubject: hi\r\n\r\nbody") == .mail)
        #expect(kind("From a@b.cn Mon Jan  1 00:00:00 2024\nFrom: a@b.cn\n\n") == .mail)
        #expect(kind("Subject: notes\nthis line is not a header\n") == .utf8Text)
        #expect(kind("X-Custom: 1\nX-Other: 2\n\nno mail field") == .utf8Text)
        #expect(kind("From the start this is prose.\nAnd more.\n") == .utf8Text)
        #expect(kind(" Subject: indented\n") == .utf8Text)
        #expect(kind("<?xml version=\"1.0\"?><r/>") == .xml)
    }

    @Test("XML without a declaration is XML when its root declares a namespace; HTML is HTML")
    func sniffingUndeclaredXML() {
        #expect(kind("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData/></worksheet>") == .xml)
        #expect(kind("\n  <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body/></w:document>") == .xml)
        #expect(kind("<svg width=\"10\" xmlns=\"http://www.w3.org/2000/svg\"><text>x</text></svg>") == .xml)
        #expect(kind("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>x</body></html>") == .html)
        #expect(kind("<HTML><body>x</body></HTML>") == .html)
        #expect(kind("\u{FEFF}\n<!DOCTYPE html><html><body>x</body></html>") == .html)
        #expect(kind("<htmlx>not html</htmlx>") == .utf8Text)
        for space in [" ", "\t", "\n", "\r\n"] {
            #expect(kind("<html\(space)lang=\"zh\"><body>x</body></html>") == .html, "\(Array(space.utf8))")
        }
        #expect(kind("<note>no namespace, no declaration</note>") == .utf8Text)
        #expect(kind("< not a tag xmlns") == .utf8Text)
        #expect(kind("<root xmlns") == .utf8Text)
    }

    // MARK: Decoders on their own

    @Test("base64 and quoted-printable decoders give the same bytes at any split")
    func decodersAtAnySplit() {
        let encoded = Array("5py65a+G4piFMTDlubQ=\n5py65a+G\n".utf8)
        let qp = Array("=E6=9C=BA=\r\n=E5=AF=86 =\t\r\nx=3D1=\n".utf8)
        func run<D>(_ decoder: D, _ input: [UInt8], split: Int, decode: (inout D, UnsafeRawBufferPointer, inout [UInt8]) -> Void, finish: (inout D, inout [UInt8]) -> Void) -> [UInt8] {
            var decoder = decoder
            var output: [UInt8] = []
            input.withUnsafeBytes { bytes in
                var start = 0
                while start < bytes.count {
                    let end = min(start + split, bytes.count)
                    decode(&decoder, UnsafeRawBufferPointer(rebasing: bytes[start..<end]), &output)
                    start = end
                }
            }
            finish(&decoder, &output)
            return output
        }
        for split in [1, 2, 3, 5, 100] {
            let b64 = run(Base64StreamDecoder(), encoded, split: split, decode: { $0.decode($1, into: &$2) }, finish: { $0.finish(into: &$1) })
            #expect(String(decoding: b64, as: UTF8.self) == "机密★10年机密", "split \(split)")
            let text = run(QuotedPrintableStreamDecoder(), qp, split: split, decode: { $0.decode($1, into: &$2) }, finish: { $0.finish(into: &$1) })
            #expect(String(decoding: text, as: UTF8.self) == "机密 x=1", "split \(split)")
        }
    }

    @Test("the HTML extractor gives the same text at any split")
    func htmlAtAnySplit() {
        let html = Array("<!DOCTYPE html><P CLASS='a>b'>一&amp;二</P ><SCRIPT type=x>if (a</b) {}</SCRIPT >三&#x4E09;&unknown; &amp<br/><br>四 &lt; 五 < 六<style>x</style ><li>七".utf8)
        for split in [1, 2, 3, 7, 1000] {
            var extractor = HTMLTextExtractor()
            var output: [UInt8] = []
            html.withUnsafeBytes { bytes in
                var start = 0
                while start < bytes.count {
                    let end = min(start + split, bytes.count)
                    extractor.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) { output.append(contentsOf: $0) }
                    start = end
                }
            }
            extractor.finish { output.append(contentsOf: $0) }
            #expect(String(decoding: output, as: UTF8.self) == "一&二\n三三&unknown; &amp\n\n四 < 五 < 六\n七", "split \(split)")
        }
    }

    @Test("encoded words: adjacent words joined, text between kept, unknown charsets and broken words left as they are")
    func encodedWords() {
        func decode(_ text: String) -> String { EncodedWordDecoder.decode(Array(text.utf8)) }
        #expect(decode("=?utf-8?B?5py6?= =?utf-8?B?5a+G?=") == "机密")
        #expect(decode("a =?utf-8?Q?=E6=9C=BA_x?= b") == "a 机 x b")
        #expect(decode("=?utf-8*zh?q?=E5=AF=86?=") == "密")
        #expect(decode("=?utf-8?X?abc?= plain") == "=?utf-8?X?abc?= plain")
        #expect(decode("=?utf-8?B?5py6") == "=?utf-8?B?5py6")
        #expect(decode("=?x-unknown-charset?Q?abc?=") == "abc")
    }
}

@Suite("base64 decoding against an encoder")
struct Base64DecoderPropertyTests {
    static func encode(_ bytes: [UInt8], lineLength: Int, lineBreak: [UInt8]) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var line = 0
        var i = 0
        while i < bytes.count {
            let chunk = Array(bytes[i..<min(i + 3, bytes.count)])
            let v = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            let chars = [alphabet[Int(v >> 18 & 63)], alphabet[Int(v >> 12 & 63)], alphabet[Int(v >> 6 & 63)], alphabet[Int(v & 63)]]
            out += chars.prefix(chunk.count + 1) + Array(repeating: UInt8(ascii: "="), count: 3 - chunk.count)
            line += 4
            if line >= lineLength, i + 3 < bytes.count {
                out += lineBreak
                line = 0
            }
            i += 3
        }
        return out
    }

    @Test("random bytes, CRLF or LF lines of any length, trailing white space, in random chunks")
    func roundTrip() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let original = (0..<Int.random(in: 0...400, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let lineBreak: [UInt8] = Bool.random(using: &generator) ? [0x0D, 0x0A] : [0x0A]
            var encoded = Self.encode(original, lineLength: 4 * Int.random(in: 1...20, using: &generator), lineBreak: lineBreak)
            if Bool.random(using: &generator) { encoded += [0x20, 0x0D, 0x0A] }
            var decoder = Base64StreamDecoder()
            var output: [UInt8] = []
            var ok = true
            encoded.withUnsafeBytes { bytes in
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + Int.random(in: 1...90, using: &generator))
                    ok = decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), into: &output) && ok
                    start = end
                }
            }
            ok = decoder.finish(into: &output) && ok
            #expect(ok)
            #expect(output == original)
        }
    }

    @Test("a bad character after whole quanta still stops decoding with the reason")
    func badCharacterAfterQuanta() {
        var decoder = Base64StreamDecoder()
        var output: [UInt8] = []
        let input = Array("5py65a+G\r\n5py6!AAA".utf8)
        let ok = input.withUnsafeBytes { decoder.decode($0, into: &output) }
        #expect(!ok)
        #expect(decoder.error == "base64: invalid character '!'")
        #expect(output == Array("机密机".utf8))
    }
}

@Suite("Mail that starts with a blank line")
struct MailLeadingBlankLineTests {
    @Test("white-space lines before the header (iPhone, webmail) still make a mail: its base64 attachment is decoded")
    func leadingWhiteSpace() {
        for lead in ["\r\n", " \r\n", "\t \n\n"] {
            let mail = lead + """
                From: a@example.com\r
                To: b@example.org\r
                Subject: report\r
                MIME-Version: 1.0\r
                Content-Type: multipart/mixed; boundary="b"\r
                \r
                --b\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Transfer-Encoding: base64\r
                \r
                \(Data("机密★10年 内部资料".utf8).base64EncodedString())\r
                --b--\r

                """
            let sink = inspectAllWays(Array(mail.utf8), name: "m.eml")
            #expect(sink.texts["m.eml!part 1"] == "机密★10年 内部资料", "\(lead.debugDescription): \(sink.texts)")
            #expect(sink.texts["m.eml!Subject:"] == "report")
        }
    }
}

@Suite("uuencoded files in text parts")
struct UUEncodeTests {
    @Test("a file uuencoded into a plain-text part is decoded into a stream of its own; one cut short is reported")
    func uuencodedFile() throws {
        let f = try Fixtures()
        let content = "王芳,310104197512311378\n张伟,11010119800101103X\n" + String(repeating: "padding line\n", count: 20)
        let encoded = try f.run("python3", ["-c", """
            import binascii, sys
            data = sys.stdin.buffer.read()
            out = b"begin 644 ids.csv\\n"
            for i in range(0, len(data), 45):
                out += binascii.b2a_uu(data[i:i + 45])
            out += b"`\\nend\\n"
            sys.stdout.buffer.write(out)
            """], stdin: Array(content.utf8))
        let mail = Array("From: a@example.com\r\nTo: b@example.org\r\nSubject: list\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nSee the file below.\r\n".utf8)
            + encoded + Array("Thanks\r\n".utf8)
        let sink = inspectAllWays(mail, name: "m.eml")
        #expect(sink.texts["m.eml!part 1!ids.csv"] == content, "\(sink.texts.keys.sorted())")
        #expect(sink.texts["m.eml!part 1"]?.contains("See the file below.") == true)
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")

        let cut = Array(mail.prefix(mail.count - 30))
        let cutSink = inspectAllWays(cut, name: "c.eml")
        #expect(cutSink.reasons.contains("c.eml!part 1!ids.csv: corrupt: uuencode: the file ends without its end line"), "\(cutSink.reasons)")
        #expect(UUEncodedBlocks.beginName(Array("begin 644 a b.txt".utf8)) == "a b.txt")
        #expect(UUEncodedBlocks.beginName(Array("begin the meeting".utf8)) == nil)
    }
}

@Suite("BinHex 4.0 files in text parts")
struct BinHexTests {
    /// BinHex of `data` named `name`: header, data fork, an empty resource fork, run-length
    /// encoding where the data repeats, six-bit characters in 64-character lines.
    static func binHex(name: String, data: [UInt8]) -> [UInt8] {
        func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        let nameBytes = Array(name.utf8)
        var plain: [UInt8] = [UInt8(nameBytes.count)] + nameBytes + [0] + Array("TEXTttxt".utf8) + [0, 0]
        plain += be32(data.count) + be32(0) + [0, 0] + data + [0, 0] + [0, 0]
        // Runs of four or more become byte, 0x90, count; 0x90 itself is 0x90 0x00.
        var packed: [UInt8] = []
        var index = 0
        while index < plain.count {
            var run = 1
            while index + run < plain.count, plain[index + run] == plain[index], run < 255 { run += 1 }
            let byte = plain[index]
            packed += byte == 0x90 ? [0x90, 0x00] : [byte]
            if run >= 4 {
                packed += [0x90, UInt8(run)]
                index += run
            } else {
                index += 1
            }
        }
        var characters: [UInt8] = []
        var bits: UInt32 = 0, count = 0
        for byte in packed {
            bits = bits << 8 | UInt32(byte)
            count += 8
            while count >= 6 {
                count -= 6
                characters.append(BinHexBlocks.alphabet[Int(bits >> UInt32(count) & 0x3F)])
            }
        }
        if count > 0 { characters.append(BinHexBlocks.alphabet[Int(bits << UInt32(6 - count) & 0x3F)]) }
        var text = Array("(This file must be converted with BinHex 4.0)\r\n:".utf8)
        for start in stride(from: 0, to: characters.count, by: 63) {
            text += characters[start..<min(start + 63, characters.count)] + Array("\r\n".utf8)
        }
        return text + Array(":\r\n".utf8)
    }

    @Test("a BinHex file in a plain-text part is decoded into a stream named by its file; one cut short is reported")
    func binHexFile() {
        let content = Array("王芳,310104197512311378\n".utf8) + [UInt8](repeating: 0x41, count: 12) + Array("\n机密★10年\n".utf8)
        let mail = Array("From: a@example.com\r\nSubject: mac\r\nContent-Type: text/plain\r\n\r\nAttached:\r\n".utf8)
            + Self.binHex(name: "ids.txt", data: content) + Array("Bye\r\n".utf8)
        let sink = inspectAllWays(mail, name: "m.eml")
        #expect(sink.texts["m.eml!part 1!ids.txt"] == String(decoding: content, as: UTF8.self), "\(sink.texts.keys.sorted()) \(sink.reasons)")
        #expect(sink.uninspected.isEmpty, "\(sink.reasons)")

        let cut = Array(mail.prefix(mail.count - 12))
        #expect(inspectAllWays(cut, name: "c.eml").reasons == ["c.eml!part 1!binhex 1: corrupt: BinHex: the file ends without its closing colon"])
    }
}
