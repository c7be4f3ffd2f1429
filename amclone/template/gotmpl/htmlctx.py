"""The HTML parsing contexts html/template tracks across template text (Go 1.19
``html/template/{context,transition}.go``), reduced to what notification templates use: text,
tags and attributes (quoted, unquoted), URLs and their query part, CSS in ``style``, JavaScript
in ``<script>``/``on*`` (strings only), comments, and RCDATA (``<title>``, ``<textarea>``).
"""

from __future__ import annotations

import html as _html
from dataclasses import dataclass, replace

from amclone.compat.goquote import quote

TEXT, TAG, ATTR_NAME, AFTER_NAME, BEFORE_VALUE, HTML_CMT, RCDATA, ATTR, URL, SRCSET, JS, JS_DQ, JS_SQ, \
    JS_BQ, JS_RE, JS_BLOCK_CMT, JS_LINE_CMT, CSS, CSS_DQ, CSS_SQ, CSS_DQ_URL, CSS_SQ_URL, CSS_URL, \
    CSS_BLOCK_CMT, CSS_LINE_CMT, ERROR = range(26)
STATE_NAMES = ["stateText", "stateTag", "stateAttrName", "stateAfterName", "stateBeforeValue",
               "stateHTMLCmt", "stateRCDATA", "stateAttr", "stateURL", "stateSrcset", "stateJS",
               "stateJSDqStr", "stateJSSqStr", "stateJSBqStr", "stateJSRegexp", "stateJSBlockCmt",
               "stateJSLineCmt", "stateCSS", "stateCSSDqStr", "stateCSSSqStr", "stateCSSDqURL",
               "stateCSSSqURL", "stateCSSURL", "stateCSSBlockCmt", "stateCSSLineCmt", "stateError"]
COMMENTS = (HTML_CMT, JS_BLOCK_CMT, JS_LINE_CMT, CSS_BLOCK_CMT, CSS_LINE_CMT)
D_NONE, D_DQ, D_SQ, D_SPACE = range(4)
DELIM_NAMES = ["delimNone", "delimDoubleQuote", "delimSingleQuote", "delimSpaceOrTagEnd"]
U_NONE, U_PRE, U_QUERY, U_UNKNOWN = range(4)
URL_NAMES = ["urlPartNone", "urlPartPreQuery", "urlPartQueryOrFrag", "urlPartUnknown"]
A_NONE, A_SCRIPT, A_SCRIPT_TYPE, A_STYLE, A_URL, A_SRCSET = range(6)
ATTR_NAMES = ["attrNone", "attrScript", "attrScriptType", "attrStyle", "attrURL", "attrSrcset"]
E_NONE, E_SCRIPT, E_STYLE, E_TEXTAREA, E_TITLE = range(5)
ELEMENT_NAMES = ["elementNone", "elementScript", "elementStyle", "elementTextarea", "elementTitle"]
JS_CTX_NAMES = ["jsCtxRegexp", "jsCtxDivOp", "jsCtxUnknown"]


@dataclass(frozen=True, slots=True)
class Ctx:
    state: int = TEXT
    delim: int = D_NONE
    url: int = U_NONE
    js: int = 0
    attr: int = A_NONE
    element: int = E_NONE
    err: str = ""

    def __str__(self) -> str:
        err = "<nil>" if not self.err else self.err
        return (f"{{{STATE_NAMES[self.state]} {DELIM_NAMES[self.delim]} {URL_NAMES[self.url]} "
                f"{JS_CTX_NAMES[self.js]} {ATTR_NAMES[self.attr]} {ELEMENT_NAMES[self.element]} {err}}}")

    def mangle(self, name: str) -> str:
        """Go's context.mangle: the derived template's name for this start context."""
        if self.state == TEXT:
            return name
        s = name + "$htmltemplate_" + STATE_NAMES[self.state]
        if self.delim != D_NONE:
            s += "_" + DELIM_NAMES[self.delim]
        if self.url != U_NONE:
            s += "_" + URL_NAMES[self.url]
        if self.js != 0:
            s += "_" + JS_CTX_NAMES[self.js]
        if self.attr != A_NONE:
            s += "_" + ATTR_NAMES[self.attr]
        if self.element != E_NONE:
            s += "_" + ELEMENT_NAMES[self.element]
        return s


_URL_ATTRS = {"action", "archive", "background", "cite", "classid", "codebase", "data", "formaction",
              "href", "icon", "longdesc", "manifest", "poster", "profile", "src", "usemap", "xmlns"}


