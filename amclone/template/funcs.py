"""Alertmanager 0.25's template function map (``template.DefaultFuncs``).

Go's ``strings.ToUpper`` maps rune by rune (``ß`` stays ``ß``), ``title`` is x/text's
``cases.Title`` (first letter of each word upper, the rest lower), ``match`` and ``reReplaceAll``
use Go's RE2 regexps unanchored with ``$1``/``${name}`` expansion. Signatures are declared so the
engine checks arguments as Go's reflection would.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

from amclone.compat.goquote import quote
from amclone.labels.regex import Regex, RegexError, compile_unanchored
from amclone.template.gotmpl.values import HTML, Func, GoError, StringSlice


def _map_runes(s: str, upper: bool) -> str:
    conv = str.upper if upper else str.lower
    if s.isascii():
        return conv(s)
    out = []
    for c in s:
        m = conv(c)
        out.append(m if len(m) == 1 else c)
    return "".join(out)


def to_upper(s: str) -> str:
    return _map_runes(s, True)


def to_lower(s: str) -> str:
    return _map_runes(s, False)


def _wordish(c: str) -> bool:
    return c == "_" or unicodedata.category(c)[0] in "LMN"


def title(s: str) -> str:
    """cases.Title(language.AmericanEnglish): in each word (Unicode word segmentation, roughly:
    letters, digits and "_", joined by "'", "." or ":" between them) the first cased letter is
    upper-cased and the rest lower-cased."""
    out = []
    n = len(s)
    seen_cased = False
    for i, c in enumerate(s):
        if _wordish(c):
            cased = c.lower() != c.upper()
            if cased and not seen_cased:
                t = c.title()
                out.append(t if len(t) == 1 else c)
                seen_cased = True
            else:
                m = c.lower()
                out.append(m if len(m) == 1 else c)
            continue
        joins = (c in "'\u2019.:" and 0 < i < n - 1 and _wordish(s[i - 1]) and _wordish(s[i + 1]))
        if not joins:
            seen_cased = False
        out.append(c)
    return "".join(out)


def join(sep: str, items: list[str]) -> str:
    return sep.join(items)


@lru_cache(maxsize=256)
def _compile(pattern: str) -> Regex:
    return compile_unanchored(pattern)


def match(pattern: str, s: str) -> bool:
    try:
        return _compile(pattern).match_string(s)
    except RegexError as e:
        raise GoError(str(e)) from None


def safe_html(s: str) -> HTML:
    return HTML(s)


def _go_backquote(s: str) -> str:
    if "`" not in s and all(c == "\t" or (c.isprintable() and c != "\ufeff") for c in s):
        return "`" + s + "`"
    return quote(s)


@lru_cache(maxsize=256)
def _py(pattern: str) -> Any:
    try:
        return _compile(pattern), _compile(pattern).to_python()
    except RegexError as e:
        raise GoError(f"regexp: Compile({_go_backquote(pattern)}): {e}") from None


def _expand(template: str, m: Any, groupindex: dict[str, int]) -> str:
    """Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$; unknown names expand to ""."""
    out = []
    i = 0
    n = len(template)
    while i < n:
        j = template.find("$", i)
        if j < 0:
            out.append(template[i:])
            break
        out.append(template[i:j])
        i = j + 1
        if i < n and template[i] == "$":
            out.append("$")
            i += 1
            continue
        name = ""
        if i < n and template[i] == "{":
            k = template.find("}", i)
            cand = template[i + 1:k] if k > 0 else ""
            if k > 0 and cand and all(c.isalnum() or c == "_" for c in cand):
                name, i = cand, k + 1
            else:
                out.append("$")
                continue
        else:
            k = i
            while k < n and (template[k].isalnum() or template[k] == "_"):
                k += 1
            if k == i:
                out.append("$")
                continue
            name, i = template[i:k], k
        if name.isdigit():
            g = int(name)
            if g <= m.re.groups:
                out.append(m.group(g) or "")
        elif name in groupindex:
            out.append(m.group(groupindex[name]) or "")
    return "".join(out)


def re_replace_all(pattern: str, repl: str, text: str) -> str:
    _, rx = _py(pattern)
    groupindex = dict(rx.groupindex) if hasattr(rx, "groupindex") else {}
    out = []
    last_end = 0
    pos = 0
    n = len(text)
    while pos <= n:
        m = rx.search(text, pos)
        if m is None:
            break
        a, b = m.span()
        out.append(text[last_end:a])
        if b > last_end or a == 0:
            out.append(_expand(repl, m, groupindex) if "$" in repl else repl)
        last_end = b
        if pos + 1 > b:
            pos += 1
        else:
            pos = b
    out.append(text[last_end:])
    return "".join(out)


def string_slice(*s: str) -> StringSlice:
    return StringSlice(s)


FUNCS: dict[str, Func] = {
    "toUpper": Func(to_upper, ("string",)),
    "toLower": Func(to_lower, ("string",)),
    "title": Func(title, ("string",)),
    "join": Func(join, ("string", "[]string")),
    "match": Func(match, ("string", "string")),
    "safeHtml": Func(safe_html, ("string",)),
    "reReplaceAll": Func(re_replace_all, ("string", "string", "string")),
    "stringSlice": Func(string_slice, ("string",), True),
}
