#!/usr/bin/env python3
"""Generates a seeded, reproducible benchmark corpus for ExportGuard's matcher.

The corpus is mixed Chinese/English prose (UTF-8, one paragraph a line) with planted
keyword hits (about one per 10 KB) and planted identifiers, valid and invalid: resident
IDs with GB 11643 check characters, mobile numbers, UnionPay card numbers with Luhn
check digits, decimal coordinates, and a few PLA unit designators, document numbers and
classification markings.

Chinese prose draws its words, weighted by frequency, from the dictionary that ships
with the PyPI package `jieba` when it is installed (`pip install jieba`), and from a
built-in list otherwise. Either way the output depends only on the seed, the size and
which word source was used (recorded in the manifest).

Writes into Benchmarks/corpus/ (ignored by git):

    corpus-<SIZE>-seed<SEED>.txt       the corpus, exactly SIZE bytes
    manifest-<SIZE>-seed<SEED>.txt     what was planted, and how often
    keywords-100.txt, keywords-1000.txt
                                       keyword sets, one a line, half Chinese, half
                                       English; both contain every planted keyword

Usage: generate-corpus.py [--size 64M] [--seed 1] [--out DIR] [--no-jieba]
"""

import argparse
import itertools
import os
import random
import sys

MIB = 1 << 20

# ---------------------------------------------------------------------------------------
# Keywords

# Planted keywords: found in the corpus about once per 10 KB in total. Some overlap on
# purpose (秘密 inside 国家秘密, secret inside top secret) so that tools that report
# overlapping matches and tools that do not can be told apart.
PLANTED_ZH = [
    "绝密", "机密", "秘密", "国家秘密", "内部资料", "军事设施", "作战部队", "军用机场",
    "测绘成果", "地理坐标", "卫星影像", "高程数据", "人口普查", "基因数据", "病历资料",
    "出口管制", "两用物项", "稀土", "镓", "锗", "电网调度", "油气管道", "核电站",
    "涉密人员", "红头文件", "雷达站", "导弹", "舰艇", "未公开统计", "内部文件",
]
PLANTED_EN = [
    "top secret", "secret", "classified", "confidential", "export control",
    "export-controlled", "dual-use", "military unit", "PLA", "satellite imagery",
    "geodetic", "elevation data", "census microdata", "genome sequence", "medical records",
    "rare earth", "gallium", "germanium", "grid dispatch", "pipeline network",
    "nuclear facility", "restricted area", "internal use only", "survey data",
    "ballistic missile", "radar station", "naval vessel", "unreleased statistics",
    "warhead", "cryptographic module",
]

# Filler keywords, never planted: technical compounds that ordinary prose almost never
# contains. 25 x 22 combinations each, far more than the 470 per language needed.
FILLER_ZH_HEAD = [
    "相控", "惯性", "量子", "隐身", "反舰", "高超", "红外", "激光", "声呐", "电磁",
    "固体", "液体", "弹道", "巡航", "舰载", "机载", "星载", "深海", "极地", "高空",
    "碳纤维", "钛合金", "氮化镓", "砷化镓", "超导",
]
FILLER_ZH_TAIL = [
    "阵列", "制导", "引信", "涂层", "发动机", "传感器", "导引头", "推进剂", "雷达",
    "干扰机", "测距仪", "陀螺仪", "滤波器", "天线罩", "燃料", "探测器", "发射架",
    "控制律", "数据链", "火控", "靶场", "样机",
]
FILLER_EN_HEAD = [
    "phased", "inertial", "quantum", "stealth", "antiship", "hypersonic", "infrared",
    "laser", "sonar", "electromagnetic", "solid-fuel", "liquid-fuel", "ballistic",
    "cruise", "shipborne", "airborne", "spaceborne", "deep-sea", "polar", "stratospheric",
    "carbon-fibre", "titanium", "gallium-nitride", "superconducting", "cryogenic",
]
FILLER_EN_TAIL = [
    "array", "guidance", "fuze", "coating", "turbofan", "seeker", "propellant",
    "jammer", "rangefinder", "gyroscope", "radome", "datalink", "fire control",
    "test range", "prototype", "telemetry", "interferometer", "magnetometer",
    "accelerometer", "waveguide", "scramjet", "payload bay",
]

