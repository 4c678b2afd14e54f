#!/usr/bin/env python3
"""A small upload sink on loopback for the Squid integration test.

Usage: sink.py PORT DIR [discard]

Every POST or PUT body (Content-Length or chunked) is stored as DIR/N.bin and its SHA-256
is appended to DIR/received.txt as "N SHA256 LENGTH PATH". The answer is 200 with the
SHA-256. GET /files/NAME serves DIR/files/NAME (downloads); any other GET answers 200 "sink ok". With "discard" (load tests) bodies are hashed and counted only.
"""
import hashlib
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
DIRECTORY = sys.argv[2]
DISCARD = len(sys.argv) > 3 and sys.argv[3] == "discard"
LOCK = threading.Lock()
COUNTER = [0]


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        if DISCARD:
            return
        with open(os.path.join(DIRECTORY, "access.txt"), "a") as log:
            log.write("%s %s\n" % (self.address_string(), format % args))

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = bytearray()
            while True:
                line = self.rfile.readline()
                size = int(line.split(b";")[0].strip(), 16)
                if size == 0:
                    # Trailer lines up to the empty line.
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(body)
                body += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(length)

    def answer(self, text):
        payload = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self):
        body = self.read_body()
        digest = hashlib.sha256(body).hexdigest()
        with LOCK:
            COUNTER[0] += 1
            number = COUNTER[0]
            if DISCARD:
                self.answer(digest + "\n")
                return
            with open(os.path.join(DIRECTORY, "%d.bin" % number), "wb") as out:
                out.write(body)
            with open(os.path.join(DIRECTORY, "received.txt"), "a") as log:
                log.write("%d %s %d %s\n" % (number, digest, len(body), self.path))
        self.answer(digest + "\n")

    do_PUT = do_POST

    def do_GET(self):
        if self.path.startswith("/files/"):
            path = os.path.join(DIRECTORY, "files", os.path.basename(self.path))
            if os.path.isfile(path):
                with open(path, "rb") as source:
                    payload = source.read()
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
        self.answer("sink ok\n")


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", PORT), Sink).serve_forever()
