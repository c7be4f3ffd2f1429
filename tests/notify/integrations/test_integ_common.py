"""Shared pieces: Go's truncation (runes, bytes), url.Values encoding, the retry check, the
failure reasons, PagerDuty's size units, and Go's MIME text (quoted-printable, Q-encoding)."""

from __future__ import annotations

from amclone.notify.integrations.common import (
    check,
    failure_reason,
    key_hash,
    query_encode,
    truncate_bytes,
    truncate_runes,
)
from amclone.notify.integrations.email_mime import multipart, q_encode, quoted_printable
from amclone.notify.integrations.pagerduty import metric_bytes


def test_truncate_runes() -> None:
    assert truncate_runes("abcdef", 6) == ("abcdef", False)
    assert truncate_runes("abcdef", 4) == ("abc…", True)
    assert truncate_runes("ääääää", 3) == ("äää", True)  # n <= 3: no marker


def test_truncate_bytes_keeps_whole_runes() -> None:
    assert truncate_bytes("abc", 3) == ("abc", False)
    assert truncate_bytes("abcd", 3) == ("…", True)
    assert truncate_bytes("abcd", 2) == ("..", True)
    s, cut = truncate_bytes("aé€é", 7)  # 1+2+3+2 bytes; room for 4 before the 3-byte marker
    assert cut and s == "aé…" and len(s.encode()) <= 7


def test_query_encode_is_go_url_values() -> None:
    assert query_encode([("b", "x y"), ("a", "é&=/")]) == "a=%C3%A9%26%3D%2F&b=x+y"


def test_check_and_reasons() -> None:
    assert check(204, b"") == (False, None)
    retry, err = check(503, b"down")
    assert retry and str(err) == "unexpected status code 503: down" and failure_reason(err) == "serverError"
    retry, err = check(429, b"", (429,))
    assert retry and failure_reason(err) == "rateLimited"
    retry, err = check(401, b"")
    assert not retry and str(err) == "unexpected status code 401" and failure_reason(err) == "authError"
    assert failure_reason(RuntimeError("x: context deadline exceeded")) == "other"  # the retry stage decides that


def test_key_hash() -> None:
    # what 0.25 sent as dedup_key for this group key (captured)
    assert key_hash('{}:{alertname="A"}') == "ad4b39d3af6c5f089ddb8504a474cd124febe3ef322f263d58074fb0c51dc572"


def test_metric_bytes() -> None:
    assert metric_bytes(512000) == "512KB"
    assert metric_bytes(600123) == "600KB123B"


def test_quoted_printable_like_go() -> None:
    line = b"x" * 80
    assert quoted_printable(line) == b"x" * 75 + b"=\r\n" + b"x" * 5
    assert quoted_printable(b"a = b \nc\t\r\nd") == b"a =3D b=20\r\nc=09\r\nd"
    assert quoted_printable("é".encode()) == b"=C3=A9"


def test_q_encode_like_go_mime() -> None:
    assert q_encode("plain ascii") == "plain ascii"
    assert q_encode("Größe A_b?") == "=?utf-8?q?Gr=C3=B6=C3=9Fe_A=5Fb=3F?="
    long = q_encode("ü" * 30)
    words = long.split(" ")
    assert len(words) == 3 and all(len(w) <= 75 for w in words)


def test_multipart_framing() -> None:
    out = multipart([({"B": "2", "A": "1"}, b"one"), ({"A": "x"}, b"two")], "bb")
    assert out == b"--bb\r\nA: 1\r\nB: 2\r\n\r\none\r\n--bb\r\nA: x\r\n\r\ntwo\r\n--bb--\r\n"