# ---------------------------------------------------------------------------------------
# Prose vocabulary

# Fallback Chinese vocabulary when jieba is not installed, most frequent first; weights
# follow Zipf's law by rank.
BUILTIN_ZH = """
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
之后 之前 期间 方面 领域 行业 产业 集团 总部 分公司 办公室 委员会 协会 中心 研究院 大学
北京 上海 广州 深圳 杭州 南京 成都 武汉 西安 天津 重庆 长沙 郑州 青岛 苏州 厦门 我国
世界 国际 全球 亚洲 欧洲 美国 日本 德国 英国 法国 韩国 朋友 家庭 孩子 父母 生活 健康
饮食 运动 旅游 天气 春天 夏天 秋天 冬天 早上 晚上 电影 音乐 新闻 故事 书籍 文章 图片
视频 照片 地图 道路 公园 广场 商场 超市 餐厅 酒店 机场 车站 地铁 公交 汽车 自行车
""".split()

# English prose vocabulary, most frequent first. Checked below against the keywords so
# that prose never spells a keyword by accident.
BUILTIN_EN = """
the of and to a in is that for it as was with be by on not he this are or his from at
which but have an they you were their one all we can her has there been if more when
will would who so no she other its may these about into than them only could new some
time two first like then also any over such our what most after people made years work
well way even many must through back where much before between good each same under
those both because very well during without another against while found however three
same world still part place case system group number point company report market
business service program project team plan data policy review meeting office staff
customer product quality process design change support budget quarter month week day
morning evening today tomorrow analysis result research study model growth price cost
revenue sales order contract supplier partner agreement schedule update draft version
document note summary detail table figure chart email phone address city region
province country network platform software hardware device server cloud storage
security access account user member client request response issue problem solution
question answer idea plan goal target progress status risk quality standard rule
requirement feature release launch test check audit training course lesson school
student teacher university hospital doctor patient travel hotel flight train station
weather spring summer autumn winter family friend child parent health food coffee tea
lunch dinner music film book story article picture video photo map road park shop
weekend holiday event festival conference workshop seminar discussion decision
approval invoice payment receipt delivery shipment warehouse inventory factory
production manufacturing engineering logistics finance marketing human resources legal
operations management leadership strategy vision mission value culture community
environment energy water power transport traffic building construction housing
""".split()

# ---------------------------------------------------------------------------------------
# Identifiers

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
REGIONS = [110105, 110108, 310104, 310115, 440305, 440106, 510107, 330106, 420102,
           610113, 320102, 370202, 500103, 430104, 210102, 350203, 120101, 530102]
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
                   "151", "152", "155", "156", "157", "158", "159", "166", "176", "177",
                   "180", "181", "186", "187", "188", "189", "191", "198", "199"]
BAD_MOBILE_PREFIXES = ["154", "179", "194", "120", "100"]


def resident_id(rng, valid):
    region = rng.choice(REGIONS)
    year = rng.randint(1940, 2015)
    month = rng.randint(1, 12)
    day = rng.randint(1, [31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    body = f"{region:06d}{year:04d}{month:02d}{day:02d}{rng.randint(0, 999):03d}"
    check = ID_CHECK[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS)) % 11]
    if not valid:
        check = rng.choice([c for c in "0123456789X" if c != check])
    elif check == "X" and rng.random() < 0.2:
        check = "x"
    return body + check


def luhn_check_digit(body):
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:  # doubled: these sit left of the check digit at odd distance
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def unionpay_card(rng, valid):
    length = rng.choice([16, 16, 16, 19])
    body = "62" + "".join(rng.choice("0123456789") for _ in range(length - 3))
    check = luhn_check_digit(body)
    if not valid:
        check = str((int(check) + rng.randint(1, 9)) % 10)
    return body + check


def mobile(rng, valid):
    prefix = rng.choice(MOBILE_PREFIXES if valid else BAD_MOBILE_PREFIXES)
    return prefix + "".join(rng.choice("0123456789") for _ in range(8))


def grouped(number, sizes):
    parts, i = [], 0
    for size in sizes:
        parts.append(number[i:i + size])
        i += size
    if i < len(number):
        parts.append(number[i:])
    return " ".join(parts)


