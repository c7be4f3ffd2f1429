"""html/template's JavaScript and CSS transitions (Go 1.19 ``transition.go``, ``js.go``): strings,
regular expressions, comments, template literals and ``url(...)``, with the regexp-or-division
guess Go makes after each token. Comments are recognised so that escapeText can drop them, as Go
does inside ``<script>`` and ``<style>``.
"""

from __future__ import annotations

from dataclasses import replace

from amclone.compat.goquote import quote
from amclone.template.gotmpl.htmlctx import (
    CSS,
    CSS_BLOCK_CMT,
    CSS_DQ,
    CSS_DQ_URL,
    CSS_LINE_CMT,
    CSS_SQ,
    CSS_SQ_URL,
    CSS_URL,
    ERROR,
    JS,
    JS_BLOCK_CMT,
    JS_BQ,
    JS_DQ,
    JS_LINE_CMT,
    JS_RE,
    JS_SQ,
    Ctx,
    _t_url,
)

JS_REGEXP, JS_DIVOP, JS_UNKNOWN = range(3)
_REGEXP_KEYWORDS = {"break", "case", "continue", "delete", "do", "else", "finally", "in", "instanceof",
                    "return", "throw", "try", "typeof", "void"}


def _ident_part(c: str) -> bool:
    return c == "$" or c == "_" or c.isalnum()


def next_js_ctx(s: str, preceding: int) -> int:
    """Go's nextJSCtx: does a '/' after s start a regexp or a division?"""
    s = s.rstrip("\t\n\f\r \u2028\u2029")
    if not s:
        return preceding
    c, n = s[-1], len(s)
    if c in "+-":
        start = n - 1
        while start > 0 and s[start - 1] == c:
            start -= 1
        return JS_REGEXP if (n - start) & 1 else JS_DIVOP
    if c == ".":
        return JS_DIVOP if n != 1 and s[n - 2].isdigit() else JS_REGEXP
    if c in ",<>=*%&|^?!~([:;{}":
        return JS_REGEXP
    j = n
    while j > 0 and _ident_part(s[j - 1]):
        j -= 1
    if s[j:] in _REGEXP_KEYWORDS:
        return JS_REGEXP
    return JS_DIVOP


def t_js(c: Ctx, s: str) -> tuple[Ctx, int]:
    i = next((k for k, ch in enumerate(s) if ch in "\"'`/"), -1)
    if i < 0:
        return replace(c, js=next_js_ctx(s, c.js)), len(s)
    c = replace(c, js=next_js_ctx(s[:i], c.js))
    ch = s[i]
    if ch == '"':
        return replace(c, state=JS_DQ, js=JS_REGEXP), i + 1
    if ch == "'":
        return replace(c, state=JS_SQ, js=JS_REGEXP), i + 1
    if ch == "`":
        return replace(c, state=JS_BQ, js=JS_REGEXP), i + 1
    if i + 1 < len(s) and s[i + 1] == "/":
        return replace(c, state=JS_LINE_CMT), i + 2
    if i + 1 < len(s) and s[i + 1] == "*":
        return replace(c, state=JS_BLOCK_CMT), i + 2
    if c.js == JS_REGEXP:
        return replace(c, state=JS_RE), i + 1
    if c.js == JS_DIVOP:
        return replace(c, js=JS_REGEXP), i + 1
    return Ctx(ERROR, err=f"'/' could start a division or regexp: {quote(s[i:i + 32])}"), len(s)