def attr_type(name: str) -> str:
    """Go's attrType: what kind of content an attribute holds."""
    name = name.lower()
    if name.startswith("data-"):
        name = name[5:]
    elif ":" in name:
        pre, _, rest = name.partition(":")
        if pre == "xmlns":
            return "url"
        name = rest
    if name in _URL_ATTRS:
        return "url"
    if name == "style":
        return "css"
    if name == "srcset":
        return "srcset"
    if name.startswith("on"):
        return "js"
    if "src" in name or "uri" in name or "url" in name:
        return "url"
    return "plain"


_WS = " \t\n\f\r"
_ELEMENTS = {"script": E_SCRIPT, "style": E_STYLE, "textarea": E_TEXTAREA, "title": E_TITLE}
_CONTENT_STATE = {E_NONE: TEXT, E_SCRIPT: JS, E_STYLE: CSS, E_TEXTAREA: RCDATA, E_TITLE: RCDATA}
_END_MARKERS = {E_SCRIPT: "</script", E_STYLE: "</style", E_TEXTAREA: "</textarea", E_TITLE: "</title"}
_ATTR_START = {A_NONE: ATTR, A_SCRIPT: JS, A_SCRIPT_TYPE: ATTR, A_STYLE: CSS, A_URL: URL, A_SRCSET: SRCSET}


def _eat_ws(s: str, i: int) -> int:
    while i < len(s) and s[i] in _WS:
        i += 1
    return i


def _t_text(c: Ctx, s: str) -> tuple[Ctx, int]:
    k = 0
    while True:
        i = s.find("<", k)
        if i < 0 or i + 1 == len(s):
            return c, len(s)
        if s.startswith("<!--", i):
            return Ctx(HTML_CMT), i + 4
        i += 1
        end = False
        if s[i] == "/":
            if i + 1 == len(s):
                return c, len(s)
            end, i = True, i + 1
        j = i
        while j < len(s) and (s[j].isascii() and (s[j].isalnum() or (j > i and s[j] in ":-"))):
            j += 1
        if j != i:
            e = E_NONE if end else _ELEMENTS.get(s[i:j].lower(), E_NONE)
            return Ctx(TAG, element=e), j
        k = j


def _eat_attr_name(s: str, i: int) -> tuple[int, str]:
    for j in range(i, len(s)):
        ch = s[j]
        if ch in _WS or ch in "=>":
            return j, ""
        if ch in "'\"<":
            from amclone.compat.goquote import quote

            return -1, f"{quote(ch)} in attribute name: {quote(s[:32])}"
    return len(s), ""


def _t_tag(c: Ctx, s: str) -> tuple[Ctx, int]:
    i = _eat_ws(s, 0)
    if i == len(s):
        return c, len(s)
    if s[i] == ">":
        return Ctx(_CONTENT_STATE[c.element], element=c.element), i + 1
    j, err = _eat_attr_name(s, i)
    if err:
        return Ctx(ERROR, err=err), len(s)
    if i == j:
        return Ctx(ERROR, err=f"expected space, attr name, or end of tag, but got {quote(s[i:])}"), len(s)
    name = s[i:j].lower()
    attr = A_NONE
    if c.element == E_SCRIPT and name == "type":
        attr = A_SCRIPT_TYPE
    else:
        attr = {"url": A_URL, "css": A_STYLE, "js": A_SCRIPT, "srcset": A_SRCSET}.get(attr_type(name), A_NONE)
    return Ctx(ATTR_NAME if j == len(s) else AFTER_NAME, element=c.element, attr=attr), j


def _t_attr_name(c: Ctx, s: str) -> tuple[Ctx, int]:
    i, err = _eat_attr_name(s, 0)
    if err:
        return Ctx(ERROR, err=err), len(s)
    if i != len(s):
        c = replace(c, state=AFTER_NAME)
    return c, i


def _t_after_name(c: Ctx, s: str) -> tuple[Ctx, int]:
    i = _eat_ws(s, 0)
    if i == len(s):
        return c, len(s)
    if s[i] != "=":
        return replace(c, state=TAG), i
    return replace(c, state=BEFORE_VALUE), i + 1


def _t_before_value(c: Ctx, s: str) -> tuple[Ctx, int]:
    i = _eat_ws(s, 0)
    if i == len(s):
        return c, len(s)
    delim = D_SPACE
    if s[i] == "'":
        delim, i = D_SQ, i + 1
    elif s[i] == '"':
        delim, i = D_DQ, i + 1
    return replace(c, state=_ATTR_START[c.attr], delim=delim), i


