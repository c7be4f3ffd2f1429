"""html/template's contextual autoescaping (Go 1.19 ``html/template/escape.go``), as a rewrite of
the parse trees before they are compiled.

Starting in HTML text, the escaper follows the context through each template's text; at every
output action it appends the escaping functions that context needs (``| _html_template_attrescaper``)
and for every ``{{template}}`` call it escapes the callee in the caller's context, under a derived
name when that context is not plain text. The rewritten trees are new objects: the text set's
trees stay untouched, so one parse serves both sets.
"""

from __future__ import annotations

from dataclasses import replace

from amclone.template.gotmpl import htmlctx as H
from amclone.template.gotmpl import nodes as N
from amclone.template.gotmpl.escfuncs import EQUIV, ESCAPERS
from amclone.template.gotmpl.htmlctx import Ctx
from amclone.template.gotmpl.parser import TemplateError

__all__ = ["ESCAPERS", "EscapeError", "Escaper"]

PREDEFINED = ("html", "urlquery")


class EscapeError(TemplateError):
    pass


def _err_at(node: N.Node, msg: str) -> str:
    loc = node.src.location(node.pos) if node.src is not None else ""
    return f"html/template:{loc}: {msg}"


def _norm(name: str) -> str:
    return EQUIV.get(name, name)


def nudge(c: Ctx) -> Ctx:
    if c.state == H.TAG:
        return replace(c, state=H.ATTR_NAME)
    if c.state == H.BEFORE_VALUE:
        return replace(c, state=H._ATTR_START[c.attr], delim=H.D_SPACE, attr=H.A_NONE)
    if c.state == H.AFTER_NAME:
        return replace(c, state=H.ATTR_NAME, attr=H.A_NONE)
    return c


def join(a: Ctx, b: Ctx, node: N.Node, name: str) -> Ctx:
    if a.state == H.ERROR:
        return a
    if b.state == H.ERROR:
        return b
    if a == b:
        return a
    if replace(a, url=b.url) == b:
        return replace(a, url=H.U_UNKNOWN)
    if replace(a, js=b.js) == b:
        return replace(a, js=2)  # jsCtxUnknown
    na, nb = nudge(a), nudge(b)
    if not (na == a and nb == b):
        e = join(na, nb, node, name)
        if e.state != H.ERROR:
            return e
    return Ctx(H.ERROR, err=_err_at(node, f"{{{{{name}}}}} branches end in different contexts: {a}, {b}"))


def _escapers_for(c: Ctx, node: N.Node) -> tuple[Ctx, list[str]]:
    s: list[str] = []
    st = c.state
    if st == H.ERROR:
        return c, []
    if st in (H.URL, H.CSS_DQ, H.CSS_SQ, H.CSS_DQ_URL, H.CSS_SQ_URL, H.CSS_URL):
        norm = "_html_template_cssescaper" if st in (H.CSS_DQ, H.CSS_SQ) else "_html_template_urlnormalizer"
        if c.url == H.U_NONE:
            s += ["_html_template_urlfilter", norm]
        elif c.url == H.U_PRE:
            s.append(norm)
        elif c.url == H.U_QUERY:
            s.append("_html_template_urlescaper")
        else:
            return Ctx(H.ERROR, err=_err_at(node, f"{node} appears in an ambiguous context within a URL")), []
    elif st == H.JS:
        s.append("_html_template_jsvalescaper")
        c = replace(c, js=1)
    elif st in (H.JS_DQ, H.JS_SQ):
        s.append("_html_template_jsstrescaper")
    elif st == H.JS_BQ:
        return Ctx(H.ERROR, err=_err_at(node, f"{node} appears in a JS template literal")), []
    elif st == H.JS_RE:
        s.append("_html_template_jsregexpescaper")
    elif st == H.CSS:
        s.append("_html_template_cssvaluefilter")
    elif st == H.TEXT:
        s.append("_html_template_htmlescaper")
    elif st == H.RCDATA:
        s.append("_html_template_rcdataescaper")
    elif st == H.ATTR:
        pass
    elif st in (H.ATTR_NAME, H.TAG):
        c = replace(c, state=H.ATTR_NAME)
        s.append("_html_template_htmlnamefilter")
    elif st == H.SRCSET:
        s.append("_html_template_urlnormalizer")
    else:  # comments
        s.append("_html_template_commentescaper")
    if c.delim == H.D_SPACE:
        s.append("_html_template_nospaceescaper")
    elif c.delim != H.D_NONE:
        s.append("_html_template_attrescaper")
    return c, s


def _predefined_misuse(c: Ctx, n: N.ActionNode) -> str:
    """html or urlquery anywhere but last (or html in an unquoted attribute) is refused."""
    cmds = n.pipe.cmds
    for i, cmd in enumerate(cmds):
        first = cmd.args[0]
        if isinstance(first, N.IdentifierNode) and first.ident in PREDEFINED and (
                i < len(cmds) - 1 or (c.state == H.ATTR and c.delim == H.D_SPACE and first.ident == "html")):
            return first.ident
    return ""


def _ident_cmd(name: str, pipe: N.PipeNode) -> N.CommandNode:
    cmd = N.CommandNode(pipe.pos, pipe.src)
    cmd.args.append(N.IdentifierNode(pipe.pos, pipe.src, name))
    return cmd