def coordinate(rng):
    lat = rng.uniform(18.0, 53.0)
    lon = rng.uniform(73.0, 135.0)
    style = rng.randrange(3)
    if style == 0:
        return f"{lat:.6f}, {lon:.6f}"
    if style == 1:
        return f"N{lat:.4f} E{lon:.4f}"
    return f"北纬{lat:.5f}，东经{lon:.5f}"


# ---------------------------------------------------------------------------------------


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = text.strip().upper().removesuffix("IB").removesuffix("B")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def size_label(size):
    if size % MIB == 0:
        return f"{size // MIB}M"
    if size % 1024 == 0:
        return f"{size // 1024}K"
    return str(size)


def zipf_weights(n):
    return [1.0 / (rank + 1) for rank in range(n)]


def is_cjk_word(word):
    return all("\u4e00" <= ch <= "\u9fff" for ch in word)


def load_chinese_vocabulary(use_jieba):
    """Returns (words, weights, source)."""
    if use_jieba:
        try:
            import importlib.util
            spec = importlib.util.find_spec("jieba")
            if spec and spec.origin:
                path = os.path.join(os.path.dirname(spec.origin), "dict.txt")
                entries = []
                with open(path, encoding="utf-8") as f:
                    for line in f:
                        parts = line.split()
                        if len(parts) >= 2 and len(parts[0]) <= 4 and is_cjk_word(parts[0]):
                            entries.append((int(parts[1]), parts[0]))
                entries.sort(key=lambda e: (-e[0], e[1]))
                entries = entries[:40000]
                return [w for _, w in entries], [float(f) for f, _ in entries], "jieba dict.txt (top 40000 words by frequency)"
        except (ImportError, OSError, ValueError):
            pass
    return list(BUILTIN_ZH), zipf_weights(len(BUILTIN_ZH)), "built-in list (Zipf weights)"


def keyword_sets(rng):
    """Returns (keywords100, keywords1000): 50/50 Chinese/English, planted ones in both."""
    zh_fill = [h + t for h, t in itertools.product(FILLER_ZH_HEAD, FILLER_ZH_TAIL)]
    en_fill = [h + " " + t for h, t in itertools.product(FILLER_EN_HEAD, FILLER_EN_TAIL)]
    rng.shuffle(zh_fill)
    rng.shuffle(en_fill)
    zh_fill = [w for w in zh_fill if w not in PLANTED_ZH]
    en_fill = [w for w in en_fill if w.lower() not in {p.lower() for p in PLANTED_EN}]
    small_zh = PLANTED_ZH + zh_fill[:50 - len(PLANTED_ZH)]
    small_en = PLANTED_EN + en_fill[:50 - len(PLANTED_EN)]
    large_zh = small_zh + zh_fill[50 - len(PLANTED_ZH):500 - len(PLANTED_ZH)]
    large_en = small_en + en_fill[50 - len(PLANTED_EN):500 - len(PLANTED_EN)]
    assert len(small_zh) == len(small_en) == 50 and len(large_zh) == len(large_en) == 500
    small, large = small_zh + small_en, large_zh + large_en
    assert len(set(w.lower() for w in large)) == 1000
    rng.shuffle(small)
    rng.shuffle(large)
    return small, large


def filter_vocabulary(words, weights, keywords, fold):
    """Drops prose words that contain a keyword, or that are one word of a keyword phrase."""
    keys = [fold(k) for k in keywords]
    parts = {p for k in keys for p in k.replace("-", " ").split()}
    kept = [(w, x) for w, x in zip(words, weights)
            if fold(w) not in parts and not any(k in fold(w) for k in keys)]
    return [w for w, _ in kept], [x for _, x in kept]


class Sampler:
    def __init__(self, rng, words, weights):
        self.rng, self.words = rng, words
        self.cum = list(itertools.accumulate(weights))

    def take(self, k):
        return self.rng.choices(self.words, cum_weights=self.cum, k=k)


