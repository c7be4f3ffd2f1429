"""Go 1.19's ``go/doc.ToText``: how kingpin lays out every help text amtool prints.

amtool's help is compared byte for byte, and kingpin does not print its help strings as
written: it parses them as Go doc comments (paragraphs, indented code blocks, ``-`` lists,
old-style headings), re-wraps paragraphs with Go's least-raggedness line breaker, and indents
code blocks with a prefix of its own. So the same rules are needed here, not ``textwrap``.
Only what plain help text can contain is modelled: no doc links or link definitions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_HEADING_FORBIDDEN = set(";:!?+*/=[]{}_^°&§~%#@<\">\\")


@dataclass
class _Block:
    kind: str  # "p" paragraph, "h" heading, "code", "list"
    text: str = ""
    items: list[tuple[str, list[str]]] = field(default_factory=list)  # (number, paragraphs)
    blank_before: bool = False
    blank_between: bool = False


def _leading_space(s: str) -> str:
    return s[: len(s) - len(s.lstrip(" \t"))]


def _is_indented(line: str) -> bool:
    return line != "" and line[0] in " \t"


def _unindent(lines: list[str]) -> list[str]:
    while lines and lines[0] in ("", "\n"):
        lines = lines[1:]
    while lines and lines[-1] in ("", "\n"):
        lines = lines[:-1]
    if not lines:
        return []
    prefix = _leading_space(lines[0])
    for line in lines[1:]:
        if line not in ("", "\n"):
            lead = _leading_space(line)
            n = 0
            while n < len(prefix) and n < len(lead) and prefix[n] == lead[n]:
                n += 1
            prefix = prefix[:n]
    out = []
    for line in lines:
        line = line.removeprefix(prefix)
        out.append("" if line.strip() == "" else line)
    while out and out[0] == "":
        out.pop(0)
    while out and out[-1] == "":
        out.pop()
    return out


def _list_marker(line: str) -> tuple[str, str] | None:
    """(number or "" for a bullet, rest of line) when `line` starts a list item."""
    if not _is_indented(line):
        return None
    line = line.strip()
    if not line:
        return None
    if line[0] in "•*+-":
        num, rest = "", line[1:]
    elif line[0].isdigit() and line[0].isascii():
        n = 1
        while n < len(line) and line[n].isascii() and line[n].isdigit():
            n += 1
        if n >= len(line) or line[n] not in ".)":
            return None
        num, rest = line[:n], line[n + 1:]
    else:
        return None
    if not _is_indented(rest) or rest.strip() == "":
        return None
    return num, rest


def _is_old_heading(line: str, lines: list[str], off: int) -> bool:
    if off <= 0 or lines[off - 1] != "" or off + 2 >= len(lines) or lines[off + 1] != "":
        return False
    if _leading_space(lines[off + 2]) != "":
        return False
    line = line.strip()
    if not (line[0].isalpha() and line[0].isupper()) or not line[-1].isalnum():
        return False
    if any(c in _HEADING_FORBIDDEN for c in line):
        return False
    for part in line.split("'")[1:]:
        if part != "s" and not part.startswith("s "):
            return False
    for part in line.split(".")[1:]:
        if part == "" or part.startswith(" "):
            return False
    return True


def _indented_span(lines: list[str], start: int) -> int:
    """End of the run of indented (or blank) lines from `start`, trailing blanks excluded."""
    i = start
    while i < len(lines) and (_is_indented(lines[i]) or lines[i] == ""):
        i += 1
    while i > start and lines[i - 1] == "":
        i -= 1
    return i


def _parse(text: str) -> list[_Block]:
    lines = _unindent(text.split("\n"))
    blocks: list[_Block] = []
    did_heading = False
    i = 0
    while i < len(lines):
        line = lines[i]
        alone = i + 1 == len(lines) or lines[i + 1] == ""
        if line == "":
            i += 1
        elif _list_marker(line) is not None:
            end = _indented_span(lines, i)
            blocks.append(_parse_list(lines[i:end], i > 0 and lines[i - 1] == ""))
            i = end
        elif _is_indented(line):
            end = _indented_span(lines, i)
            body = _unindent(lines[i:end])
            if body:
                blocks.append(_Block("code", "\n".join(body) + "\n"))
            i = max(end, i + 1)
        elif alone and not did_heading and _is_old_heading(line, lines, i):
            blocks.append(_Block("h", line.strip()))
            did_heading = True
            i += 1
        elif alone and len(line) >= 2 and line[0] == "#" and line[1] in " \t" and line.strip() != "#":
            blocks.append(_Block("h", line[1:].strip()))
            did_heading = True
            i += 1
        else:
            end = i
            while end < len(lines) and lines[end] != "" and not _is_indented(lines[end]):
                end += 1
            blocks.append(_Block("p", "\n".join(lines[i:end])))
            did_heading = False
            i = end
    return blocks


def _parse_list(lines: list[str], blank_before: bool) -> _Block:
    first = _list_marker(lines[0])
    numbered = first is not None and first[0] != ""
    block = _Block("list", blank_before=blank_before)
    text: list[str] = []

    def flush() -> None:
        if block.items and text:
            block.items[-1][1].append("\n".join(text))
        text.clear()

    for line in lines:
        marker = _list_marker(line)
        if marker is not None and (marker[0] != "") == numbered:
            flush()
            block.items.append((marker[0], []))
            line = marker[1]
        line = line.strip()
        if line == "":
            block.blank_between = True
            flush()
            continue
        text.append(line)
    flush()
    if any(len(paras) != 1 for _, paras in block.items):
        block.blank_between = True
    block.blank_before = block.blank_before or block.blank_between
    return block


def wrap(words: list[str], limit: int) -> list[int]:
    """Indexes of the first word of each line (plus len(words)): Go's least-weight line
    breaking (Hirschberg-Larmore), so ties fall exactly where Go's fall. A line's weight is
    (overflow², 0) when too long, else (0, slack² + 64 unless it ends in . , : or ;); the last
    line is free when it fits."""
    n = len(words)
    total = [0]
    for w in words:
        total.append(total[-1] + len(w) + 1)

    def weight(i: int, j: int) -> tuple[int, int]:
        length = total[j] - 1 - total[i]
        if j == n and length <= limit:
            return (0, 0)
        penalty = 0 if words[j - 1][-1] in ".,:;" else 64
        sq = (limit - length) * (limit - length)
        return (sq, penalty) if length > limit else (0, sq + penalty)

    f: list[tuple[int, int]] = [(0, 0)]

    def g(i: int, j: int) -> tuple[int, int]:
        w = weight(i, j)
        return (f[i][0] + w[0], f[i][1] + w[1])

    def bridge(a: int, b: int, c: int) -> bool:
        lo, hi = 0, n + 1 - c
        while lo < hi:
            mid = (lo + hi) // 2
            if g(a, mid + c) > g(b, mid + c):
                hi = mid
            else:
                lo = mid + 1
        k = c + lo
        return True if k > n else g(c, k) <= g(b, k)

    deque = [0]
    best_left = [-1]
    for m in range(1, n):
        f.append(g(deque[0], m))
        best_left.append(deque[0])
        while len(deque) > 1 and g(deque[1], m + 1) <= g(deque[0], m + 1):
            deque.pop(0)
        while len(deque) > 1 and bridge(deque[-2], deque[-1], m):
            deque.pop()
        if g(m, n) < g(deque[-1], n):
            deque.append(m)
            if len(deque) == 2 and g(deque[1], m + 1) <= g(deque[0], m + 1):
                deque.pop(0)
    best_left.append(deque[0])
    seq = []
    m = n
    while m > 0:
        seq.append(m)
        m = best_left[m]
    seq.append(0)
    return seq[::-1]


def _write_nl(out: list[str]) -> None:
    """Go's writeNL: trailing spaces and tabs of the line so far are dropped."""
    text = "".join(out).rstrip(" \t")
    out[:] = [text, "\n"]