def ensure_pipeline_contains(p: N.PipeNode, s: list[str]) -> N.PipeNode:
    cmds = list(p.cmds)
    n = len(cmds)
    if n:
        last = cmds[-1]
        first = last.args[0]
        if isinstance(first, N.IdentifierNode) and first.ident in PREDEFINED:
            esc = first.ident
            if len(cmds) == 1 and len(last.args) > 1:
                # {{ html a b }} becomes {{ _eval_args_ a b | html }}
                head = N.CommandNode(last.pos, last.src)
                head.args = [N.IdentifierNode(first.pos, first.src, "_eval_args_")] + last.args[1:]
                cmds = [head, _ident_cmd(esc, p)]
                n += 1
            dup = False
            for i, e in enumerate(s):
                if _norm(e) == _norm(esc):
                    s[i] = esc
                    dup = True
            if dup:
                n -= 1
    new = N.PipeNode(p.pos, p.src, p.line)
    new.is_assign, new.decl = p.is_assign, p.decl
    new.cmds = cmds[:n]
    inserted = {_norm(c.args[0].ident) for c in new.cmds if isinstance(c.args[0], N.IdentifierNode)}
    for e in s:
        if _norm(e) not in inserted:
            new.cmds.append(_ident_cmd(e, p))
    return new


class Escaper:
    """Escapes the templates reachable from an entry; `trees` maps derived names to new trees."""

    def __init__(self, lookup: object) -> None:
        self.lookup = lookup  # TemplateSet.get
        self.output: dict[str, Ctx] = {}
        self.trees: dict[str, N.Tree] = {}
        self.active: set[str] = set()  # being escaped right now (to spot recursion)
        self.recursive: set[str] = set()

    def escape_entry(self, name: str, tree: N.Tree | None = None) -> None:
        c, _ = self.escape_tree(Ctx(), None, name, tree)
        if c.err:
            if not c.err.startswith("html/template:"):
                # An error found in text (no node): Go names the template being executed.
                raise EscapeError(f"html/template{':' + name if name else ''}: {c.err}")
            raise EscapeError(c.err)
        if c.state != H.TEXT:
            where = f":{name}" if name else ""
            raise EscapeError(f"html/template{where}: ends in a non-text context: {c}")

    def escape_tree(self, c: Ctx, node: N.Node | None, name: str,
                    given: N.Tree | None = None) -> tuple[Ctx, str]:
        dname = c.mangle(name)
        if dname in self.output and given is None:
            if dname in self.active:
                self.recursive.add(dname)
            return self.output[dname], dname
        tree = given if given is not None else self.lookup(name)  # type: ignore[operator]
        if tree is None or tree.root is None:
            what = f"{_q(name)} is an incomplete or empty template" if tree is not None else \
                f"no such template {_q(name)}"
            if node is None:
                return Ctx(H.ERROR, err=f"html/template:{name}: {what}"), dname
            return Ctx(H.ERROR, err=_err_at(node, what)), dname
        self.output[dname] = c  # assumed output context, for recursive calls
        self.active.add(dname)
        c1, root = self.escape_list(c, tree.root)
        self.active.discard(dname)
        if c1 != c and dname in self.recursive and c1.state != H.ERROR:
            self.output[dname] = c1
            c2, root2 = self.escape_list(c1, tree.root)
            if c2 == c1:
                c1, root = c2, root2
        self.output[dname] = c1
        self.trees[dname] = N.Tree(dname, root, tree.src)
        return c1, dname

    def escape_list(self, c: Ctx, lst: N.ListNode | None) -> tuple[Ctx, N.ListNode]:
        out = N.ListNode(lst.pos if lst else 0, lst.src if lst else None)
        if lst is None:
            return c, out
        for n in lst.nodes:
            c, m = self.escape_node(c, n)
            out.nodes.append(m)
        return c, out

    def escape_node(self, c: Ctx, n: N.Node) -> tuple[Ctx, N.Node]:
        if isinstance(n, N.TextNode):
            c1, text = H.escape_text(c, n.text)
            return c1, (n if text == n.text else N.TextNode(n.pos, n.src, text))
        if isinstance(n, N.ActionNode):
            if n.pipe.decl:
                return c, n
            c = nudge(c)
            bad = _predefined_misuse(c, n)
            if bad:
                return Ctx(H.ERROR, err=_err_at(n, f"predefined escaper {_q(bad)} disallowed in template")), n
            c, s = _escapers_for(c, n)
            if c.state == H.ERROR:
                return c, n
            return c, N.ActionNode(n.pos, n.src, n.line, ensure_pipeline_contains(n.pipe, s))
        if isinstance(n, N.BranchNode):
            return self.escape_branch(c, n)
        if isinstance(n, N.TemplateNode):
            c1, dname = self.escape_tree(c, n, n.name)
            return c1, (n if dname == n.name else N.TemplateNode(n.pos, n.src, n.line, dname, n.pipe))
        return c, n

    def escape_branch(self, c: Ctx, n: N.BranchNode) -> tuple[Ctx, N.Node]:
        word = n.keyword
        c0, lst = self.escape_list(c, n.list)
        if isinstance(n, N.RangeNode) and c0.state != H.ERROR:
            c1, _ = self.escape_list(c0, n.list)
            c0 = join(c0, c1, n, word)
            if c0.state == H.ERROR and "branches end" in c0.err:
                c0 = replace(c0, err=c0.err.replace("{{range}} branches", "on range loop re-entry: {{range}} branches"))
        c1, els = self.escape_list(c, n.else_list) if n.else_list is not None else (c, None)
        out = type(n)(n.pos, n.src, n.line, n.pipe, lst, els)
        return join(c0, c1, n, word), out


def _q(s: str) -> str:
    from amclone.compat.goquote import quote

    return quote(s)
