"""Execution of parsed templates, compiled to Python closures.

Interpreting the tree node by node costs an isinstance chain per node per render; notifications
render the same few templates thousands of times, so each node is compiled once into a closure
that does only its own work. The closures keep Go's exec.go semantics: which node an error is
reported at (``s.node`` is updated where Go calls ``s.at``), variable scoping (a stack popped at
``end``), ``missingkey=zero``, method-before-field lookup, argument type checks, and error texts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from amclone.template.gotmpl import nodes as N
from amclone.template.gotmpl.gofmt import sort_key, sprint_value
from amclone.template.gotmpl.parser import TemplateError
from amclone.template.gotmpl.values import (
    UNDERLYING,
    Func,
    GoError,
    GoSlice,
    assignable,
    can_be_nil,
    is_true,
    type_name,
    zero_of,
)

MISSING: Any = object()  # Go's missingVal: "no final value from the previous pipeline stage"

Stmt = Callable[["State", Any], None]
Expr = Callable[["State", Any, Any], Any]
Arg = Callable[["State", Any, str], Any]

MAX_DEPTH = 100000


class ExecError(TemplateError):
    pass


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


BREAK = _Break()
CONTINUE = _Continue()


class State:
    __slots__ = ("depth", "lookup", "name", "node", "out", "vars")

    def __init__(self, lookup_tmpl: Callable[[str], Stmt | None], name: str) -> None:
        self.lookup = lookup_tmpl
        self.name = name
        self.node: N.Node | None = None
        self.vars: list[list[Any]] = []
        self.depth = 0
        self.out: list[str] = []

    def errorf(self, msg: str) -> NoReturn:
        n = self.node
        if n is None or n.src is None:
            raise ExecError(f"template: {self.name}: {msg}")
        raise ExecError(f'template: {n.src.location(n.pos)}: executing "{self.name}" at <{n}>: {msg}')

    def var(self, name: str) -> Any:
        vs = self.vars
        for i in range(len(vs) - 1, -1, -1):
            if vs[i][0] == name:
                return vs[i][1]
        self.errorf(f"undefined variable: {name}")

    def set_var(self, name: str, value: Any) -> None:
        vs = self.vars
        for i in range(len(vs) - 1, -1, -1):
            if vs[i][0] == name:
                vs[i][1] = value
                return
        self.errorf(f"undefined variable: {name}")


def print_value(v: Any) -> str:
    if type(v) is str:
        return v
    if v is None:
        return "<no value>"
    return sprint_value(v)


class Compiler:
    """Compiles trees against one function map (name -> Func)."""

    def __init__(self, funcs: dict[str, Func]) -> None:
        self.funcs = funcs

    # -- statements -------------------------------------------------------------------------------
    def stmt(self, node: N.Node) -> Stmt:
        if isinstance(node, N.TextNode):
            text = node.text

            def run_text(s: State, dot: Any) -> None:
                s.out.append(text)
            return run_text
        if isinstance(node, N.ListNode):
            return self.stmt_list(node)
        if isinstance(node, N.ActionNode):
            return self.action(node)
        if isinstance(node, (N.IfNode, N.WithNode)):
            return self.if_with(node)
        if isinstance(node, N.RangeNode):
            return self.range_(node)
        if isinstance(node, N.TemplateNode):
            return self.template(node)
        if isinstance(node, N.ContinueNode):
            def run_continue(s: State, dot: Any) -> None:
                raise CONTINUE
            return run_continue
        if isinstance(node, N.BreakNode):
            def run_break(s: State, dot: Any) -> None:
                raise BREAK
            return run_break

        def run_nothing(s: State, dot: Any) -> None:
            return None
        return run_nothing

    def stmt_list(self, node: N.ListNode) -> Stmt:
        parts = [self.stmt(n) for n in node.nodes if not isinstance(n, N.CommentNode)]
        if len(parts) == 1:
            return parts[0]
        tup = tuple(parts)

        def run_list(s: State, dot: Any) -> None:
            for p in tup:
                p(s, dot)
        return run_list

    def action(self, node: N.ActionNode) -> Stmt:
        p = node.pipe
        if not p.decl and len(p.cmds) == 1 and len(p.cmds[0].args) == 1 and \
                isinstance(p.cmds[0].args[0], N.StringNode):
            # {{ "text" }} cannot fail: it is text.
            return self.stmt(N.TextNode(node.pos, node.src, p.cmds[0].args[0].text))
        pipe = self.pipeline(node.pipe)
        if node.pipe.decl:
            def run_decl(s: State, dot: Any) -> None:
                pipe(s, dot)
            return run_decl

        def run_action(s: State, dot: Any) -> None:
            v = pipe(s, dot)
            if type(v) is str:
                s.out.append(v)
                return
            s.node = node
            s.out.append(print_value(v))
        return run_action

    def if_with(self, node: N.BranchNode) -> Stmt:
        pipe = self.pipeline(node.pipe)
        body = self.stmt_list(node.list)
        orelse = self.stmt_list(node.else_list) if node.else_list is not None else None
        with_ = isinstance(node, N.WithNode)

        def run_if(s: State, dot: Any) -> None:
            mark = len(s.vars)
            v = pipe(s, dot)
            if type(v) is str:
                truth = v != ""
            else:
                truth, ok = is_true(v)
                if not ok:
                    s.errorf(f"if/with can't use {sprint_value(v)}")
            if truth:
                body(s, v if with_ else dot)
            elif orelse is not None:
                orelse(s, dot)
            del s.vars[mark:]
        return run_if

    def range_(self, node: N.RangeNode) -> Stmt:
        pipe = self.pipeline(node.pipe)
        body = self.stmt_list(node.list)
        orelse = self.stmt_list(node.else_list) if node.else_list is not None else None
        ndecl = len(node.pipe.decl)

        def run_range(s: State, dot: Any) -> None:
            s.node = node
            mark0 = len(s.vars)
            val = pipe(s, dot)
            mark = len(s.vars)
            vs = s.vars
            if isinstance(val, dict):
                items: Any = [(k, val[k]) for k in sorted(val, key=sort_key)]
            elif isinstance(val, (list, tuple)):
                items = enumerate(val)
            elif val is None:
                items = ()
            else:
                s.errorf(f"range can't iterate over {sprint_value(val)}")
            ran = False
            try:
                for idx, elem in items:
                    ran = True
                    if ndecl:
                        vs[mark - 1][1] = elem
                        if ndecl > 1:
                            vs[mark - 2][1] = idx
                    try:
                        body(s, elem)
                    except _Continue:
                        pass
                    del vs[mark:]
            except _Break:
                del vs[mark:]
            if not ran and orelse is not None:
                orelse(s, dot)
            del vs[mark0:]
        return run_range

    def template(self, node: N.TemplateNode) -> Stmt:
        name = node.name
        pipe = self.pipeline(node.pipe) if node.pipe is not None else None

        def run_template(s: State, dot: Any) -> None:
            s.node = node
            fn = s.lookup(name)
            if fn is None:
                s.errorf(f"template {_q(name)} not defined")
            if s.depth >= MAX_DEPTH:
                s.errorf(f"exceeded maximum template depth ({MAX_DEPTH})")
            newdot = pipe(s, dot) if pipe is not None else None
            saved = (s.name, s.vars, s.node)
            s.name, s.vars = name, [["$", newdot]]
            s.depth += 1
            try:
                fn(s, newdot)
            except RecursionError:
                # Python's stack runs out long before Go's limit of 100000 nested calls.
                s.name, s.node = name if s.depth > 1 else saved[0], node
                s.errorf(f"exceeded maximum template depth ({MAX_DEPTH})")
            s.depth -= 1
            s.name, s.vars, s.node = saved
        return run_template

    # -- pipelines and commands -------------------------------------------------------------------
    def pipeline(self, pipe: N.PipeNode) -> Callable[[State, Any], Any]:
        cmds = tuple(self.command(c) for c in pipe.cmds)
        decl = [v.ident[0] for v in pipe.decl]
        assign = pipe.is_assign
        if len(cmds) == 1 and not decl:
            only = cmds[0]

            def run_pipe1(s: State, dot: Any) -> Any:
                s.node = pipe
                return only(s, dot, MISSING)
            return run_pipe1

        def run_pipe(s: State, dot: Any) -> Any:
            s.node = pipe
            v = MISSING
            for c in cmds:
                v = c(s, dot, v)
            for name in decl:
                if assign:
                    s.set_var(name, v)
                else:
                    s.vars.append([name, v])
            return v
        return run_pipe

    def command(self, cmd: N.CommandNode) -> Expr:
        from amclone.template.gotmpl import calls

        return calls.command(self, cmd)


def _q(s: str) -> str:
    from amclone.compat.goquote import quote

    return quote(s)


def validate_type(s: State, value: Any, typ: str) -> Any:
    """Go's validateType: the value must be assignable to the parameter type."""
    if value is None or value is MISSING:
        if typ in ("any", "reflect.Value"):
            return None
        if can_be_nil(typ):
            return zero_of(typ)
        s.errorf(f"invalid value; expected {typ}")
    if typ == "any" or typ == "reflect.Value":
        return value
    if not assignable(value, typ):
        s.errorf(f"wrong type for value; expected {typ}; got {type_name(value)}")
    if typ in UNDERLYING.values() and isinstance(value, GoSlice):
        return value
    return value


def call_func(s: State, node: N.Node, name: str, f: Func, argv: list[Any]) -> Any:
    try:
        return f.fn(*argv)
    except GoError as e:
        s.node = node
        s.errorf(f"error calling {name}: {e}")
