#!/usr/bin/env python3
"""Ordinary business exports of card-length numbers, for measuring false persons.

    python3 Scripts/generate-business-exports.py DIR
    exportguard scan --format json DIR/*.csv

Writes six CSV files of 3,000 rows each into DIR (created if missing), none holding a
person's data: IMEIs with Samsung (35) and Chinese (86) TACs and their Luhn check digit,
EAN-13 and GTIN-14 barcodes, 18/19-digit e-commerce order numbers, 16/18-digit bank
transaction serial numbers, and 18-digit order numbers shaped like resident IDs (region,
birth date) with a wrong check character. Every one should be allowed with nobody
counted; `Tests/ExportGuardScanningTests/NumericPrecisionTests.swift` checks the same kinds.
Python 3 standard library only, fixed seed: the same bytes on every run; nothing here is
committed output.
"""
import os
import random
import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECKS = "10X98765432"


def luhn_digit(body):
    total = 0
    for offset, char in enumerate(reversed(body)):
        digit = int(char)
        if offset % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def gs1_digit(body):
    return (10 - sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body))) % 10) % 10


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: generate-business-exports.py DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(1)

    def digits(n):
        return "".join(rng.choice("0123456789") for _ in range(n))

    def write(name, header, rows):
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(header + "\n" + "\n".join(rows) + "\n")

    def imei(i):
        body = ("35" if i % 2 == 0 else "86") + digits(12)
        return f"终端{i},{body}{luhn_digit(body)},2024-03-{10 + i % 18}"

    def ean(i):
        body = "69" + digits(10)
        return f"商品{i},{body}{gs1_digit(body)},{i % 97}.50"

    def gtin(i):
        body = "169" + digits(10)
        return f"{body}{gs1_digit(body)},{i % 40 + 1}"

    def order(i):
        number = "2024" + digits(14) if i % 2 == 0 else ("62" + digits(17) if rng.random() < 0.1 else "6" + digits(18))
        return f"{number},{i % 500}.00,已发货"

    def serial(i):
        return f"{'4' + digits(15) if i % 2 == 0 else '62' + digits(16)},{i % 900}.00,货款"

    def id_shaped(i):
        body = f"62010219{10 + rng.randrange(89)}{rng.randrange(12) + 1:02d}{rng.randrange(28) + 1:02d}{digits(3)}"
        right = CHECKS[sum(int(a) * w for a, w in zip(body, WEIGHTS)) % 11]
        wrong = [c for c in "0123456789" if c != right][0 if i % 2 == 0 else -1]
        return f"{body}{wrong},客户{i}"

    write("imei.csv", "设备,IMEI,入库日期", [imei(i) for i in range(3000)])
    write("ean13.csv", "商品,条码,单价", [ean(i) for i in range(3000)])
    write("gtin14.csv", "箱码,数量", [gtin(i) for i in range(3000)])
    write("orders.csv", "订单号,金额,状态", [order(i) for i in range(3000)])
    write("serials.csv", "流水号,交易金额,摘要", [serial(i) for i in range(3000)])
    write("id-shaped-orders.csv", "单号,客户", [id_shaped(i) for i in range(3000)])


if __name__ == "__main__":
    main()
