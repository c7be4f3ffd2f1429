"""html/template's escaping functions (Go 1.19 ``html/template/{html,url,css,js}.go``).

html/template inserts these into every action's pipeline according to where the action sits in
the HTML; each one sees the printed value (``fmt.Sprint`` of the arguments) and whether it is
already trusted content (``template.HTML`` from ``safeHtml``).
"""

from __future__ import annotations

import re
from typing import Any

from amclone.compat import gojson
from amclone.template.gotmpl.gofmt import sprint
from amclone.template.gotmpl.values import HTML, Func, GoStruct

FAILSAFE = "ZgotmplZ"

_HTML_TABLE = {"\0": "\ufffd", '"': "&#34;", "&": "&amp;", "'": "&#39;", "+": "&#43;", "<": "&lt;",
               ">": "&gt;"}
_HTML_NORM_TABLE = {k: v for k, v in _HTML_TABLE.items() if k != "&"}
_NOSPACE_TABLE = {"\0": "&#xfffd;", "\t": "&#9;", "\n": "&#10;", "\v": "&#11;", "\f": "&#12;",
                  "\r": "&#13;", " ": "&#32;", '"': "&#34;", "&": "&amp;", "'": "&#39;", "+": "&#43;",
                  "<": "&lt;", "=": "&#61;", ">": "&gt;", "`": "&#96;"}
_NOSPACE_NORM_TABLE = {k: v for k, v in _NOSPACE_TABLE.items() if k != "&"}


def _stringify(args: tuple[Any, ...]) -> tuple[str, bool]:
    """(text, is trusted HTML)."""
    if len(args) == 1:
        a = args[0]
        if isinstance(a, HTML):
            return str(a), True
        if type(a) is str:
            return a, False
    # Untyped nil arguments are skipped (Go issue 25875), so a missing value prints as "".
    return sprint([a for a in args if a is not None]), False


_TRANSLATE: dict[int, dict[int, str]] = {}


def _replace(s: str, table: dict[str, str]) -> str:
    tt = _TRANSLATE.get(id(table))
    if tt is None:
        tt = _TRANSLATE[id(table)] = {ord(k): v for k, v in table.items()}
    return s.translate(tt)


_TAG = re.compile(r"<[^>]*>?")


def strip_tags(s: str) -> str:
    """Roughly html/template's stripTags: drop tags and comments, keep text."""
    s = re.sub(r"<!--.*?(-->|$)", "", s, flags=re.DOTALL)
    return _TAG.sub("", s)


def html_escaper(*args: Any) -> str:
    s, trusted = _stringify(args)
    return s if trusted else _replace(s, _HTML_TABLE)


def rcdata_escaper(*args: Any) -> str:
    s, trusted = _stringify(args)
    return _replace(s, _HTML_NORM_TABLE if trusted else _HTML_TABLE)


def attr_escaper(*args: Any) -> str:
    s, trusted = _stringify(args)
    if trusted:
        return _replace(strip_tags(s), _HTML_NORM_TABLE)
    return _replace(s, _HTML_TABLE)


def nospace_escaper(*args: Any) -> str:
    s, trusted = _stringify(args)
    if trusted:
        return _replace(strip_tags(s), _NOSPACE_NORM_TABLE)
    return _replace(s, _NOSPACE_TABLE)


def comment_escaper(*args: Any) -> str:
    return ""


_SAFE_SCHEMES = ("http", "https", "mailto")


def url_filter(*args: Any) -> str:
    s, _ = _stringify(args)
    colon = s.find(":")
    if colon >= 0 and "/" not in s[:colon] and s[:colon].lower() not in _SAFE_SCHEMES:
        return "#" + FAILSAFE
    return s


_UNRESERVED = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
_RESERVED = set("!#$&*+,/:;=?@[]")


def _url_process(s: str, norm: bool) -> str:
    out = []
    for byte in s.encode("utf-8", "surrogateescape"):
        c = chr(byte)
        if c in _UNRESERVED or (norm and (c in _RESERVED or c == "%")):
            out.append(c)
        else:
            out.append(f"%{byte:02x}")
    return "".join(out)


def url_normalizer(*args: Any) -> str:
    s, _ = _stringify(args)
    return _url_process(s, True)


def url_escaper(*args: Any) -> str:
    s, _ = _stringify(args)
    return _url_process(s, False)


def css_value_filter(*args: Any) -> str:
    s, _ = _stringify(args)
    low = s.lower()
    for i, c in enumerate(s):
        if c in "\0\"'()/;@[\\]`{}<>":
            return FAILSAFE
        if c == "-" and i > 0 and s[i - 1] == "-":
            return FAILSAFE
    if "expression" in low or "mozbinding" in low:
        return FAILSAFE
    return s


