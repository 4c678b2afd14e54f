import ExportGuardCore
import ExportGuardInspection
import Testing
@testable import ExportGuardPolicy
@testable import ExportGuardScanning

/// The default policy's combination rules, end to end: what the law restricts together
/// blocks or reviews, and the near misses beside each stay allowed.
@Suite("Combination rules, end to end")
struct CombinationRulesTests {
    func scan(_ bytes: [UInt8], name: String) -> ScanReport { DefaultPolicyScanner.scan(bytes, name: name) }

    func scan(_ text: String, name: String = "doc.txt") -> ScanReport { scan(Array(text.utf8), name: name) }

    func ruleID(_ report: ScanReport) -> String? {
        if case .rule(let id, _) = report.assessment.decision { return id }
        return nil
    }

    /// A KML file of placemarks, as Google Earth writes them (lon,lat,alt).
    func kml(_ placemarks: [(name: String, lon: String, lat: String)]) -> String {
        let marks = placemarks.map { mark in
            """
                <Placemark>
                  <name>\(mark.name)</name>
                  <Point><coordinates>\(mark.lon),\(mark.lat),0</coordinates></Point>
                </Placemark>
            """
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <kml xmlns="http://www.opengis.net/kml/2.2">
              <Document>
                <name>点位</name>
            \(marks.joined(separator: "\n"))
              </Document>
            </kml>
            """
    }

    @Test("a military facility next to precise coordinates blocks; the same coordinates next to shops stay allowed")
    func militaryFacilityCoordinates() {
        let military = scan(kml([("某部雷达站", "116.397128", "39.916527"), ("营区东门", "116.401235", "39.918842")]), name: "points.kml")
        #expect(military.verdict == .block, "\(military.assessment.decision)")
        #expect(ruleID(military) == "military-facility-coordinates")
        // The explanation names a finding of each condition.
        #expect(military.assessment.decision.description.contains("雷达站"))
        #expect(military.assessment.decision.description.contains("geospatial coordinates"))
        let shops = scan(kml([("星巴克王府井店", "116.397128", "39.916527"), ("便利店", "116.401235", "39.918842")]), name: "shops.kml")
        #expect(shops.verdict == .allow, "\(shops.assessment.decision)")
        // A facility and coordinates far apart in a long text are no record of the facility.
        let apart = scan("雷达站建设新闻。" + String(repeating: "无关的文字内容。", count: 100) + "坐标 39.916527, 116.397128")
        #expect(ruleID(apart) != "military-facility-coordinates", "\(apart.assessment.decision)")
    }

    @Test("a document number with internal-circulation wording reviews, three archives deep; a news story quoting the number stays allowed")
    func documentNumberInternalCirculation() throws {
        let w = try TestWorkspace()
        try w.python("""
            import io, zipfile
            def wrap(name, data, inner):
                buffer = io.BytesIO()
                with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
                    z.writestr(inner, data)
                return buffer.getvalue()
            text = "关于加强管理的通知\\n国发〔2023〕5号\\n各省、自治区、直辖市人民政府：\\n现将有关事项通知如下。\\n" + "正文段落。" * 200 + "\\n内部资料，不得外传。\\n"
            data = text.encode("utf-8")
            data = wrap("l3", data, "通知.txt")
            data = wrap("l2", data, "inner.zip")
            data = wrap("l1", data, "middle.zip")
            open("outer.zip", "wb").write(data)
            """)
        let nested = scan(try w.read("outer.zip"), name: "outer.zip")
        #expect(nested.verdict == .review, "\(nested.assessment.decision)")
        #expect(ruleID(nested) == "document-number-internal-circulation")
        let news = scan("新华社消息，国务院近日印发《关于加强管理的通知》（国发〔2023〕5号），全文已向社会公开。")
        #expect(news.verdict == .allow, "\(news.assessment.decision)")
    }

    @Test("due diligence on a defence-industry or state-owned group reviews; a market survey of consumer goods stays allowed")
    func dueDiligence() {
        let defence = scan("项目背景：受境外客户委托，对某军工集团下属研究所开展尽职调查，访谈其供应商。")
        #expect(defence.verdict == .review, "\(defence.assessment.decision)")
        #expect(ruleID(defence) == "due-diligence-defence-industry")
        let stateOwned = scan("问卷说明：本问卷面向某中央企业的中层管理人员，了解其采购流程。")
        #expect(stateOwned.verdict == .review, "\(stateOwned.assessment.decision)")
        #expect(ruleID(stateOwned) == "due-diligence-state-owned")
        let market = scan("消费者问卷：您最常购买的饮料品牌是什么？每周购买几次？")
        #expect(market.verdict == .allow, "\(market.assessment.decision)")
    }

    @Test("an exam paper's marking and its exam words in different chapters of an EPUB: allowed in either order; the marking alone blocks")
    func examAcrossChapters() throws {
        let w = try TestWorkspace()
        try w.python("""
            import sys, zipfile
            def epub(path, chapters):
                with zipfile.ZipFile(path, "w") as z:
                    z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
                    z.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>')
                    items = "".join('<item id="c%d" href="c%d.xhtml" media-type="application/xhtml+xml"/>' % (i, i) for i in range(len(chapters)))
                    spine = "".join('<itemref idref="c%d"/>' % i for i in range(len(chapters)))
                    z.writestr("OEBPS/content.opf", '<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier><dc:title>文档</dc:title><dc:language>zh</dc:language></metadata><manifest>' + items + '</manifest><spine>' + spine + '</spine></package>')
                    for i, body in enumerate(chapters):
                        z.writestr("OEBPS/c%d.xhtml" % i, '<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>c</title></head><body><p>' + body + '</p></body></html>', zipfile.ZIP_DEFLATED)
            cover = "绝密★启用前"
            exam = "2024年普通高等学校招生全国统一考试 数学。注意事项：答卷前，考生务必将自己的姓名、准考证号填写在答题卡上。"
            epub("exam.epub", [cover, exam])
            epub("exam-reversed.epub", [exam, cover])
            epub("minutes.epub", [cover, "会议纪要：讨论了项目进展。"])
            """)
        for name in ["exam.epub", "exam-reversed.epub"] {
            let report = scan(try w.read(name), name: name)
            #expect(report.verdict == .allow, "\(name): \(report.assessment.decision) \(report.assessment.findings.map(\.excerpt))")
            #expect(report.assessment.excludedFindings >= 1, "\(name)")
        }
        let minutes = scan(try w.read("minutes.epub"), name: "minutes.epub")
        #expect(minutes.verdict == .block, "\(minutes.assessment.decision)")
    }

    @Test("words news uses daily stay weak next to hotwords; with precise coordinates they still combine")
    func weakNewsWords() {
        let news = scan("本报讯 武警某部队官兵近日在雷达站开展军事训练，展现了过硬作风。")
        #expect(news.verdict == .allow, "\(news.assessment.decision) \(news.assessment.findings.map { "\($0.excerpt) \($0.confidence)" })")
        let report = scan("特急 关于印发年度工作要点的通知，请各单位认真贯彻落实。")
        #expect(report.verdict == .allow, "\(report.assessment.decision)")
        let science = scan("科技日报讯 我国科研团队在导弹型号研制中攻克了新型复合材料的关键工艺，相关论文已公开发表。")
        #expect(science.verdict == .allow, "\(science.assessment.decision)")
        let located = scan("雷达站 坐标 39.916527, 116.397128")
        #expect(located.verdict == .block, "\(located.assessment.decision)")
    }

    @Test("same-element scope: one KML placemark, however long, or one CSV row; not two placemarks or two rows")
    func sameElementScope() throws {
        let policy = try PolicyLoader.load(yaml: """
            extends: default
            name: records
            rules:
              - id: military-facility-coordinates
                all-of:
                  - { category: military }
                  - { category: geospatial, detector: coordinates, require-tags: [precise] }
                scope: same-element
                verdict: block
            """, file: "records.yaml")
        let scanner = ContentScanner(compiled: CompiledPolicy(policy), limits: InspectionLimits())
        func verdict(_ text: String, _ name: String) -> Verdict { scanner.scan(bytes: Array(text.utf8), name: name).verdict }
        let long = String(repeating: "围栏外侧拍摄点，记录车辆进出。", count: 40)
        let onePlacemark = kml([("某部雷达站 \(long)", "116.397128", "39.916527")])
        #expect(verdict(onePlacemark, "one.kml") == .block)
        let twoPlacemarks = kml([("某部雷达站", "116.3", "39.9"), ("便利店 \(long)", "116.397128", "39.916527")])
        #expect(verdict(twoPlacemarks, "two.kml") == .allow)
        #expect(verdict("名称,纬度,经度\n雷达站,39.916527,116.397128\n", "row.csv") == .block)
        #expect(verdict("名称,纬度,经度\n雷达站,-,-\n便利店,39.916527,116.397128\n", "rows.csv") == .allow)
    }

    @Test("record positions: element paths part at differently named elements or enclose each other; lines match")
    func recordPositions() {
        func at(_ path: String) -> RecordPosition { RecordPosition(Location(parts: ["f.kml"], position: .element(path))) }
        #expect(at("kml/Document/Placemark/name:6").sameRecord(as: at("kml/Document/Placemark/Point/coordinates:8")))
        #expect(at("kml/Document/Placemark[2]/ExtendedData/Data[3]/value:40").sameRecord(as: at("kml/Document/Placemark[2]/Point/coordinates:44")))
        #expect(!at("kml/Document/Placemark/name:6").sameRecord(as: at("kml/Document/Placemark[2]/Point/coordinates:14")))
        #expect(!at("records/r:3").sameRecord(as: at("records/r[2]:4")))
        #expect(at("records/r[2]:4").sameRecord(as: at("records/r[2]/note:4")))
        let line = { (n: Int) in RecordPosition(Location(parts: ["a.csv"], position: .line(n, column: 1))) }
        #expect(line(3).sameRecord(as: line(3)) && !line(3).sameRecord(as: line(4)))
        #expect(!line(3).sameRecord(as: at("records/r:3")))
        // The cells of one table row are one record; two rows are two.
        let cell = { (row: Int, column: Int) in at("w:document/w:body/w:tbl/w:tr[\(row)]/w:tc[\(column)]/w:p:12") }
        #expect(cell(3, 1).sameRecord(as: cell(3, 2)))
        #expect(!cell(3, 1).sameRecord(as: cell(4, 2)))
        // Labels that name no element (a PDF's page) are no record.
        #expect(!at("page=3").sameRecord(as: at("page=3")))
    }
}
