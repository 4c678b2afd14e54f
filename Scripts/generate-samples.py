#!/usr/bin/env python3
"""Deterministic generator for the larger ExportGuard samples.

Writes, into the directory that holds this script:
  customers.csv        300 customer rows with valid (synthetic) resident IDs and mobiles
  id-test-numbers.txt  QA note: the public test number, masked IDs and 18-digit
                       numbers with WRONG check digits (none of them a valid ID)

The generated files are committed. To regenerate them (same bytes every run):

    python3 Scripts/generate-samples.py

Python 3 standard library only, no network, fixed seed. All people and numbers are
synthetic: resident IDs pass the GB 11643-1999 check so the scanner must treat them as
real, but they are produced from a seeded random generator, not taken from anyone.
"""

import datetime
import os
import random

SEED = 20240322  # date the CAC cross-border provisions took effect
HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Samples")

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
PUBLIC_TEST_NUMBER = "11010519491231002X"

# Real county-level administrative-division codes (first two digits in 11-15, 21-23,
# 31-37, 41-46, 50-54, 61-65) with the city used in the CSV.
REGIONS = [
    ("110101", "北京"), ("110105", "北京"), ("110108", "北京"), ("120101", "天津"),
    ("130102", "石家庄"), ("140105", "太原"), ("150102", "呼和浩特"), ("210102", "沈阳"),
    ("210202", "大连"), ("220102", "长春"), ("230103", "哈尔滨"), ("310101", "上海"),
    ("310104", "上海"), ("310115", "上海"), ("320102", "南京"), ("320505", "苏州"),
    ("330106", "杭州"), ("330203", "宁波"), ("340104", "合肥"), ("350203", "厦门"),
    ("360102", "南昌"), ("370102", "济南"), ("370202", "青岛"), ("410105", "郑州"),
    ("420106", "武汉"), ("430104", "长沙"), ("440106", "广州"), ("440305", "深圳"),
    ("450103", "南宁"), ("460106", "海口"), ("500103", "重庆"), ("510107", "成都"),
    ("520102", "贵阳"), ("530102", "昆明"), ("540102", "拉萨"), ("610113", "西安"),
    ("620102", "兰州"), ("630103", "西宁"), ("640104", "银川"), ("650102", "乌鲁木齐"),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英文华建国志红玉兰俊峰晨阳欣怡子涵浩然宇轩梓萱思远佳琪一诺雨桐博文晓东海燕春梅立新永刚玉梅"

# 11-digit mobile prefixes in allocated ranges.
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
                   "151", "152", "155", "156", "157", "158", "159", "166", "173", "175",
                   "176", "177", "180", "181", "182", "183", "185", "186", "187", "188",
                   "189", "191", "198", "199"]


def check_char(first17):
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS))
    return CHECK[total % 11]


def resident_id(rng, region, earliest, latest):
    """A valid 18-digit resident ID with a birth date between earliest and latest."""
    span = (latest - earliest).days
    birth = earliest + datetime.timedelta(days=rng.randrange(span + 1))
    sequence = rng.randrange(1, 1000)
    first17 = "%s%s%03d" % (region, birth.strftime("%Y%m%d"), sequence)
    return first17 + check_char(first17)


def wrong_check(valid_id, rng):
    """The same 17 digits with a check character that fails the GB 11643 check."""
    choices = [c for c in "0123456789X" if c != valid_id[17]]
    return valid_id[:17] + rng.choice(choices)


def chinese_name(rng):
    length = rng.choice([1, 2, 2])
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(length))


def mobile(rng):
    return rng.choice(MOBILE_PREFIXES) + "%08d" % rng.randrange(100000000)


def write(name, text):
    path = os.path.join(HERE, name)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    size = os.path.getsize(path)
    assert size < 100 * 1024, "%s is %d bytes" % (name, size)


def customers(rng):
    # Adults only: born 1955-01-01 .. 2004-12-31.
    earliest, latest = datetime.date(1955, 1, 1), datetime.date(2004, 12, 31)
    seen = set()
    lines = ["客户编号,姓名,性别,身份证号,手机号,城市,会员等级,注册日期"]
    number = 0
    while number < 300:
        region, city = rng.choice(REGIONS)
        rid = resident_id(rng, region, earliest, latest)
        if rid in seen or rid == PUBLIC_TEST_NUMBER:
            continue
        seen.add(rid)
        number += 1
        gender = "男" if int(rid[16]) % 2 == 1 else "女"
        joined = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(1800))
        level = rng.choice(["普通", "普通", "银卡", "金卡", "钻石"])
        lines.append("C%06d,%s,%s,%s,%s,%s,%s,%s" % (
            100000 + number * 7, chinese_name(rng), gender, rid, mobile(rng), city, level,
            joined.isoformat()))
    return "\n".join(lines) + "\n"


def test_numbers(rng):
    earliest, latest = datetime.date(1960, 1, 1), datetime.date(2000, 12, 31)
    wrong = []
    while len(wrong) < 8:
        region, _ = rng.choice(REGIONS)
        candidate = wrong_check(resident_id(rng, region, earliest, latest), rng)
        if candidate not in wrong:
            wrong.append(candidate)
    masked = ["1101**********123X", "3101**********4021", "4403**********0518",
              "5101**********772X", "320102********3318", "****************1X"]
    out = []
    out.append("会员系统 v3.2 测试数据说明（QA 内部使用）")
    out.append("")
    out.append("一、公开测试号码")
    out.append("证件号校验模块的正向用例只使用国家标准和各类文档中公开的示例号码：")
    out.append("  11010519491231002X   （公开示例，校验位正确，不对应真实个人）")
    out.append("")
    out.append("二、负向用例：校验位错误的 18 位号码")
    out.append("以下号码的前 17 位由脚本随机生成，最后一位故意写错，系统必须提示“证件号格式错误”：")
    for index, value in enumerate(wrong, 1):
        out.append("  用例 N-%02d  %s  期望：拒绝（校验位错误）" % (index, value))
    out.append("")
    out.append("三、脱敏显示用例")
    out.append("前端页面和导出报表中的证件号一律脱敏，只保留前 4 位和后 4 位：")
    for value in masked:
        out.append("  %s" % value)
    out.append("")
    out.append("四、说明")
    out.append("本说明中的号码均为测试或脱敏数据，不含真实客户信息。真实数据仅存放于生产库，")
    out.append("测试环境禁止导入。如有疑问请联系 QA 组。")
    return "\n".join(out) + "\n"


def main():
    write("customers.csv", customers(random.Random(SEED)))
    write("id-test-numbers.txt", test_numbers(random.Random(SEED + 1)))


if __name__ == "__main__":
    main()
