"""The message text 0.25's email integration writes, byte for byte: Go's quoted-printable
writer (76-column lines, soft breaks, trailing blanks encoded before a line break), RFC 2047
Q-encoding of header values (``mime.QEncoding``), and ``mime/multipart``'s framing.

Python's quopri and email packages fold and encode differently, so a receiver parsing or
signing messages would see other bytes; these few functions are the whole difference.
"""

from __future__ import annotations

import os
import random
import socket
import time
from collections.abc import Mapping, Sequence

__all__ = ["boundary", "go_date", "message_id", "multipart", "q_encode", "quoted_printable"]

LINE_MAX = 76
_HEX = "0123456789ABCDEF"


def quoted_printable(data: bytes) -> bytes:
    """``mime/quotedprintable.Writer`` (text mode) over `data`, closed."""
    out = bytearray()
    line = bytearray()
    cr = False

    def flush() -> None:
        out.extend(line)
        line.clear()

    def crlf() -> None:
        line.extend(b"\r\n")
        flush()

    def soft_break() -> None:
        line.extend(b"=")
        crlf()

    def encode(b: int) -> None:
        if LINE_MAX - 1 - len(line) < 3:
            soft_break()
        line.extend(b"=" + _HEX[b >> 4].encode() + _HEX[b & 15].encode())

    def check_last() -> None:
        if line and line[-1] in (0x20, 0x09):
            b = line.pop()
            encode(b)

    for b in data:
        if (0x21 <= b <= 0x7E and b != 0x3D) or b in (0x20, 0x09):
            if len(line) == LINE_MAX - 1:
                soft_break()
            line.append(b)
            cr = False
        elif b in (0x0A, 0x0D):
            if cr and b == 0x0A:
                cr = False
                continue
            cr = b == 0x0D
            check_last()
            crlf()
        else:
            encode(b)
    check_last()
    flush()
    return bytes(out)


_MAX_CONTENT = 75 - len("=?") - len("utf-8") - len("?q?") - len("?=")


def _needs_encoding(s: str) -> bool:
    return any((c < " " or c > "~") and c != "\t" for c in s)


def q_encode(s: str) -> str:
    """``mime.QEncoding.Encode("utf-8", s)``: unchanged unless it needs encoding, then encoded
    words of at most 75 characters, never splitting a rune."""
    if not _needs_encoding(s):
        return s
    parts = ["=?utf-8?q?"]
    cur = 0
    for ch in s:
        if " " <= ch <= "~" and ch not in "=?_":
            enc = "_" if ch == " " else ch
        else:
            enc = "".join(f"={b:02X}" for b in ch.encode("utf-8", "surrogateescape"))
        if cur + len(enc) > _MAX_CONTENT:
            parts.append("?= =?utf-8?q?")
            cur = 0
        parts.append(enc)
        cur += len(enc)
    parts.append("?=")
    return "".join(parts)


def boundary() -> str:
    """``multipart.Writer``'s random boundary: 30 random bytes in hex."""
    return os.urandom(30).hex()


def message_id(hostname: str | None = None) -> str:
    return f"<{time.time_ns()}.{random.getrandbits(64)}@{hostname or socket.gethostname()}>"


def go_date(now: float | None = None) -> str:
    """``time.Now().Format(time.RFC1123Z)`` in the local zone."""
    t = time.localtime(now if now is not None else time.time())
    off = t.tm_gmtoff or 0
    sign = "-" if off < 0 else "+"
    off = abs(off)
    return time.strftime("%a, %d %b %Y %H:%M:%S ", t) + f"{sign}{off // 3600:02d}{off % 3600 // 60:02d}"


def multipart(parts: Sequence[tuple[Mapping[str, str], bytes]], bound: str) -> bytes:
    """``multipart.Writer``: each part's headers sorted by name, then the closing delimiter."""
    out = bytearray()
    for i, (headers, body) in enumerate(parts):
        out.extend((b"\r\n--" if i else b"--") + bound.encode() + b"\r\n")
        for k in sorted(headers):
            out.extend(f"{k}: {headers[k]}\r\n".encode())
        out.extend(b"\r\n")
        out.extend(body)
    out.extend(b"\r\n--" + bound.encode() + b"--\r\n")
    return bytes(out)
