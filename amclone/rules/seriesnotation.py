"""The series notation of promtool's unit tests and PromQL test scripts: ``metric{l="v"}`` and the
expanding values ``1+2x10 _ _x3 stale -1 Inf``.

The rules are the grammar's (``series_item`` in Prometheus's parser), worth stating because
they are easy to get wrong by one: ``a+bxN`` and ``axN`` give N+1 values (a, a+b, ..., a+Nb, the
increment added as a float each step), ``_xN`` gives N omitted samples, ``_`` one, ``stale`` a
staleness marker (the exact NaN bit pattern, so it is never confused with a NaN value), ``Inf``
and ``NaN`` any case. There are no hex numbers (``0x3`` is zero, four times), and a leading zero
makes an integer octal (``010`` is 8), as Go's ParseInt reads it. An omitted sample is ``None`` here: a step with no sample.
"""

from __future__ import annotations

import re

from amclone.rules.exprcheck import unquote_string
from amclone.tsdb.stale import STALE_NAN


class NotationError(ValueError):
    """Bad series text; the message says what and where."""


_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")  # no hex: 0x3 is "0, 3 times"
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_METRIC = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`[^`]*`')


def _number(text: str) -> float:
    """``parser.number``: Go's ``ParseInt(s, 0, 64)`` first (so ``010`` is octal 8), then ParseFloat."""
    if text.isdigit() and len(text) > 1 and text[0] == "0" and set(text) <= set("01234567"):
        return float(int(text, 8))
    return float(text)


class _Values:
    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0

    def fail(self, what: str) -> NotationError:
        return NotationError(f"{what} at position {self.pos + 1} in series values {self.text!r}")

    def peek(self) -> str:
        return self.text[self.pos:self.pos + 1]

    def number(self) -> float | None:
        """An unsigned number (Inf/NaN included), or None if there is none here."""
        m = _NUMBER.match(self.text, self.pos)
        if m is not None:
            end = m.end()
            nxt = self.text[end:end + 1]
            if nxt and (nxt.isalnum() or nxt == "_") and nxt != "x":
                raise self.fail("bad number syntax")
            self.pos = end
            return _number(m.group())
        m = _IDENT.match(self.text, self.pos)
        if m is not None and m.group().lower() in ("inf", "nan"):
            self.pos = m.end()
            return float(m.group().lower())
        return None

    def signed(self) -> float | None:
        sign = self.peek()
        if sign not in ("+", "-"):
            return None
        self.pos += 1
        v = self.number()
        if v is None:
            raise self.fail("expected a number after the sign")
        return -v if sign == "-" else v

    def times(self) -> int | None:
        if self.peek() != "x":
            return None
        self.pos += 1
        m = re.compile(r"[0-9]+").match(self.text, self.pos)
        if m is None:
            raise self.fail("expected a repetition count after 'x'")
        self.pos = m.end()
        return int(m.group())

    def item(self) -> list[float | None]:
        if self.peek() == "_":
            self.pos += 1
            n = self.times()
            return [None] * (1 if n is None else n)
        m = _IDENT.match(self.text, self.pos)
        value: float | None
        if m is not None and m.group() == "stale":
            self.pos = m.end()
            value = STALE_NAN
        else:
            value = self.signed()
            if value is None:
                value = self.number()
        if value is None:
            raise self.fail('unexpected input, expected number or "stale"')
        step = self.signed()
        n = self.times()
        if step is not None and n is None:
            raise self.fail("expected 'x' and a count after the increment")
        if n is None:
            return [value]
        out: list[float | None] = []
        for _ in range(n + 1):
            out.append(value)
            value += step or 0.0
        return out

    def all(self) -> tuple[float | None, ...]:
        out: list[float | None] = []
        while self.pos < len(self.text):
            if self.text[self.pos].isspace():
                self.pos += 1
                continue
            out.extend(self.item())
            if self.pos < len(self.text) and not self.text[self.pos].isspace():
                raise self.fail("unexpected character in series values")
        return tuple(out)


def parse_values(text: str) -> tuple[float | None, ...]:
    """Expand the values notation; None marks an omitted sample."""
    return _Values(text).all()


def parse_metric(text: str) -> dict[str, str]:
    """``metric{a="b", c='d'}`` (or just one of the two parts) to a label set."""
    s = text.strip()
    labels: dict[str, str] = {}
    m = _METRIC.match(s)
    pos = 0
    if m is not None:
        labels["__name__"] = m.group()
        pos = m.end()
    rest = s[pos:].strip()
    if not rest:
        if not labels:
            raise NotationError(f"no metric name or labels in {text!r}")
        return labels
    if not rest.startswith("{") or not rest.endswith("}"):
        raise NotationError(f"unexpected text in series {text!r}")
    body, i = rest[1:-1], 0
    while True:
        while i < len(body) and body[i].isspace():
            i += 1
        if i >= len(body):
            break
        nm = _IDENT.match(body, i)
        if nm is None:
            raise NotationError(f"bad label name in series {text!r}")
        j = nm.end()
        while j < len(body) and body[j].isspace():
            j += 1
        if body[j:j + 1] != "=" or body[j + 1:j + 2] == "~":
            raise NotationError(f'expected "=" after label {nm.group()!r} in series {text!r}')
        j += 1
        while j < len(body) and body[j].isspace():
            j += 1
        sm = _STRING.match(body, j)
        if sm is None:
            raise NotationError(f"expected a quoted value for label {nm.group()!r} in series {text!r}")
        try:
            labels[nm.group()] = unquote_string(sm.group())
        except ValueError:
            raise NotationError(f"invalid quoted value for label {nm.group()!r} in series {text!r}") from None
        i = sm.end()
        while i < len(body) and body[i].isspace():
            i += 1
        if i < len(body):
            if body[i] != ",":
                raise NotationError(f"expected \",\" or \"}}\" in series {text!r}")
            i += 1
    return labels
