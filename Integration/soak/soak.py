#!/usr/bin/env python3
"""Soak test of `exportguard serve`: many concurrent clients on loopback for a given time.

Usage: soak.py SECONDS HTTP_PORT ICAP_PORT SERVER_PID MAX_BODY [CLIENTS]

Each client loops over a weighted mix: benign and blocked uploads over HTTP (POST /v1/scan)
and ICAP (REQMOD, with and without Allow: 204), slow clients sending one byte per 100 ms,
clients that disconnect mid-body, bodies over the size limit, malformed HTTP and ICAP.
Every answer is checked (a benign ICAP upload comes back byte-identical or as 204, a blocked
one is refused with 403; HTTP verdicts are allow and block). A monitor asks /healthz every
second and samples the server's VmRSS and open file descriptors from /proc. Prints a
summary; the exit status is non-zero on any wrong answer, a missed health check, growth of
memory or descriptors beyond 10 % after warm-up, or the server's death.
"""
import asyncio
import json
import os
import random
import statistics
import sys
import time

SECONDS, HTTP_PORT, ICAP_PORT, PID, MAX_BODY = (float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]),
                                              int(sys.argv[4]), int(sys.argv[5]))
CLIENTS = int(sys.argv[6]) if len(sys.argv) > 6 else 100
HOST = "127.0.0.1"
TIMEOUT = 60

WORDS = "the quarterly report shows revenue growth across regions and a new office in spring".split()


def benign(size):
    rng = random.Random(size)
    out = []
    total = 0
    while total < size:
        line = " ".join(rng.choice(WORDS) for _ in range(12)) + "\n"
        out.append(line)
        total += len(line)
    return "".join(out).encode()[:size]


# A state-secret marking blocks on its own, wherever in the body it is.
BLOCKED_LINE = "机密★10年 内部会议纪要，不得外传\n".encode()


def blocked(size):
    body = bytearray(benign(size))
    at = random.randrange(0, max(1, len(body) - len(BLOCKED_LINE)))
    body[at:at + len(BLOCKED_LINE)] = BLOCKED_LINE
    return bytes(body)


class Failure(Exception):
    pass


stats = {}
failures = []


def count(name):
    stats[name] = stats.get(name, 0) + 1


kinds = {}


def fail(name, why):
    failures.append(f"{name}: {why}")
    count(name + " FAILED")
    kind = why.split(":", 1)[0] if why[:1].isupper() else "wrong answer"
    kinds[kind] = kinds.get(kind, 0) + 1


