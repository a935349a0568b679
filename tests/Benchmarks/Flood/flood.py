#!/usr/bin/env python3
"""Holds a flood of silent TCP connections on a port and sends garbage, for tests/Benchmarks/flood.sh.

usage: flood.py PORT SILENT SOURCES GARBAGE_BYTES STATUS_FILE STOP_FILE

Keeps SILENT connections open that never send a byte, spread over SOURCES loopback source addresses
(127.0.0.2 ...), and re-opens any the server closes (after 200 ms), as a persistent attacker would. At the start,
four more connections send GARBAGE_BYTES of random bytes in all. Every 200 ms it writes "open closed" to
STATUS_FILE: connections open now, and how many the server has closed so far. Stops when STOP_FILE exists.
"""
import os
import selectors
import socket
import sys
import time

port, silent, sources, garbage = (int(a) for a in sys.argv[1:5])
status_file, stop_file = sys.argv[5], sys.argv[6]
selector = selectors.DefaultSelector()
closed = 0
reopen = []  # (when, index)


def connect(index):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((f"127.0.0.{2 + index % sources}", 0))
        sock.settimeout(2)
        sock.connect(("127.0.0.1", port))
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, index)
        return True
    except OSError:
        sock.close()
        return False


def send_garbage(size):
    data = os.urandom(size)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((f"127.0.0.{2 + sources}", 0))
        sock.settimeout(5)
        sock.connect(("127.0.0.1", port))
        sock.sendall(data)
    except OSError:
        pass  # closed at the first malformed line: expected
    finally:
        sock.close()


for i in range(silent):
    if not connect(i):
        reopen.append((time.monotonic() + 0.2, i))
for _ in range(4):
    send_garbage(garbage // 4)

last_status = 0.0
while not os.path.exists(stop_file):
    for key, _ in selector.select(timeout=0.05):
        try:
            data = key.fileobj.recv(65536)
        except OSError:
            data = b""
        if not data:  # the server closed it
            selector.unregister(key.fileobj)
            key.fileobj.close()
            closed += 1
            reopen.append((time.monotonic() + 0.2, key.data))
    now = time.monotonic()
    due = [r for r in reopen if r[0] <= now]
    reopen = [r for r in reopen if r[0] > now]
    for _, index in due:
        if not connect(index):
            reopen.append((time.monotonic() + 0.2, index))
    if now - last_status >= 0.2:
        with open(status_file + ".tmp", "w") as f:
            f.write(f"{len(selector.get_map())} {closed}\n")
        os.replace(status_file + ".tmp", status_file)
        last_status = now
