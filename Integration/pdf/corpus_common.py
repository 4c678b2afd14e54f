"""Test content shared by the corpus generators: the markings, phrases and a fake resident
ID list (valid GB 11643 / ISO 7064 MOD 11-2 check digits), all deterministic so every run
of make-corpus.sh puts the same text into the PDFs."""

MARK_SECRET_10Y = "机密★10年"
MARK_TOP_SECRET = "绝密"
MARK_INTERNAL = "内部资料 不得外传"
MARK_EN = "Confidential"

# Weights and check characters of GB 11643-1999 (ISO 7064 MOD 11-2).
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def is_valid_id(number: str) -> bool:
    return len(number) == 18 and number[:17].isdigit() and number[17] == check_digit(number[:17])


def resident_ids(count: int = 8) -> list[str]:
    """Fake but checksum-valid 18-digit resident IDs: real region codes, plausible birth
    dates, sequence numbers stepped so that at least one ends in the check character X."""
    regions = ["110101", "310104", "440305", "510107", "330106", "420102", "320102", "610113"]
    births = ["19800101", "19751231", "19920229", "19880615", "20000301", "19690707", "19850520", "19991111"]
    ids = []
    for i in range(count):
        body17 = None
        for seq in range(100 + 37 * i, 1000):
            candidate = regions[i % len(regions)] + births[i % len(births)] + f"{seq:03d}"
            # The first ID deliberately ends in X (a case naive digit-only matchers miss).
            if i == 0 and check_digit(candidate) != "X":
                continue
            body17 = candidate
            break
        ids.append(body17 + check_digit(body17))
    assert all(is_valid_id(n) for n in ids)
    return ids


NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇"]

MIXED_PARAGRAPHS = [
    f"{MARK_SECRET_10Y}  本文件为{MARK_INTERNAL}，仅供项目组成员阅读。This document is {MARK_EN}.",
    "第一章 概述：ExportGuard 检查导出的数据，Data export review covers 客户名单 and 身份证号码。",
    f"第二章 {MARK_TOP_SECRET}事项：未经批准，不得复制、转发或上传至外部网络 (external networks)。",
]

if __name__ == "__main__":
    for n in resident_ids():
        print(n)
