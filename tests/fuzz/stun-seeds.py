#!/usr/bin/env python3
# Writes the seed corpus of fuzz-stun (tests/fuzz/corpus/stun/): answers shaped
# like coturn's, and near misses. Each file is one byte choosing the request
# (0: Binding, 1: Allocate, 2: burst; see fuzz-stun.c) and then the answer(s).
# The transaction ids are zero: the fuzzer copies the request's in.
#   tests/fuzz/stun-seeds.py [DIR]
import os
import struct
import sys
import zlib

COOKIE = 0x2112A442
TID = bytes(12)


def attr(kind, value):
    pad = (4 - len(value) % 4) % 4
    return struct.pack("!HH", kind, len(value)) + value + bytes(pad)


def xor_addr(ip, port):
    if ":" in ip:
        import ipaddress
        raw = ipaddress.IPv6Address(ip).packed
        key = struct.pack("!I", COOKIE) + TID
        return struct.pack("!BBH", 0, 2, port ^ (COOKIE >> 16)) + bytes(a ^ b for a, b in zip(raw, key))
    raw = bytes(int(x) for x in ip.split("."))
    return struct.pack("!BBH", 0, 1, port ^ (COOKIE >> 16)) + bytes(a ^ b for a, b in zip(raw, struct.pack("!I", COOKIE)))


def plain_addr(ip, port):
    return struct.pack("!BBH", 0, 1, port) + bytes(int(x) for x in ip.split("."))


def error(code, reason):
    return struct.pack("!HBB", 0, code // 100, code % 100) + reason.encode()


def message(kind, attrs, fingerprint=False, length=None):
    body = b"".join(attrs)
    if fingerprint:
        head = struct.pack("!HHI", kind, len(body) + 8, COOKIE) + TID
        crc = zlib.crc32(head + body) ^ 0x5354554E
        body += attr(0x8028, struct.pack("!I", crc & 0xFFFFFFFF))
    return struct.pack("!HHI", kind, len(body) if length is None else length, COOKIE) + TID + body


BIND_OK, BIND_ERR, ALLOC_OK, ALLOC_ERR = 0x0101, 0x0111, 0x0103, 0x0113
XOR_MAPPED, XOR_RELAYED, LIFETIME, ERROR_CODE = 0x0020, 0x0016, 0x000D, 0x0009
REALM, NONCE, ALTERNATE, SOFTWARE, MAPPED = 0x0014, 0x0015, 0x8023, 0x8022, 0x0001

challenge = message(ALLOC_ERR, [attr(ERROR_CODE, error(401, "Unauthorized")),
                                attr(NONCE, b"a1b2c3d4e5f60718"), attr(REALM, b"lab.test"),
                                attr(SOFTWARE, b"Coturn-4.6.1")], fingerprint=True)
seeds = {
    "binding-ok": (0, message(BIND_OK, [attr(XOR_MAPPED, xor_addr("198.18.0.2", 40000)),
                                        attr(SOFTWARE, b"Coturn-4.6.1")], fingerprint=True)),
    "binding-ok-ipv6": (0, message(BIND_OK, [attr(XOR_MAPPED, xor_addr("2001:db8::2", 40000))])),
    "binding-ok-old-mapped": (0, message(BIND_OK, [attr(MAPPED, plain_addr("198.18.0.2", 40000))])),
    "binding-error": (0, message(BIND_ERR, [attr(ERROR_CODE, error(400, "Bad Request"))])),
    "binding-alternate": (0, message(BIND_ERR, [attr(ERROR_CODE, error(300, "Try Alternate")),
                                                attr(ALTERNATE, plain_addr("198.18.1.20", 3478))])),
    "binding-bad-fingerprint": (0, message(BIND_OK, [attr(XOR_MAPPED, xor_addr("198.18.0.2", 1)),
                                                     attr(0x8028, b"\0\0\0\0")])),
    "binding-unknown-mandatory": (0, message(BIND_OK, [attr(0x0031, b"abcd")])),
    "binding-truncated-attr": (0, message(BIND_OK, [struct.pack("!HH", XOR_MAPPED, 64) + b"\0\1"])),
    "binding-huge-length": (0, message(BIND_OK, [], length=0xFFFC)),
    "binding-error-control-chars": (0, message(BIND_ERR, [attr(ERROR_CODE, error(420, "bad\x1b[31m\xff"))])),
    "burst-ok": (2, message(BIND_OK, [attr(XOR_MAPPED, xor_addr("198.18.0.2", 40000))])),
    "allocate-challenge": (1, challenge),
    "allocate-challenge-then-ok": (1, challenge + message(ALLOC_OK, [
        attr(XOR_RELAYED, xor_addr("198.18.1.20", 50000)),
        attr(XOR_MAPPED, xor_addr("198.18.0.2", 40000)),
        attr(LIFETIME, struct.pack("!I", 600))], fingerprint=True)),
    "allocate-challenge-then-401": (1, challenge + challenge),
    "allocate-stale-nonce": (1, message(ALLOC_ERR, [attr(ERROR_CODE, error(438, "Stale Nonce")),
                                                     attr(NONCE, b"n2"), attr(REALM, b"lab.test")])),
    "allocate-401-no-realm": (1, message(ALLOC_ERR, [attr(ERROR_CODE, error(401, "Unauthorized"))])),
    "allocate-ok-no-relayed": (1, message(ALLOC_OK, [attr(LIFETIME, struct.pack("!I", 600))])),
    "allocate-quota": (1, message(ALLOC_ERR, [attr(ERROR_CODE, error(486, "Allocation Quota Reached"))])),
    "allocate-error-no-code": (1, message(ALLOC_ERR, [attr(SOFTWARE, b"x")])),
    "not-stun-http": (0, b"HTTP/1.1 400 Bad Request\r\n\r\n"),
    "no-cookie": (0, struct.pack("!HHI", BIND_OK, 0, 0) + TID),
}

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "stun")
os.makedirs(out, exist_ok=True)
for name, (usage, data) in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([usage]) + data)
