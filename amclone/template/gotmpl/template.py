"""A set of associated templates, as Go's ``text/template.Template`` (and, with ``html=True``,
``html/template.Template``) manage them: parse files into one namespace, later definitions override
earlier ones (but an empty body never overrides), look names up at execution time.

Alertmanager clones its set and parses the notification text as a fresh "" template on every
render. Cloning here is an overlay (a small dict in front of the shared base), and parsed texts
and compiled trees are cached, so a render costs only execution.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from amclone.template.gotmpl.builtins import BUILTINS
from amclone.template.gotmpl.exec import Compiler, State, Stmt
from amclone.template.gotmpl.nodes import Tree, is_empty_tree
from amclone.template.gotmpl.parser import TemplateError, parse
from amclone.template.gotmpl.values import Func

__all__ = ["TemplateError", "TemplateSet"]

_PARSE_CACHE_MAX = 512


class TemplateSet:
    """Named trees plus the function map they were parsed against."""

    def __init__(self, funcs: Mapping[str, Func] | None = None, html: bool = False,
                 base: TemplateSet | None = None) -> None:
        if base is not None:
            self.funcs: dict[str, Func] = base.funcs
            self.html: bool = base.html
            self.compiler: Compiler = base.compiler
        else:
            self.funcs = dict(BUILTINS)
            self.funcs.update(funcs or {})
            self.html = html
            cfuncs = self.funcs
            if html:
                # The escapers are callable from rewritten trees, not by name in user text.
                from amclone.template.gotmpl.escfuncs import ESCAPERS

                cfuncs = {**self.funcs, **ESCAPERS}
            self.compiler = Compiler(cfuncs)
        self.base = base
        self.trees: dict[str, Tree] = {}
        self._parse_cache: dict[tuple[str, str], dict[str, Tree]] = {}
        self._lock = threading.Lock()
        self._escaper: Any = None
        self._escaped_ok: dict[str, str] = {}  # entry -> "" or its escaping error
        self._esc_fns: dict[str, Stmt] = {}
        self._fn_cache: dict[str, Stmt] = {}

    # -- building ----------------------------------------------------------------------------------
    def has_func(self, name: str) -> bool:
        return name in self.funcs

    def parse(self, name: str, text: str) -> None:
        """Parse `text` as template `name` (Go's t.New(name).Parse(text)); raises TemplateError."""
        trees = parse(name, text, self.has_func)
        for tname, tree in trees.items():
            self.add_tree(tname, tree)

    def add_tree(self, name: str, tree: Tree) -> None:
        old = self.get(name)
        if old is not None and is_empty_tree(tree.root) and old.root is not None:
            return
        self.trees[name] = tree
        self._fn_cache.clear()

    def get(self, name: str) -> Tree | None:
        t = self.trees.get(name)
        if t is None and self.base is not None:
            return self.base.get(name)
        return t

    def names(self) -> list[str]:
        out = set(self.trees)
        if self.base is not None:
            out.update(self.base.names())
        return sorted(out)

    def overlay(self) -> TemplateSet:
        """A cheap Clone(): new definitions go in front, the base stays shared."""
        return TemplateSet(base=self)

    # -- executing ---------------------------------------------------------------------------------
    def compiled(self, name: str) -> Stmt | None:
        """The executable form of `name` (cached: sets do not change once executing)."""
        fn = self._fn_cache.get(name)
        if fn is None:
            fn = self._compiled(name)
            if fn is not None:
                self._fn_cache[name] = fn
        return fn

    def _compiled(self, name: str) -> Stmt | None:
        if self.html:
            return self._esc_compiled(name)
        tree = self.get(name)
        if tree is None or tree.root is None:
            return None
        fn = tree.extra.get("fn")
        if fn is None:
            fn = self.compiler.stmt(tree.root)
            tree.extra["fn"] = fn
        return fn

    def _esc_compiled(self, dname: str) -> Stmt | None:
        fn = self._esc_fns.get(dname)
        if fn is None:
            tree = self._escaper.trees.get(dname) if self._escaper is not None else None
            if tree is None or tree.root is None:
                return None
            fn = self.compiler.stmt(tree.root)
            self._esc_fns[dname] = fn
        return fn

    def _escape(self, name: str) -> None:
        """html/template escapes an entry (and what it calls) before its first execution."""
        from amclone.template.gotmpl.escape import EscapeError, Escaper

        err = self._escaped_ok.get(name)
        if err is None:
            if self._escaper is None:
                self._escaper = Escaper(self.get)
            try:
                self._escaper.escape_entry(name)
                err = ""
            except EscapeError as e:
                err = str(e)
            self._escaped_ok[name] = err
        if err:
            raise TemplateError(err)

    def execute(self, name: str, data: Any, entry: Tree | None = None) -> str:
        """Execute template `name`; `entry` is the tree to run for it when that differs from the
        one the name resolves to (Go keeps an older non-empty "" in the map, yet executes the
        template object it just parsed)."""
        if entry is not None and entry is not self.get(name):
            return self._execute_tree(name, entry, data)
        if self.html and self.get(name) is not None:
            self._escape(name)
        fn = self.compiled(name)
        s = State(self.compiled, name)
        if fn is None:
            if self.get(name) is None:
                s.errorf(f"no template {_q(name)} associated with template {_q(name)}")
            s.errorf("incomplete or empty template")
        s.vars = [["$", data]]
        fn(s, data)
        return "".join(s.out)

    def execute_text(self, text: str, data: Any) -> str:
        """Alertmanager's ExecuteTextString/ExecuteHTMLString: parse `text` as "" in a clone of
        this set and execute it."""
        if text == "":
            return ""
        cached = self._parse_cache.get(("", text))
        if cached is None:
            cached = parse("", text, self.has_func)
            with self._lock:
                if len(self._parse_cache) >= _PARSE_CACHE_MAX:
                    self._parse_cache.clear()
                self._parse_cache[("", text)] = cached
        ov = self._overlays.get(text) if hasattr(self, "_overlays") else None
        if ov is None:
            ov = self.overlay()
            for tname, tree in cached.items():
                ov.add_tree(tname, tree)
            if not hasattr(self, "_overlays") or len(self._overlays) >= _PARSE_CACHE_MAX:
                self._overlays: dict[str, TemplateSet] = {}
            self._overlays[text] = ov
        return ov.execute("", data, cached.get(""))

    def _execute_tree(self, name: str, tree: Tree, data: Any) -> str:
        if self.html:
            from amclone.template.gotmpl.escape import EscapeError, Escaper

            esc = Escaper(self.get)
            try:
                esc.escape_entry(name, tree)
            except EscapeError as e:
                raise TemplateError(str(e)) from None
            root = esc.trees[name].root
            for dname, t in esc.trees.items():
                if dname != name and self._escaper is not None:
                    self._escaper.trees.setdefault(dname, t)
            if self._escaper is None:
                self._escaper = esc
        else:
            root = tree.root
        fn = self.compiler.stmt(root) if root is not None else None
        s = State(self.compiled, name)
        if fn is None:
            s.errorf("incomplete or empty template")
        s.vars = [["$", data]]
        fn(s, data)
        return "".join(s.out)


def _q(s: str) -> str:
    from amclone.compat.goquote import quote

    return quote(s)


def new_set(funcs: Mapping[str, Func] | None = None, html: bool = False,
            on_new: Callable[[TemplateSet], None] | None = None) -> TemplateSet:
    ts = TemplateSet(funcs, html)
    if on_new is not None:
        on_new(ts)
    return ts