def _t_html_cmt(c: Ctx, s: str) -> tuple[Ctx, int]:
    i = s.find("-->")
    if i >= 0:
        return Ctx(), i + 3
    return c, len(s)


def _t_url(c: Ctx, s: str) -> tuple[Ctx, int]:
    if "#" in s or "?" in s:
        return replace(c, url=U_QUERY), len(s)
    if len(s) != _eat_ws(s, 0) and c.url == U_NONE:
        return replace(c, url=U_PRE), len(s)
    return c, len(s)


def _t_rest(c: Ctx, s: str) -> tuple[Ctx, int]:
    return c, len(s)


_TRANSITIONS = {TEXT: _t_text, TAG: _t_tag, ATTR_NAME: _t_attr_name, AFTER_NAME: _t_after_name,
                BEFORE_VALUE: _t_before_value, HTML_CMT: _t_html_cmt, RCDATA: _t_rest, ATTR: _t_rest,
                URL: _t_url, SRCSET: _t_rest, ERROR: _t_rest}


def _transition(c: Ctx, s: str) -> tuple[Ctx, int]:
    fn = _TRANSITIONS.get(c.state)
    if fn is None:
        from amclone.template.gotmpl.htmljscss import TRANSITIONS

        _TRANSITIONS.update(TRANSITIONS)
        fn = _TRANSITIONS[c.state]
    return fn(c, s)


def _special_end(c: Ctx, s: str) -> tuple[Ctx, int]:
    if c.element != E_NONE:
        i = s.lower().find(_END_MARKERS[c.element])
        if i >= 0:
            return Ctx(), i
    return c, len(s)


def after_text(c: Ctx, s: str) -> tuple[Ctx, int]:
    """Go's contextAfterText: the context after a prefix of s, and that prefix's length."""
    if c.delim == D_NONE:
        c1, i = _special_end(c, s)
        if i == 0:
            return c1, 0
        return _transition(c, s[:i])
    ends = {D_DQ: '"', D_SQ: "'", D_SPACE: _WS + ">"}[c.delim]
    i = next((k for k, ch in enumerate(s) if ch in ends), len(s))
    if c.delim == D_SPACE:
        bad = next((k for k, ch in enumerate(s[:i]) if ch in "\"'<=`"), -1)
        if bad >= 0:
            return Ctx(ERROR, err=f"{quote(s[bad])} in unquoted attr: {quote(s[:i])}"), len(s)
    if i == len(s):
        u = _html.unescape(s)
        while u:
            c1, i1 = _transition(c, u)
            c, u = c1, u[i1:]
        return c, len(s)
    if c.delim != D_SPACE:
        i += 1
    return Ctx(TAG, element=c.element), i


def escape_text(c: Ctx, s: str) -> tuple[Ctx, str]:
    """Go's escapeText: the context after the text node, and the text as html/template emits it
    (HTML comments dropped, a stray '<' in text written as &lt;)."""
    out: list[str] = []
    written = 0
    i = 0
    n = len(s)
    while i != n:
        c1, nread = after_text(c, s[i:])
        i1 = i + nread
        if c.state in (TEXT, RCDATA):
            end = i1
            if c1.state != c.state:
                j = s.rfind("<", i, end)
                if j >= 0:
                    end = j
            for j in range(i, end):
                if s[j] == "<" and not s[j:j + 9].upper().startswith("<!DOCTYPE"):
                    out.append(s[written:j])
                    out.append("&lt;")
                    written = j + 1
        elif c.state in COMMENTS and c.delim == D_NONE:
            if c.state == JS_BLOCK_CMT:
                # A block comment is white space, or a line break if it spanned lines.
                out.append("\n" if any(ch in s[written:i1] for ch in "\n\r\u2028\u2029") else " ")
            elif c.state == CSS_BLOCK_CMT:
                out.append(" ")
            written = i1
        if c.state != c1.state and c1.state in COMMENTS and c1.delim == D_NONE:
            cs = i1 - 4 if c1.state == HTML_CMT else i1 - 2
            out.append(s[written:cs])
            written = i1
        if i == i1 and c == c1:
            raise RuntimeError(f"infinite loop from {c} to {c1}")
        c, i = c1, i1
    if written == 0:
        return c, s
    if c.state not in COMMENTS or c.delim != D_NONE:
        out.append(s[written:])
    return c, "".join(out)