async def read_http_response(reader):
    """Reads one HTTP/1.1 or ICAP response head, and its body when Content-Length says."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip()
    body = b""
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        body = await read_chunked(reader)
    return status, headers, body


async def read_chunked(reader):
    body = bytearray()
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";")[0].strip(), 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return bytes(body)
        body += await reader.readexactly(size)
        await reader.readexactly(2)


def chunked(body, piece=16384):
    out = bytearray()
    for start in range(0, len(body), piece):
        part = body[start:start + piece]
        out += b"%x\r\n" % len(part) + part + b"\r\n"
    return bytes(out)


async def connect(port):
    return await asyncio.wait_for(asyncio.open_connection(HOST, port), TIMEOUT)


async def http_scan(body, delay=0.0):
    reader, writer = await connect(HTTP_PORT)
    try:
        request = (b"POST /v1/scan HTTP/1.1\r\nHost: soak\r\nContent-Type: application/octet-stream\r\n"
                   b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)) + body
        if delay:
            writer.write(request[:len(request) - len(body)])
            for byte in body:
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(delay)
        else:
            writer.write(request)
        await writer.drain()
        status, _, answer = await asyncio.wait_for(read_http_response(reader), TIMEOUT)
        return status, answer
    finally:
        writer.close()


def verdict_of(answer):
    first = answer.split(b"\n", 1)[0]
    return json.loads(first)["verdict"]


async def icap_reqmod(body, allow204):
    request_head = (b"POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Type: text/plain\r\n"
                    b"Content-Length: %d\r\n\r\n" % len(body))
    icap = (b"REQMOD icap://%s:%d/reqmod ICAP/1.0\r\nHost: %s\r\n" % (HOST.encode(), ICAP_PORT, HOST.encode())
            + (b"Allow: 204\r\n" if allow204 else b"")
            + b"Encapsulated: req-hdr=0, req-body=%d\r\n\r\n" % len(request_head))
    reader, writer = await connect(ICAP_PORT)
    try:
        writer.write(icap + request_head + chunked(body) + b"0\r\n\r\n")
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        if status == 204:
            return 204, None, None
        encapsulated = next((l.split(":", 1)[1] for l in lines if l.lower().startswith("encapsulated:")), "")
        offsets = dict(part.strip().split("=") for part in encapsulated.split(",") if "=" in part)
        if "req-hdr" in offsets:
            length = int(offsets.get("req-body", offsets.get("null-body", 0)))
            http_head = await asyncio.wait_for(reader.readexactly(length), TIMEOUT)
            inner = await asyncio.wait_for(read_chunked(reader), TIMEOUT) if "req-body" in offsets else b""
            return status, http_head, inner
        # A response in place of the request: the block page.
        length = int(offsets.get("res-body", offsets.get("null-body", 0)))
        http_head = await asyncio.wait_for(reader.readexactly(length), TIMEOUT)
        inner = await asyncio.wait_for(read_chunked(reader), TIMEOUT) if "res-body" in offsets else b""
        return status, http_head, inner
    finally:
        writer.close()


async def scenario_http_benign():
    body = benign(random.choice([200, 4096, 65536, 262144]))
    status, answer = await http_scan(body)
    if status != 200 or verdict_of(answer) != "allow":
        raise Failure(f"status {status}, {answer[:200]!r}")


async def scenario_http_blocked():
    status, answer = await http_scan(blocked(random.choice([200, 4096, 65536])))
    if status != 200 or verdict_of(answer) != "block":
        raise Failure(f"status {status}, {answer[:200]!r}")


async def scenario_icap_benign():
    body = benign(random.choice([100, 8192, 100000]))
    allow204 = random.random() < 0.5
    status, head, inner = await icap_reqmod(body, allow204)
    if status == 204 and allow204:
        return
    if status != 200 or head is None or not head.startswith(b"POST /upload") or inner != body:
        raise Failure(f"ICAP {status}, head {head[:60] if head else None!r}, body {'identical' if inner == body else 'differs'}")


async def scenario_icap_blocked():
    status, head, inner = await icap_reqmod(blocked(random.choice([300, 8192, 100000])), random.random() < 0.5)
    if status != 200 or head is None or not head.startswith(b"HTTP/1.1 403"):
        raise Failure(f"ICAP {status}, head {head[:60] if head else None!r}")


async def scenario_slow():
    # One byte per 100 ms: the server must wait for the body, not time out or tie up others.
    status, answer = await http_scan(b"slow client, benign text\n", delay=0.1)
    if status != 200 or verdict_of(answer) != "allow":
        raise Failure(f"status {status}, {answer[:200]!r}")


async def scenario_disconnect():
    reader, writer = await connect(random.choice([HTTP_PORT, ICAP_PORT]))
    writer.write(b"POST /v1/scan HTTP/1.1\r\nHost: soak\r\nContent-Length: 1000000\r\n\r\n" + benign(5000))
    await writer.drain()
    await asyncio.sleep(random.random() * 0.2)
    writer.transport.abort()


async def scenario_oversize():
    reader, writer = await connect(HTTP_PORT)
    try:
        writer.write(b"POST /v1/scan HTTP/1.1\r\nHost: soak\r\nContent-Length: %d\r\n\r\n" % (MAX_BODY + 1))
        await writer.drain()
        status, _, _ = await asyncio.wait_for(read_http_response(reader), TIMEOUT)
        if status != 413:
            raise Failure(f"status {status} for a body over the limit")
    finally:
        writer.close()


async def scenario_malformed():
    port, garbage = random.choice([
        (HTTP_PORT, b"GARBAGE\r\n\r\n"),
        (HTTP_PORT, b"POST /v1/scan HTTP/1.1\r\nContent-Length: nope\r\n\r\n"),
        (HTTP_PORT, b"POST /v1/scan HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
        (ICAP_PORT, b"FOO icap://127.0.0.1/reqmod ICAP/1.0\r\n\r\n"),
        (ICAP_PORT, b"REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=99999\r\n\r\nxx"),
        (ICAP_PORT, b"REQMOD icap://127.0.0.1/reqmod ICAP/1.0\r\nEncapsulated: req-hdr=0, req-body=10\r\n\r\nGET / HTTP/1.1\r\nzz\r\n"),
        (ICAP_PORT, bytes(random.getrandbits(8) for _ in range(300))),
    ])
    reader, writer = await connect(port)
    try:
        writer.write(garbage)
        await writer.drain()
        try:
            writer.write_eof()
        except OSError:
            pass
        answer = await asyncio.wait_for(reader.read(4096), TIMEOUT)
        if answer and not (answer.startswith(b"HTTP/1.1 4") or answer.startswith(b"ICAP/1.0 4") or answer.startswith(b"ICAP/1.0 5")):
            raise Failure(f"answered {answer[:80]!r}")
    finally:
        writer.close()


SCENARIOS = [
    (scenario_http_benign, 20), (scenario_http_blocked, 10), (scenario_icap_benign, 20),
    (scenario_icap_blocked, 10), (scenario_slow, 3), (scenario_disconnect, 6),
    (scenario_oversize, 4), (scenario_malformed, 6),
]


async def client(deadline):
    functions = [f for f, _ in SCENARIOS]
    weights = [w for _, w in SCENARIOS]
    while time.monotonic() < deadline:
        scenario = random.choices(functions, weights)[0]
        name = scenario.__name__.removeprefix("scenario_")
        try:
            await scenario()
            count(name)
        except Failure as failure:
            fail(name, str(failure))
        except (asyncio.TimeoutError, ConnectionError, asyncio.IncompleteReadError, OSError, ValueError, KeyError) as error:
            if name in ("disconnect", "malformed"):
                count(name)  # the server may close first: that is an answer too
            else:
                fail(name, f"{type(error).__name__}: {error}")


def sample():
    try:
        with open(f"/proc/{PID}/status") as status:
            rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
        fds = len(os.listdir(f"/proc/{PID}/fd"))
        return rss, fds
    except (FileNotFoundError, ProcessLookupError):
        return None


async def monitor(deadline, samples, health):
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            reader, writer = await connect(HTTP_PORT)
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n")
            await writer.drain()
            status, _, _ = await asyncio.wait_for(read_http_response(reader), 5)
            writer.close()
            health.append((status == 200, time.monotonic() - started))
        except (asyncio.TimeoutError, ConnectionError, asyncio.IncompleteReadError, OSError) as error:
            health.append((False, time.monotonic() - started))
            failures.append(f"healthz: {type(error).__name__} {error}")
        reading = sample()
        if reading is None:
            failures.append("the server is gone")
            return
        samples.append((time.monotonic(), *reading))
        await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - started)))


async def main():
    idle = sample()
    start = time.monotonic()
    deadline = start + SECONDS
    samples, health = [], []
    await asyncio.gather(monitor(deadline, samples, health), *(client(deadline) for _ in range(CLIENTS)))
    await asyncio.sleep(2)  # let the server close what the clients left
    after = sample()

    # Flat after warm-up: the median of the last quarter within 10 % of the quarter after warm-up.
    warm = start + min(10.0, SECONDS * 0.25)
    steady = [s for s in samples if s[0] >= warm]
    problems = list(failures)
    if len(steady) >= 8:
        quarter = max(2, len(steady) // 4)
        early_rss = statistics.median(s[1] for s in steady[:quarter])
        late_rss = statistics.median(s[1] for s in steady[-quarter:])
        early_fds = statistics.median(s[2] for s in steady[:quarter])
        late_fds = statistics.median(s[2] for s in steady[-quarter:])
        print(f"memory: VmRSS {early_rss / 1024:.1f} MiB after warm-up, {late_rss / 1024:.1f} MiB at the end "
              f"(peak {max(s[1] for s in samples) / 1024:.1f} MiB); descriptors {early_fds:.0f} then {late_fds:.0f} under load")
        if late_rss > early_rss * 1.10:
            problems.append(f"VmRSS grew from {early_rss} to {late_rss} KiB after warm-up")
        if late_fds > early_fds * 1.10 + 2:
            problems.append(f"open descriptors grew from {early_fds} to {late_fds} under load")
    else:
        print("memory: too few samples for a trend (run longer than 20 s)")
    if idle and after:
        print(f"descriptors idle: {idle[1]} before, {after[1]} after")
        if after[1] > idle[1] + 2:
            problems.append(f"descriptors left open: {idle[1]} before the run, {after[1]} after")
    if after is None:
        problems.append("the server died")
    healthy = sum(1 for ok, _ in health if ok)
    slowest = max((t for _, t in health), default=0)
    print(f"healthz: {healthy}/{len(health)} answered 200, slowest {slowest * 1000:.0f} ms")
    if healthy != len(health) or not health:
        problems.append("a health check failed")
    total = sum(v for k, v in stats.items() if not k.endswith("FAILED"))
    print(f"{total} exchanges in {SECONDS:.0f} s with {CLIENTS} clients: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.items())))
    if kinds:
        print("failures by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    for problem in problems[:20]:
        print("FAIL -", problem)
    print("soak: " + ("passed" if not problems else f"{len(problems)} problems"))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
