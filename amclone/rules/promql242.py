"""Prometheus 2.42's PromQL lexer, as far as the text alone decides: where a stray character,
a bad number or an unterminated string is, and what 2.42 rejects that the parser we use (Prometheus
3's grammar) accepts.

``promql-parser`` follows Prometheus 3: it knows functions 2.42 does not (``info``,
``histogram_avg``, ``limitk``...), reads ``x[5]`` as five seconds and ``10m`` as a number, and no
longer knows ``holt_winters`` (renamed ``double_exponential_smoothing``). ``amctl check rules``
promises promtool 2.42's verdicts, so those differences are found here, with the position and
words 2.42 reports. The scan is deliberately small: identifiers, brackets, numbers and duration
tokens outside string literals and comments.
"""

from __future__ import annotations

import re

from amclone.compat.goquote import quote
from amclone.template.gotmpl.literals import unquote

_FUNCTION_NAMES = (
    "abs absent absent_over_time acos acosh asin asinh atan atanh avg_over_time ceil changes clamp "
    "clamp_max clamp_min cos cosh count_over_time days_in_month day_of_month day_of_week day_of_year deg "
    "delta deriv exp floor histogram_count histogram_sum histogram_fraction histogram_quantile holt_winters "
    "hour idelta increase irate label_replace label_join last_over_time ln log10 log2 max_over_time "
    "min_over_time minute month pi predict_linear present_over_time quantile_over_time rad rate resets "
    "round scalar sgn sin sinh sort sort_desc sqrt stddev_over_time stdvar_over_time sum_over_time tan "
    "tanh time timestamp vector year")
FUNCTIONS = frozenset(_FUNCTION_NAMES.split())
# Lexer keywords (matched case-insensitively by 2.42's lexer): operators, aggregators, modifiers.
_KEYWORD_NAMES = (
    "and or unless atan2 sum avg count min max group stddev stdvar topk bottomk count_values quantile "
    "offset by without on ignoring group_left group_right bool start end")
KEYWORDS = frozenset(_KEYWORD_NAMES.split())

