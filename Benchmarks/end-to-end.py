#!/usr/bin/env python3
"""Times the whole `exportguard scan` (and `filter`) against an anchor on the same bytes, in
one command: each anchor and ExportGuard run interleaved (A B A B ...), wall time of whole
processes, medians and their ratio. See Benchmarks/README.md, "End to end".

    Benchmarks/end-to-end.sh [--runs N] [--size 64M] [--cases text,gz,xml,docx,xlsx,dir,filter]
                             [--baseline OTHER_EXPORTGUARD] [--binary EXPORTGUARD]

Cases and their anchors (ratio = anchor time / ExportGuard time; above 1 means faster):
  text    scan of plain text, the default policy + the benchmark's 1,000 keywords, against
          Hyperscan on one core (hs-count --detectors, block mode, the same keywords + identifier
          regexes, reading the file and compiling included)
  gz      scan of the same text gzip'd, against zlib inflate alone on one core (inflate-count);
          ExportGuard both free to use both cores and pinned to one
  xml     scan of the same text as an XML export (records of short elements) against
          libxml2's SAX2 push parser alone on one core (sax-count)
  docx    scan of a .docx / .xlsx holding the first quarter of the text against inflate +
  xlsx    SAX2 push parse of the same members on one core (zip-sax-count)
Each ExportGuard case runs pinned to one core (taskset) and free to use both: a lone
input then matches on one thread while another decodes (--jobs).
  dir     scan of a directory of eight .gz files with --jobs 2 against --jobs 1
  filter  filter of a small mail (start-up: compiling the policy), against `true`
"""
import argparse
import base64
import gzip
import html
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, "corpus")
OUT = os.path.join(CORPUS, "end-to-end")
LOCK = os.environ.get("SWIFT_BUILD_LOCK", "/tmp/swift-build.lock")


def log(message):
    print(message, file=sys.stderr, flush=True)


def build_anchors():
    anchors = os.path.join(OUT, "bin")
    os.makedirs(anchors, exist_ok=True)
    xml = subprocess.run(["pkg-config", "--cflags", "--libs", "libxml-2.0"], capture_output=True, text=True, check=True).stdout.split()
    recipes = {
        "sax-count": (os.path.join(HERE, "anchors", "sax-count.c"), xml),
        "inflate-count": (os.path.join(HERE, "anchors", "inflate-count.c"), ["-lz"]),
        "zip-sax-count": (os.path.join(HERE, "anchors", "zip-sax-count.c"), xml + ["-lz"]),
        "hs-count": (os.path.join(HERE, "hyperscan", "hs-count.c"), ["-lhs"]),
    }
    paths = {}
    for name, (source, flags) in recipes.items():
        target = os.path.join(anchors, name)
        header = os.path.join(HERE, "anchors", "counting-sax.h")
        if not os.path.exists(target) or os.path.getmtime(target) < max(os.path.getmtime(source), os.path.getmtime(header)):
            subprocess.run(["cc", "-O2", "-o", target, source] + flags, check=True)
        paths[name] = target
    return paths


def build_exportguard():
    log("building exportguard (release)...")
    subprocess.run(["flock", LOCK, "swift", "build", "--package-path", ROOT, "-c", "release", "--product", "exportguard"], check=True, stdout=sys.stderr)
    path = subprocess.run(["flock", LOCK, "swift", "build", "--package-path", ROOT, "-c", "release", "--show-bin-path"],
                          capture_output=True, text=True, check=True).stdout.strip()
    return os.path.join(path, "exportguard")