def sentence_pool(rng, zh, en, count):
    pool = []
    zh_end, en_end = "。。。。；！？", ".....!?"
    for i in range(count):
        if i % 3 != 2:  # about two Chinese sentences for every English one
            words = zh.take(rng.randint(6, 22))
            if len(words) > 8 and rng.random() < 0.7:
                words.insert(rng.randint(3, len(words) - 3), "，")
            if rng.random() < 0.15:
                words.insert(rng.randint(1, len(words) - 1), str(rng.choice([2019, 2020, 2021, 2022, 2023, 2024, 35, 120, 3.5])))
            pool.append("".join(words) + rng.choice(zh_end))
        else:
            words = en.take(rng.randint(6, 18))
            if rng.random() < 0.15:
                words.insert(rng.randint(1, len(words) - 1), str(rng.randint(2, 2024)))
            text = " ".join(words)
            pool.append(text[0].upper() + text[1:] + rng.choice(en_end) + " ")
    return pool


def case_variant(rng, keyword):
    if not keyword.isascii():
        return keyword
    r = rng.random()
    if r < 0.5:
        return keyword.lower()
    if r < 0.75:
        return keyword.title()
    return keyword.upper()


def planted_keyword(rng, stats):
    kw = rng.choice(PLANTED_ZH + PLANTED_EN)
    stats["keyword:" + kw] = stats.get("keyword:" + kw, 0) + 1
    stats["keywords planted"] = stats.get("keywords planted", 0) + 1
    text = case_variant(rng, kw)
    if kw.isascii():
        return rng.choice([f"涉及{text}的内容", f" the {text} annex ", f"（{text}）", f"{text}: ", f" marked {text}. "])
    return rng.choice([f"涉及{text}的内容", f"关于{text}的说明，", f"【{text}】", f" {text} ", f"有关{text}。"])


def planted_identifier(rng, stats):
    kind = rng.randrange(10)
    valid = rng.random() < 0.7
    tag = "valid" if valid else "invalid"
    if kind <= 2:
        value = resident_id(rng, valid)
        stats[f"resident-id {tag}"] = stats.get(f"resident-id {tag}", 0) + 1
        return rng.choice([f"身份证号{value}，", f"公民身份号码：{value}。", f" ID {value} ", f"（{value}）"])
    if kind <= 4:
        value = mobile(rng, valid)
        if valid and rng.random() < 0.25:
            value = grouped(value, [3, 4, 4])
            stats[f"mobile {tag} grouped"] = stats.get(f"mobile {tag} grouped", 0) + 1
        else:
            stats[f"mobile {tag}"] = stats.get(f"mobile {tag}", 0) + 1
        return rng.choice([f"联系电话{value}，", f"手机：{value}。", f" tel {value} ", f"（{value}）"])
    if kind <= 6:
        value = unionpay_card(rng, valid)
        if rng.random() < 0.25:
            value = grouped(value, [4, 4, 4, 4])
            stats[f"unionpay-card {'luhn-valid' if valid else 'luhn-invalid'} grouped"] = stats.get(f"unionpay-card {'luhn-valid' if valid else 'luhn-invalid'} grouped", 0) + 1
        else:
            stats[f"unionpay-card {'luhn-valid' if valid else 'luhn-invalid'}"] = stats.get(f"unionpay-card {'luhn-valid' if valid else 'luhn-invalid'}", 0) + 1
        return rng.choice([f"银行卡号{value}，", f"卡号：{value}。", f" card {value} ", f"（{value}）"])
    if kind <= 8:
        stats["coordinates"] = stats.get("coordinates", 0) + 1
        return rng.choice([f"坐标{coordinate(rng)}，", f" at {coordinate(rng)} ", f"位置：{coordinate(rng)}。"])
    r = rng.randrange(3)
    if r == 0:
        stats["pla-unit"] = stats.get("pla-unit", 0) + 1
        return f"第{rng.randint(31000, 96999)}部队"
    if r == 1:
        stats["document-number"] = stats.get("document-number", 0) + 1
        return f"{rng.choice(['国发', '国办发', '京政发', '财税'])}〔{rng.randint(2015, 2024)}〕{rng.randint(1, 120)}号"
    stats["classification-marking"] = stats.get("classification-marking", 0) + 1
    return f"{rng.choice(['绝密', '机密', '秘密'])}★{rng.choice(['10年', '5年', '长期', '20年'])}"