IDENT_CALL = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*(?=\s*\()")
_DURATION = re.compile(r"(?:[0-9]+(?:ms|[smhdwy]))+")
_OFFSET_NUMBER = re.compile(r"(?i:\boffset)\s*-?\s*([0-9]+(?:\.[0-9]*)?)(?![0-9a-zA-Z_.])")
_START_END_CALL = re.compile(r"(?:start|end)\s*\(")
_BARE_RANGE = re.compile(r"\[\s*([0-9]+)\s*[\]:]")
RENAMED = {"holt_winters": "double_exponential_smoothing"}


def _skipped(text: str) -> list[tuple[int, int, bool]]:
    """String literals and ``#`` comments as (start, end, terminated) spans, as the lexer skips them."""
    spans: list[tuple[int, int, bool]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'`":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" and c != "`" else 1
            spans.append((i, min(j + 1, n), j < n))
            i = j + 1
        elif c == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            spans.append((i, j, True))
            i = j
        else:
            i += 1
    return spans


def code_mask(text: str) -> list[bool]:
    """True for each character outside string literals and ``#`` comments."""
    mask = [True] * len(text)
    for start, end, _ in _skipped(text):
        mask[start:end] = [False] * (end - start)
    return mask


def for_parser(text: str) -> str:
    """`text` with 2.42 function names the parser no longer knows renamed to their 3.x names."""
    mask = code_mask(text)
    out, last = [], 0
    for m in IDENT_CALL.finditer(text):
        if mask[m.start()] and m.group() in RENAMED and not preceded_by_ident(text, m.start()):
            out.append(text[last:m.start()] + RENAMED[m.group()])
            last = m.end()
    return "".join(out) + text[last:]


def preceded_by_ident(text: str, i: int) -> bool:
    return i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_:.")


def unknown_function(text: str) -> tuple[int, str] | None:
    """The first call of a name 2.42 does not know: (offset, name)."""
    mask = code_mask(text)
    for m in IDENT_CALL.finditer(text):
        name = m.group()
        if not mask[m.start()] or preceded_by_ident(text, m.start()):
            continue
        if name in FUNCTIONS or name.lower() in KEYWORDS:
            continue
        if _inside_braces(text, mask, m.start()):
            continue
        return m.start(), name
    return None


def _inside_braces(text: str, mask: list[bool], pos: int) -> bool:
    depth = 0
    for i in range(pos):
        if mask[i]:
            depth += text[i] == "{"
            depth -= text[i] == "}"
    return depth > 0


def dialect_error(text: str) -> tuple[int, str] | None:
    """The first thing 2.42 rejects in text the newer parser accepted: (offset, message)."""
    found: list[tuple[int, str]] = []
    unknown = unknown_function(text)
    if unknown is not None:
        found.append((unknown[0], f'unknown function with name "{unknown[1]}"'))
    mask = code_mask(text)
    for m in _BARE_RANGE.finditer(text):
        if mask[m.start()]:
            found.append((m.start(1), "missing unit character in duration"))
            break
    for m in _OFFSET_NUMBER.finditer(text):
        if mask[m.start()]:
            found.append((m.start(1), f'unexpected number "{m.group(1)}" in offset, expected duration'))
            break
    for m in _START_END_CALL.finditer(text):
        if mask[m.start()] and not preceded_by_ident(text, m.start()) and not text[:m.start()].rstrip().endswith("@"):
            found.append((m.end() - 1, 'unexpected "("'))
            break
    for m in _DURATION.finditer(text):
        if mask[m.start()] and not preceded_by_ident(text, m.start()) and not _duration_allowed(text, mask, m.start()):
            found.append(_unexpected_duration(text, m.start(), m.group()))
            break
    return min(found) if found else None


def _unexpected_duration(text: str, pos: int, token: str) -> tuple[int, str]:
    """2.42's words depend on what comes before: ``@`` wants a timestamp, and after a comma
    its parser's error recovery blames the comma."""
    before = text[:pos].rstrip()
    if before.endswith("@"):
        return pos, f'unexpected duration "{token}" in @, expected timestamp'
    if before.endswith(","):
        return len(before) - 1, "trailing commas not allowed in function call args"
    return pos, f'unexpected duration "{token}"'


def _duration_allowed(text: str, mask: list[bool], pos: int) -> bool:
    """2.42 takes durations only inside ``[...]`` and after ``offset``."""
    depth = 0
    for i in range(pos):
        if mask[i]:
            depth += text[i] == "["
            depth -= text[i] == "]"
    if depth > 0:
        return True
    before = text[:pos].rstrip()
    return before.lower().endswith("offset") or before.endswith("-") and before[:-1].rstrip().lower().endswith(
        "offset")


def unquote_string(lit: str) -> str:
    """A PromQL string literal's value: Go's ``strconv.Unquote`` rules, except that single quotes
    delimit strings (not runes) as in PromQL. Raises ``ValueError`` if malformed."""
    if lit[:1] == "'" and len(lit) >= 2:
        lit = '"' + lit[1:-1].replace("\\'", "'").replace('"', '\\"') + '"'
    return unquote(lit)



def position(text: str, pos: int) -> str:
    """``ParseErr.Error``'s ``line:col`` of byte offset `pos` (col counts from the last newline)."""
    prefix = text[:pos]
    line = prefix.count("\n") + 1
    col = pos - prefix.rfind("\n")
    return f"{line}:{col}"


def unmatched_closer(text: str, closer: str) -> int | None:
    """Offset of the first closing character with no opener before it."""
    opener = {")": "(", "]": "[", "}": "{"}[closer]
    mask, depth = code_mask(text), 0
    for i, c in enumerate(text):
        if not mask[i]:
            continue
        depth += (c == opener) - (c == closer)
        if depth < 0:
            return i
    return None


def unterminated(text: str) -> int | None:
    """Offset of the quote of a string literal that never ends."""
    return next((start for start, _, done in _skipped(text) if not done and text[start] != "#"), None)


def _scan_number(text: str, i: int) -> tuple[bool, int]:
    """The Go lexer's ``scanNumber`` from `i`: (ok, end). Not ok when a letter follows."""
    digits = "0123456789"
    if text[i:i + 2] in ("0x", "0X"):
        digits, i = "0123456789abcdefABCDEF", i + 2
    while i < len(text) and text[i] in digits:
        i += 1
    if text[i:i + 1] == ".":
        i += 1
        while i < len(text) and text[i] in digits:
            i += 1
    if text[i:i + 1] in ("e", "E"):
        i += 1
        if text[i:i + 1] in ("+", "-"):
            i += 1
        while i < len(text) and text[i].isdigit():
            i += 1
    return not (text[i:i + 1].isalnum() or text[i:i + 1] == "_"), i


def _remaining_duration(text: str, i: int) -> tuple[bool, int]:
    """``acceptRemainingDuration``: (ok, end); a failing final check has consumed one character."""
    if text[i:i + 1] not in tuple("smhdwy") or not text[i:i + 1]:
        return False, i
    i += 1 + (text[i + 1:i + 2] == "s")
    while text[i:i + 1].isdigit():
        while text[i:i + 1].isdigit():
            i += 1
        if not text[i:i + 1] or text[i] not in "smhdw":
            return False, i
        i += 1 + (text[i + 1:i + 2] == "s")
    nxt = text[i:i + 1]
    return not (nxt.isalnum() or nxt == "_"), i + (1 if nxt else 0)


def number_error(text: str) -> str | None:
    """The first number-like token the Go lexer rejects: inside ``[...]`` it must be a duration
    (``missing unit character in duration``, ``bad duration syntax: "1mc"``), elsewhere a number
    or a duration (``bad number or duration syntax: "9"``)."""
    mask, depth = code_mask(text), 0
    i = 0
    while i < len(text):
        c = text[i]
        if not mask[i]:
            i += 1
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
        if c.isdigit() or (c == "." and text[i + 1:i + 2].isdigit()):
            if i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_:"):
                i += 1
                continue
            ok, end = _scan_number(text, i)
            if depth > 0:
                if ok and text[end:end + 1] not in tuple("smhdwy"):
                    return f"{position(text, i)}: parse error: missing unit character in duration"
                good, dend = _remaining_duration(text, end)
                if not good:
                    return f"{position(text, i)}: parse error: bad duration syntax: {quote(text[i:dend])}"
            elif not ok:
                good, dend = _remaining_duration(text, end)
                if not good:
                    return f"{position(text, i)}: parse error: bad number or duration syntax: {quote(text[i:dend])}"
            i = max(end, i + 1)
            continue
        i += 1
    return None