_CSS = {"\0": "\\0", "\t": "\\9", "\n": "\\a", "\f": "\\c", "\r": "\\d", '"': "\\22", "&": "\\26",
        "'": "\\27", "(": "\\28", ")": "\\29", "+": "\\2b", "/": "\\2f", ":": "\\3a", ";": "\\3b",
        "<": "\\3c", ">": "\\3e", "\\": "\\\\", "{": "\\7b", "}": "\\7d"}


def css_escaper(*args: Any) -> str:
    """Go's cssEscaper: hex escapes, with a space after one when a hex digit or space follows."""
    s, _ = _stringify(args)
    out = []
    for i, ch in enumerate(s):
        rep = _CSS.get(ch)
        if rep is None:
            out.append(ch)
            continue
        out.append(rep)
        nxt = s[i + 1] if i + 1 < len(s) else ""
        if rep != "\\\\" and (nxt == "" or nxt in "0123456789abcdefABCDEF" or nxt in "\t\n\f\r "):
            out.append(" ")
    return "".join(out)


def _js_ident_part(c: str) -> bool:
    return c.isalnum() or c in "_$"


def to_go_json(v: Any) -> Any:
    """The value encoding/json would write, as Python data for gojson.dumps (structs use their
    json_names, times their RFC 3339 form via go_json)."""
    gj = getattr(v, "go_json", None)
    if gj is not None:
        return gj()
    if isinstance(v, GoStruct):
        names = getattr(type(v), "json_names", None) or {}
        return {names.get(f, f): to_go_json(getattr(v, f)) for f in type(v).go_fields}
    if isinstance(v, dict):
        return {str(k): to_go_json(v[k]) for k in sorted(v, key=lambda k: str(k).encode())}
    if isinstance(v, (list, tuple)):
        return [to_go_json(x) for x in v]
    if isinstance(v, float):
        # encoding/json writes integral floats without a fraction (1, not 1.0)
        return int(v) if v.is_integer() and abs(v) < 1e21 else v
    if isinstance(v, str):
        return str(v)
    return v


def js_val_escaper(*args: Any) -> str:
    if len(args) == 1:
        a = args[0]
        gs = getattr(a, "go_string", None)
        if gs is not None:
            a = gs()
    else:
        a = sprint(list(args))
    b = gojson.dumps(to_go_json(a))
    if not b:
        return b
    pad = _js_ident_part(b[0]) or _js_ident_part(b[-1])
    b = b.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f" {b} " if pad else b


_JS_STR = {"\0": "\\u0000", "\t": "\\t", "\n": "\\n", "\v": "\\u000b", "\f": "\\f", "\r": "\\r",
           '"': "\\u0022", "&": "\\u0026", "'": "\\u0027", "+": "\\u002b", "/": "\\/", "<": "\\u003c",
           ">": "\\u003e", "\\": "\\\\", "`": "\\u0060"}


def js_str_escaper(*args: Any) -> str:
    s, _ = _stringify(args)
    return "".join(_JS_STR.get(c, c) for c in s)


def html_name_filter(*args: Any) -> str:
    from amclone.template.gotmpl.htmlctx import attr_type

    s, _ = _stringify(args)
    s = s.lower()
    if not s or attr_type(s) != "plain" or not all(c.isascii() and c.isalnum() for c in s):
        return FAILSAFE
    return s


def eval_args(*args: Any) -> str:
    return _stringify(args)[0]


def _f(fn: Any) -> Func:
    return Func(fn, ("any",), True)


ESCAPERS: dict[str, Func] = {
    "_html_template_htmlescaper": _f(html_escaper),
    "_html_template_rcdataescaper": _f(rcdata_escaper),
    "_html_template_attrescaper": _f(attr_escaper),
    "_html_template_nospaceescaper": _f(nospace_escaper),
    "_html_template_commentescaper": _f(comment_escaper),
    "_html_template_urlfilter": _f(url_filter),
    "_html_template_urlnormalizer": _f(url_normalizer),
    "_html_template_urlescaper": _f(url_escaper),
    "_html_template_cssvaluefilter": _f(css_value_filter),
    "_html_template_cssescaper": _f(css_escaper),
    "_html_template_jsvalescaper": _f(js_val_escaper),
    "_html_template_jsstrescaper": _f(js_str_escaper),
    "_html_template_jsregexpescaper": _f(js_str_escaper),
    "_html_template_htmlnamefilter": _f(html_name_filter),
    "_eval_args_": _f(eval_args),
}

# Escapers that the predefined text/template functions stand in for (Go's equivEscapers).
EQUIV = {"_html_template_attrescaper": "html", "_html_template_htmlescaper": "html",
         "_html_template_rcdataescaper": "html", "_html_template_urlescaper": "urlquery",
         "_html_template_urlnormalizer": "urlquery"}