def generate(size):
    source = os.path.join(CORPUS, f"corpus-{size}-seed1.txt")
    if not os.path.exists(source):
        subprocess.run([sys.executable, os.path.join(HERE, "generate-corpus.py"), "--size", size, "--seed", "1", "--out", CORPUS],
                       check=True, stdout=subprocess.DEVNULL)
    out = os.path.join(OUT, size)
    stamp = os.path.join(out, "complete")
    if os.path.exists(stamp):
        return out
    log(f"generating inputs into {out}...")
    os.makedirs(out, exist_ok=True)
    raw = open(source, "rb").read()
    raw = raw[: raw.rfind(b"\n") + 1]
    open(f"{out}/text.txt", "wb").write(raw)
    with gzip.open(f"{out}/text.txt.gz", "wb", compresslevel=6) as f:
        f.write(raw)
    lines = raw.decode("utf-8", "replace").split("\n")[:-1]

    # An XML export: one record a line, its text in fields of about 40 characters.
    with open(f"{out}/export.xml", "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<export>\n')
        for number, line in enumerate(lines, 1):
            fields = "".join(f"<f{k}>{html.escape(line[i:i + 40], quote=False)}</f{k}>"
                             for k, i in enumerate(range(0, len(line), 40), 1))
            f.write(f'<record id="{number}"><no>{number}</no>{fields}</record>\n')
        f.write("</export>\n")

    # Office documents of the first quarter of the text.
    quarter = lines[: len(lines) // 4]
    paragraphs = "".join(f"<w:p><w:r><w:t>{html.escape(line, quote=False)}</w:t></w:r></w:p>" for line in quarter)
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f"<w:body>{paragraphs}</w:body></w:document>")
    with zipfile.ZipFile(f"{out}/report.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("word/document.xml", document)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    shared = "".join(f"<si><t>{html.escape(line, quote=False)}</t></si>" for line in quarter)
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="s"><v>{r - 1}</v></c></row>'
                   for r in range(1, len(quarter) + 1))
    with zipfile.ZipFile(f"{out}/sheet.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                   '</Types>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}"><sheets><sheet name="Export" sheetId="1"/></sheets></workbook>')
        z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" count="{len(quarter)}">{shared}</sst>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>{rows}</sheetData></worksheet>')

    # A directory of eight gzip files, each an eighth of the text.
    os.makedirs(f"{out}/dir", exist_ok=True)
    step = len(lines) // 8 + 1
    for k in range(8):
        with gzip.open(f"{out}/dir/part-{k}.txt.gz", "wb", compresslevel=6) as f:
            f.write(("\n".join(lines[k * step:(k + 1) * step]) + "\n").encode("utf-8"))

    # A small mail, as Postfix hands one to the filter.
    body = base64.encodebytes("会议纪要：请于周五前提交季度报告。\n".encode("utf-8")).replace(b"\n", b"\r\n")
    open(f"{out}/small.eml", "wb").write(
        b"From: a@example.com\r\nTo: b@example.org\r\nSubject: minutes\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + body)

    # The default policy extended with the benchmark's 1,000 keywords.
    keywords = [k.strip() for k in open(os.path.join(CORPUS, "keywords-1000.txt"), encoding="utf-8") if k.strip()]
    with open(f"{out}/keywords-1000.yaml", "w", encoding="utf-8") as f:
        f.write("extends: default\nname: benchmark-keywords-1000\ncategories:\n  export-control:\n    add-keywords:\n")
        for keyword in keywords:
            escaped = keyword.replace("\\", "\\\\").replace('"', '\\"')
            f.write(f'      - "{escaped}"\n')
    open(stamp, "w").close()
    return out


def timed(command, stdin=None):
    """Wall seconds and peak RSS (KiB) of one run of `command`."""
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as source, tempfile.TemporaryFile() as errors_file:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdin=source, stdout=subprocess.DEVNULL, stderr=errors_file)
        # wait4 gives this child's own peak memory (a pipe for stderr could fill and block it).
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        errors_file.seek(0)
        errors = errors_file.read()
    code = os.waitstatus_to_exitcode(status)
    # scan exits 1 and 2 for review and block: answers, not failures.
    if code not in (0, 1, 2):
        sys.exit(f"{' '.join(command)} failed ({code}): {errors.decode(errors='replace')[-500:]}")
    timed.peak[" ".join(command)] = max(timed.peak.get(" ".join(command), 0), usage.ru_maxrss)
    return elapsed


timed.peak = {}


def measure(title, commands, runs, results):
    """commands: list of (label, argv, stdin). Interleaved: one run of each per round."""
    times = {label: [] for label, _, _ in commands}
    for label, argv, stdin in commands:
        timed(argv, stdin)  # warm-up: the page cache, the binary
    for _ in range(runs):
        for label, argv, stdin in commands:
            times[label].append(timed(argv, stdin))
    medians = {label: statistics.median(values) for label, values in times.items()}
    peaks = {label: timed.peak[" ".join(argv)] for label, argv, _ in commands}
    results.append((title, medians, {label: (min(v), max(v)) for label, v in times.items()}, peaks))
    line = ", ".join(f"{label} {medians[label] * 1000:.0f} ms" for label, _, _ in commands)
    log(f"{title}: {line}")
    return medians


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="64M")
    parser.add_argument("--cases", default="text,gz,xml,docx,xlsx,dir,filter")
    parser.add_argument("--baseline", help="another exportguard binary, timed in the same rounds")
    parser.add_argument("--binary", help="the exportguard binary to time (default: build the release one)")
    args = parser.parse_args()
    cases = args.cases.split(",")

    binary = args.binary or build_exportguard()
    anchors = build_anchors()
    out = generate(args.size)
    one = ["taskset", "-c", "0"]
    results = []
    ratios = []

    def scan(extra, path, pinned=True, exe=binary):
        return (one if pinned else []) + [exe, "scan", "--quiet"] + extra + [path]

    def with_baseline(commands, make, stdin=None):
        if args.baseline:
            commands.append(("baseline", make(args.baseline), stdin))
        return commands

    # case: (title, anchor's label, anchor's command, input, scan's extra arguments, goal on two cores)
    policy = ["--policy", f"{out}/keywords-1000.yaml"]
    anchored = {
        "text": ("text + 1,000 keywords", "hyperscan",
                 [anchors["hs-count"], "--patterns", os.path.join(CORPUS, "keywords-1000.txt"), "--detectors"], "text.txt", policy, 1.0),
        "gz": ("gzip", "inflate", [anchors["inflate-count"]], "text.txt.gz", [], 0.95),
        "xml": ("xml export", "libxml2-sax", [anchors["sax-count"]], "export.xml", [], 0.8),
        "docx": ("docx", "inflate+sax", [anchors["zip-sax-count"]], "report.docx", [], 0.7),
        "xlsx": ("xlsx", "inflate+sax", [anchors["zip-sax-count"]], "sheet.xlsx", [], 0.7),
    }
    for case, (title, label, anchor, name, extra, goal) in anchored.items():
        if case not in cases:
            continue
        path = f"{out}/{name}"
        m = measure(title, with_baseline([
            (label, one + anchor + [path], None),
            ("exportguard-1core", scan(extra, path), None),
            ("exportguard-2cores", scan(extra, path, pinned=False), None),
        ], lambda exe: scan(extra, path, pinned=False, exe=exe)), args.runs, results)
        ratios.append((f"{case}: {label} / scan on one core", m[label] / m["exportguard-1core"]))
        ratios.append((f"{case}: {label} / scan on two cores (goal >= {goal})", m[label] / m["exportguard-2cores"]))
    if "dir" in cases:
        m = measure("directory of 8 .gz", [
            ("jobs-1", scan(["--jobs", "1"], f"{out}/dir", pinned=False), None),
            ("jobs-2", scan(["--jobs", "2"], f"{out}/dir", pinned=False), None),
        ], args.runs, results)
        ratios.append(("dir: --jobs 1 / --jobs 2 (goal >= 1.8)", m["jobs-1"] / m["jobs-2"]))
    if "filter" in cases:
        m = measure("filter, small mail", with_baseline([
            ("true", ["true"], None),
            ("exportguard", [binary, "filter", "--json-output", "/dev/null"], f"{out}/small.eml"),
        ], lambda exe: [exe, "filter", "--json-output", "/dev/null"], f"{out}/small.eml"), max(args.runs, 20), results)
        ratios.append(("filter: wall ms (goal <= 15)", m["exportguard"] * 1000))

    print(f"{'case':<24} " + "median wall time (min-max, peak RSS) per command")
    for title, medians, spread, peaks in results:
        print(f"{title:<24} " + "; ".join(f"{label} {medians[label] * 1000:.0f} ms ({spread[label][0] * 1000:.0f}-{spread[label][1] * 1000:.0f}, {peaks[label] // 1024} MiB)" for label in medians))
    print()
    for label, value in ratios:
        print(f"{label:<52} {value:.2f}")


if __name__ == "__main__":
    main()