def generate(path, size, seed, zh_words, zh_weights, en_words, stats):
    rng = random.Random(seed)
    zh = Sampler(rng, zh_words, zh_weights)
    en = Sampler(rng, en_words, zipf_weights(len(en_words)))
    pool = sentence_pool(rng, zh, en, 60000)
    pool_bytes = [len(s.encode("utf-8")) for s in pool]
    keyword_gap, identifier_gap = 10 * 1024, 5 * 1024
    next_keyword = rng.expovariate(1 / keyword_gap)
    next_identifier = rng.expovariate(1 / identifier_gap)
    written = 0  # bytes written to the file plus bytes in `block`
    block = []
    paragraph_left = rng.randint(2, 7)
    with open(path, "wb") as out:
        while True:
            i = rng.randrange(len(pool))
            piece, n = pool[i], pool_bytes[i]
            planted = {}
            while written + n >= next_keyword:
                text = planted_keyword(rng, planted)
                piece, n = piece + text, n + len(text.encode("utf-8"))
                next_keyword += rng.expovariate(1 / keyword_gap)
            while written + n >= next_identifier:
                text = planted_identifier(rng, planted)
                piece, n = piece + text, n + len(text.encode("utf-8"))
                next_identifier += rng.expovariate(1 / identifier_gap)
            paragraph_left -= 1
            if paragraph_left == 0:
                piece, n = piece + "\n", n + 1
                paragraph_left = rng.randint(2, 7)
            if written + n > size - 1:
                break  # what was planted in this piece is dropped with it
            for key, count in planted.items():
                stats[key] = stats.get(key, 0) + count
            block.append(piece)
            written += n
            if len(block) >= 4096:
                out.write("".join(block).encode("utf-8"))
                block = []
        out.write("".join(block).encode("utf-8"))
        # Pad to the exact size: spaces, then a final newline.
        out.write(b" " * (size - written - 1) + b"\n")
    assert os.path.getsize(path) == size


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="64M", help="corpus size, 1M to 256M (K, M suffixes; default 64M)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", default=os.path.join(here, "corpus"), help="output directory (default Benchmarks/corpus)")
    parser.add_argument("--no-jieba", action="store_true", help="use the built-in Chinese word list even if jieba is installed")
    args = parser.parse_args()

    try:
        size = parse_size(args.size)
    except ValueError:
        parser.error(f"cannot read size {args.size!r}")
    if not MIB <= size <= 256 * MIB:
        parser.error("size must be between 1M and 256M")
    os.makedirs(args.out, exist_ok=True)

    small, large = keyword_sets(random.Random(args.seed))
    for name, words in (("keywords-100.txt", small), ("keywords-1000.txt", large)):
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
            f.write("".join(w + "\n" for w in words))

    zh_words, zh_weights, source = load_chinese_vocabulary(not args.no_jieba)
    zh_words, zh_weights = filter_vocabulary(zh_words, zh_weights, [k for k in large if not k.isascii()], lambda s: s)
    en_words, _ = filter_vocabulary(BUILTIN_EN, [1.0] * len(BUILTIN_EN), [k for k in large if k.isascii()], str.lower)
    en_words = list(dict.fromkeys(en_words))

    label = size_label(size)
    path = os.path.join(args.out, f"corpus-{label}-seed{args.seed}.txt")
    stats = {k: 0 for k in ["keywords planted", "resident-id valid", "resident-id invalid",
                            "mobile valid", "mobile valid grouped", "mobile invalid",
                            "unionpay-card luhn-valid", "unionpay-card luhn-valid grouped",
                            "unionpay-card luhn-invalid", "unionpay-card luhn-invalid grouped",
                            "coordinates", "pla-unit", "document-number", "classification-marking"]}
    tmp = path + ".tmp"
    generate(tmp, size, args.seed, zh_words, zh_weights, en_words, stats)
    os.replace(tmp, path)

    with open(os.path.join(args.out, f"manifest-{label}-seed{args.seed}.txt"), "w", encoding="utf-8") as f:
        f.write(f"corpus: {os.path.basename(path)}\nbytes: {size}\nseed: {args.seed}\n")
        f.write(f"chinese words: {source}, {len(zh_words)} after filtering\n")
        f.write(f"english words: built-in list, {len(en_words)} after filtering\n")
        for key in sorted(stats, key=lambda k: (k.startswith("keyword:"), k)):
            f.write(f"{key}: {stats[key]}\n")
    print(path)


if __name__ == "__main__":
    sys.exit(main())
