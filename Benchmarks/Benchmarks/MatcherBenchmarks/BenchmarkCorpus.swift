// A deterministic in-memory corpus and keyword sets for the matcher benchmarks, so they
// run without Benchmarks/generate-corpus.py. Same recipe as the script's built-in word
// list (mixed Chinese/English prose, a planted keyword about every 10 KB, a planted
// identifier about every 5 KB), not the same bytes.

import ExportGuardMatching

/// SplitMix64: small, fast and the same on every platform.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func between(_ low: Int, _ high: Int) -> Int { low + below(high - low + 1) }
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    /// Exponentially distributed gap with the given mean, at least 1.
    mutating func gap(mean: Double) -> Int {
        let u = max(Double(next() >> 11) / Double(1 << 53), 1e-12)
        return max(1, Int(-mean * log(u)))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Natural logarithm without Foundation (good enough for sampling gaps).
private func log(_ x: Double) -> Double {
    // ln x = 2 atanh((x - 1) / (x + 1)), after scaling x into [0.5, 1).
    var value = x
    var exponent = 0.0
    while value < 0.5 { value *= 2; exponent -= 1 }
    while value >= 1 { value /= 2; exponent += 1 }
    let y = (value - 1) / (value + 1)
    let y2 = y * y
    var term = y
    var sum = 0.0
    var k = 1.0
    while abs(term) > 1e-17 {
        sum += term / k
        term *= y2
        k += 2
    }
    return 2 * sum + exponent * 0.693_147_180_559_945_3
}

enum BenchmarkCorpus {
    static let plantedChinese = [
        "绝密", "机密", "秘密", "国家秘密", "内部资料", "军事设施", "作战部队", "军用机场",
        "测绘成果", "地理坐标", "卫星影像", "高程数据", "人口普查", "基因数据", "病历资料",
        "出口管制", "两用物项", "稀土", "镓", "锗", "电网调度", "油气管道", "核电站",
        "涉密人员", "红头文件", "雷达站", "导弹", "舰艇", "未公开统计", "内部文件",
    ]
    static let plantedEnglish = [
        "top secret", "secret", "classified", "confidential", "export control",
        "export-controlled", "dual-use", "military unit", "PLA", "satellite imagery",
        "geodetic", "elevation data", "census microdata", "genome sequence", "medical records",
        "rare earth", "gallium", "germanium", "grid dispatch", "pipeline network",
        "nuclear facility", "restricted area", "internal use only", "survey data",
        "ballistic missile", "radar station", "naval vessel", "unreleased statistics",
        "warhead", "cryptographic module",
    ]
    static let fillerChineseHeads = [
        "相控", "惯性", "量子", "隐身", "反舰", "高超", "红外", "激光", "声呐", "电磁",
        "固体", "液体", "弹道", "巡航", "舰载", "机载", "星载", "深海", "极地", "高空",
        "碳纤维", "钛合金", "氮化镓", "砷化镓", "超导",
    ]
    static let fillerChineseTails = [
        "阵列", "制导", "引信", "涂层", "发动机", "传感器", "导引头", "推进剂", "雷达",
        "干扰机", "测距仪", "陀螺仪", "滤波器", "天线罩", "燃料", "探测器", "发射架",
        "控制律", "数据链", "火控", "靶场", "样机",
    ]
    static let fillerEnglishHeads = [
        "phased", "inertial", "quantum", "stealth", "antiship", "hypersonic", "infrared",
        "laser", "sonar", "electromagnetic", "solid-fuel", "liquid-fuel", "ballistic",
        "cruise", "shipborne", "airborne", "spaceborne", "deep-sea", "polar", "stratospheric",
        "carbon-fibre", "titanium", "gallium-nitride", "superconducting", "cryogenic",
    ]
    static let fillerEnglishTails = [
        "array", "guidance", "fuze", "coating", "turbofan", "seeker", "propellant",
        "jammer", "rangefinder", "gyroscope", "radome", "datalink", "fire control",
        "test range", "prototype", "telemetry", "interferometer", "magnetometer",
        "accelerometer", "waveguide", "scramjet", "payload bay",
    ]

    /// Common Chinese words, most frequent first (sampled with Zipf weights).
    static let chineseWords = """
        的 了 是 在 和 有 我们 这 中 为 上 个 不 也 就 对 年 人 说 要 到 以 及 等 与 将 被 从 其
        一 该 他们 可以 进行 工作 发展 问题 公司 企业 国家 社会 经济 市场 管理 建设 情况 提高
        方面 技术 项目 部门 单位 服务 政策 重要 需要 通过 相关 主要 已经 目前 同时 根据 推进
        加强 完善 实现 开展 组织 研究 系统 安全 信息 数据 平台 产品 质量 标准 规定 要求 活动
        会议 报告 计划 方案 目标 任务 措施 机制 体系 能力 水平 条件 环境 资源 资金 投资 合作
        交流 文化 教育 科技 创新 改革 开放 城市 农村 地区 全国 地方 政府 人员 群众 干部 学生
        老师 医院 学校 银行 交通 运输 能源 电力 生产 销售 价格 成本 收入 利润 增长 下降 提升
        保障 落实 推动 促进 支持 鼓励 引导 规范 监督 检查 评估 考核 培训 宣传 咨询 办理 申请
        审批 登记 注册 备案 公告 通知 文件 材料 内容 结果 时间 地点 今天 明天 去年 今年 本月
        上午 下午 每天 一些 很多 所有 各种 一般 特别 非常 比较 更加 继续 开始 结束 完成 参加
        负责 联系 提供 使用 设计 制造 采购 合同 客户 用户 员工 团队 领导 会员 网站 手机 电脑
        软件 网络 互联网 应用 功能 模式 方法 过程 阶段 部分 整体 结构 关系 影响 作用 意义 价值
        经验 成果 成绩 效果 效率 变化 趋势 特点 优势 风险 挑战 机遇 未来 历史 现在 今后 以来
        之后 之前 期间 领域 行业 产业 集团 总部 分公司 办公室 委员会 协会 中心 研究院 大学
        北京 上海 广州 深圳 杭州 南京 成都 武汉 西安 天津 重庆 长沙 郑州 青岛 苏州 厦门 我国
        世界 国际 全球 亚洲 欧洲 美国 日本 德国 英国 法国 韩国 朋友 家庭 孩子 父母 生活 健康
        """.split(whereSeparator: \.isWhitespace).map(String.init)

    /// Common English words, most frequent first; words that contain a keyword are dropped.
    static let englishWords = """
        the of and to a in is that for it as was with be by on not he this are or his from at
        which but have an they you were their one all we can her has there been if more when
        will would who so no she other its may these about into than them only could new some
        time two first like then also any over such our what most after people made years work
        well way even many must through back where much before between good each same under
        those both because very during without another against while found however three world
        still part case system group number point company report market business service program
        project team policy review meeting office staff customer product quality process design
        change support budget quarter month week day morning evening today tomorrow analysis
        result research study model growth price cost revenue sales order contract supplier
        partner agreement schedule update draft version document note summary detail table
        figure chart email phone address city region province country network software hardware
        device server cloud storage security access account user member client request response
        issue problem solution question answer idea goal target progress status risk standard
        rule requirement feature release launch test check audit training course lesson school
        student teacher university hospital doctor patient travel hotel flight train station
        """.split(whereSeparator: \.isWhitespace).map(String.init)

    /// Keyword sets of 100 and 1,000: half Chinese, half English, planted keywords in both.
    static func keywords(count: Int) -> [String] {
        precondition(count == 100 || count == 1000)
        var rng = SeededGenerator(seed: 7)
        var chinese = fillerChineseHeads.flatMap { head in fillerChineseTails.map { head + $0 } }
        var english = fillerEnglishHeads.flatMap { head in fillerEnglishTails.map { head + " " + $0 } }
        chinese.shuffle(using: &rng)
        english.shuffle(using: &rng)
        let half = count / 2
        var result = plantedChinese + chinese.prefix(half - plantedChinese.count)
            + plantedEnglish + english.prefix(half - plantedEnglish.count)
        result.shuffle(using: &rng)
        return result
    }

    /// English lines match case-insensitively, Chinese ones exactly (as in match-count).
    static func patternSet(keywords: [String], detectors: Bool) -> PatternSet {
        var set = PatternSet(detectors: detectors ? Set(DetectorKind.allCases) : [])
        for keyword in keywords {
            set.add(LiteralPattern(keyword, caseInsensitive: keyword.utf8.allSatisfy { $0 < 0x80 }, wholeWord: false))
        }
        return set
    }

    /// `size` bytes of mixed prose with planted keywords and identifiers.
    static func generate(size: Int, seed: UInt64 = 1) -> [UInt8] {
        var rng = SeededGenerator(seed: seed)
        let keywords = plantedChinese + plantedEnglish + keywords(count: 1000)
        let folded = keywords.map { $0.lowercased() }
        let keywordParts = Set(folded.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init) })
        let english = englishWords.filter { word in
            !keywordParts.contains(word) && !folded.contains { word.contains($0) }
        }
        let chinese = chineseWords.filter { word in !keywords.contains { word.contains($0) } }
        let chineseWeights = zipfCumulative(chinese.count)
        let englishWeights = zipfCumulative(english.count)

        var out: [UInt8] = []
        out.reserveCapacity(size + 1024)
        var nextKeyword = rng.gap(mean: 10 * 1024)
        var nextIdentifier = rng.gap(mean: 5 * 1024)
        var sentencesLeft = rng.between(2, 7)
        while out.count < size {
            if rng.below(3) < 2 {
                for i in 0..<rng.between(6, 22) {
                    out += chinese[sample(chineseWeights, &rng)].utf8
                    if i == 6 && rng.chance(0.6) { out += "，".utf8 }
                }
                out += rng.pick(["。", "。", "。", "；", "！", "？"]).utf8
            } else {
                for i in 0..<rng.between(6, 18) {
                    var word = Array(english[sample(englishWeights, &rng)].utf8)
                    if i == 0 { word[0] = word[0] & 0xDF }
                    if i > 0 { out.append(0x20) }
                    out += word
                }
                out += ". ".utf8
            }
            while out.count >= nextKeyword {
                out += plantKeyword(&rng).utf8
                nextKeyword += rng.gap(mean: 10 * 1024)
            }
            while out.count >= nextIdentifier {
                out += plantIdentifier(&rng).utf8
                nextIdentifier += rng.gap(mean: 5 * 1024)
            }
            sentencesLeft -= 1
            if sentencesLeft == 0 {
                out.append(0x0A)
                sentencesLeft = rng.between(2, 7)
            }
        }
        // Cut at the last line break before `size` and pad with spaces, so no character is split.
        var cut = size
        while cut > 0 && out[cut - 1] != 0x0A { cut -= 1 }
        out.removeSubrange(cut...)
        out += [UInt8](repeating: 0x20, count: size - cut)
        return out
    }

    private static func zipfCumulative(_ n: Int) -> [Double] {
        var total = 0.0
        return (0..<n).map { rank in
            total += 1 / Double(rank + 1)
            return total
        }
    }

    private static func sample(_ cumulative: [Double], _ rng: inout SeededGenerator) -> Int {
        let target = Double(rng.next() >> 11) / Double(1 << 53) * cumulative[cumulative.count - 1]
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] < target { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private static func plantKeyword(_ rng: inout SeededGenerator) -> String {
        if rng.chance(0.5) {
            return "涉及" + rng.pick(plantedChinese) + "的内容，"
        }
        let keyword = rng.pick(plantedEnglish)
        let cased = rng.chance(0.5) ? keyword.lowercased() : keyword.uppercased()
        return " the " + cased + " annex "
    }

    private static func digits(_ count: Int, _ rng: inout SeededGenerator) -> String {
        String((0..<count).map { _ in Character(Unicode.Scalar(UInt8(48 + rng.below(10)))) })
    }

    private static func plantIdentifier(_ rng: inout SeededGenerator) -> String {
        let valid = rng.chance(0.7)
        switch rng.below(4) {
        case 0:
            // Resident ID: region, birth date, sequence, GB 11643 check character.
            let region = rng.pick(["110105", "310104", "440305", "510107", "330106", "420102"])
            let date = "\(rng.between(1950, 2012))" + twoDigits(rng.between(1, 12)) + twoDigits(rng.between(1, 28))
            let body = region + date + digits(3, &rng)
            let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
            let sum = zip(body.utf8, weights).reduce(0) { $0 + Int($1.0 - 48) * $1.1 }
            var check = Array("10X98765432")[sum % 11]
            if !valid { check = check == "0" ? "1" : "0" }
            return "身份证号" + body + String(check) + "，"
        case 1:
            let prefix = valid ? rng.pick(["138", "139", "150", "186", "177", "199"]) : rng.pick(["154", "179", "120"])
            return "联系电话：" + prefix + digits(8, &rng) + "。"
        case 2:
            // UnionPay card with a Luhn check digit.
            let body = "62" + digits(rng.chance(0.75) ? 13 : 16, &rng)
            var sum = 0
            for (i, byte) in body.utf8.reversed().enumerated() {
                var d = Int(byte - 48)
                if i % 2 == 0 { d *= 2; if d > 9 { d -= 9 } }
                sum += d
            }
            var check = (10 - sum % 10) % 10
            if !valid { check = (check + 1) % 10 }
            return " card " + body + String(check) + " "
        default:
            return "坐标\(rng.between(18, 53)).\(digits(6, &rng)), \(rng.between(73, 135)).\(digits(6, &rng))，"
        }
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