def t_js_delimited(c: Ctx, s: str) -> tuple[Ctx, int]:
    specials = {JS_SQ: "\\'", JS_BQ: "`\\", JS_RE: "\\/[]"}.get(c.state, '\\"')
    k = 0
    in_charset = False
    while True:
        i = next((j for j in range(k, len(s)) if s[j] in specials), -1)
        if i < 0:
            break
        ch = s[i]
        if ch == "\\":
            i += 1
            if i == len(s):
                return Ctx(ERROR, err=f"unfinished escape sequence in JS string: {quote(s)}"), len(s)
        elif ch == "[":
            in_charset = True
        elif ch == "]":
            in_charset = False
        elif ch == "/":
            if i > 0 and s[i - 1:i + 7].lower() == "</script":
                i += 1
            elif not in_charset:
                return replace(c, state=JS, js=JS_DIVOP), i + 1
        elif not in_charset:
            return replace(c, state=JS, js=JS_DIVOP), i + 1
        k = i + 1
    if in_charset:
        return Ctx(ERROR, err=f"unfinished JS regexp charset: {quote(s)}"), len(s)
    return c, len(s)


def _t_block_cmt(c: Ctx, s: str) -> tuple[Ctx, int]:
    i = s.find("*/")
    if i < 0:
        return c, len(s)
    return replace(c, state=JS if c.state == JS_BLOCK_CMT else CSS), i + 2


def _t_line_cmt(c: Ctx, s: str) -> tuple[Ctx, int]:
    ends = "\n\r\u2028\u2029" if c.state == JS_LINE_CMT else "\n\f\r"
    i = next((k for k, ch in enumerate(s) if ch in ends), -1)
    if i < 0:
        return c, len(s)
    # The line terminator is not part of the comment.
    return replace(c, state=JS if c.state == JS_LINE_CMT else CSS), i


def t_css(c: Ctx, s: str) -> tuple[Ctx, int]:
    k = 0
    while True:
        i = next((j for j in range(k, len(s)) if s[j] in "(\"'/"), -1)
        if i < 0:
            return c, len(s)
        ch = s[i]
        if ch == "(":
            p = s[:i].rstrip("\t\n\f\r ")
            if p.lower().endswith("url") and (len(p) == 3 or not (p[-4].isalnum() or p[-4] in "-_")):
                j = len(s) - len(s[i + 1:].lstrip("\t\n\f\r "))
                if j != len(s) and s[j] == '"':
                    return replace(c, state=CSS_DQ_URL), j + 1
                if j != len(s) and s[j] == "'":
                    return replace(c, state=CSS_SQ_URL), j + 1
                return replace(c, state=CSS_URL), j
        elif ch == "/" and i + 1 < len(s) and s[i + 1] in "/*":
            return replace(c, state=CSS_LINE_CMT if s[i + 1] == "/" else CSS_BLOCK_CMT), i + 2
        elif ch == '"':
            return replace(c, state=CSS_DQ), i + 1
        elif ch == "'":
            return replace(c, state=CSS_SQ), i + 1
        k = i + 1


def t_css_str(c: Ctx, s: str) -> tuple[Ctx, int]:
    ends = {CSS_DQ: '\\"', CSS_DQ_URL: '\\"', CSS_SQ: "\\'", CSS_SQ_URL: "\\'"}.get(c.state, "\\\t\n\f\r )")
    k = 0
    while True:
        i = next((j for j in range(k, len(s)) if s[j] in ends), -1)
        if i < 0:
            c2, n = _t_url(c, s[k:])
            return c2, k + n
        if s[i] == "\\":
            i += 1
            if i == len(s):
                return Ctx(ERROR, err=f"unfinished escape sequence in CSS string: {quote(s)}"), len(s)
        else:
            return replace(c, state=CSS), i + 1
        c, _ = _t_url(c, s[:i + 1])
        k = i + 1


TRANSITIONS = {
    JS: t_js, JS_DQ: t_js_delimited, JS_SQ: t_js_delimited, JS_BQ: t_js_delimited, JS_RE: t_js_delimited,
    JS_BLOCK_CMT: _t_block_cmt, JS_LINE_CMT: _t_line_cmt, CSS: t_css, CSS_DQ: t_css_str, CSS_SQ: t_css_str,
    CSS_DQ_URL: t_css_str, CSS_SQ_URL: t_css_str, CSS_URL: t_css_str, CSS_BLOCK_CMT: _t_block_cmt,
    CSS_LINE_CMT: _t_line_cmt,
}