def _text(out: list[str], prefix: str, indent: str, text: str, width: int) -> None:
    words = text.replace("``", "\u201c").replace("''", "\u201d").split()
    seq = [0, len(words)] if width < 0 or not words else wrap(words, width - len(indent))
    for k in range(len(seq) - 1):
        if k > 0:
            out.append(prefix + indent)
        out.append(" ".join(words[seq[k]:seq[k + 1]]))
        _write_nl(out)


def to_text(text: str, prefix: str, code_prefix: str, width: int) -> str:
    """``doc.ToText(w, text, prefix, codePrefix, width)`` as Go 1.19 prints it."""
    if width == 0:
        width = 80 - len(prefix)
    out: list[str] = []
    for idx, b in enumerate(_parse(text)):
        if idx > 0 and (b.kind != "list" or b.blank_before):
            out.append(prefix)
            _write_nl(out)
        if b.kind == "p":
            out.append(prefix)
            _text(out, prefix, "", b.text, width)
        elif b.kind == "h":
            out.append(prefix + "# ")
            _text(out, prefix, "", b.text, width)
        elif b.kind == "code":
            for line in b.text[:-1].split("\n"):
                if line:
                    out.append(code_prefix + line)
                _write_nl(out)
        else:
            for n, (num, paras) in enumerate(b.items):
                if n > 0 and b.blank_between:
                    out.append(prefix)
                    _write_nl(out)
                out.append(prefix + " " + (" - " if num == "" else num + ". "))
                for p, para in enumerate(paras):
                    if p > 0:
                        _write_nl(out)
                        out.append(prefix + "    ")
                    _text(out, prefix, "    ", para, width)
    return "".join(out)
