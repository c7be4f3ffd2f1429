"""Commands, field chains, function and method calls, and argument evaluation (Go's evalCommand,
evalField, evalCall and evalArg), compiled to closures.

Arguments are compiled into functions of the parameter type they are bound to, since Go decides
how to read a literal (``"x"``, ``1``, ``true``) from the type of the parameter it fills, and which
error to give ("expected string; found 1", "wrong type for value; expected []string; got ...").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from amclone.template.gotmpl import nodes as N
from amclone.template.gotmpl.exec import MISSING, Arg, Expr, State, call_func, validate_type
from amclone.template.gotmpl.values import Func, GoError, GoStruct, is_true, lookup, type_name

if TYPE_CHECKING:
    from amclone.template.gotmpl.exec import Compiler


def _is_missing(v: Any) -> bool:
    return v is MISSING


def ideal_constant(s: State, n: N.NumberNode) -> Any:
    s.node = n
    if n.is_complex:
        return n.complex_val
    t = n.text
    hexint = len(t) > 2 and t[0] == "0" and t[1] in "xX" and not any(c in t for c in "pP")
    if n.is_float and not hexint and not t.startswith("'") and any(c in t for c in ".eEpP"):
        return n.float_val
    if n.is_int:
        return n.int_val
    if n.is_uint:
        s.errorf(f"{t} overflows int")
    return None


def literal(s: State, n: N.Node, dot: Any) -> Any:
    """evalEmptyInterface for constant nodes."""
    if isinstance(n, N.BoolNode):
        return n.true
    if isinstance(n, N.StringNode):
        return n.text
    if isinstance(n, N.NumberNode):
        return ideal_constant(s, n)
    if isinstance(n, N.DotNode):
        return dot
    s.errorf(f"can't handle assignment of {n} to empty interface argument")


def command(c: Compiler, cmd: N.CommandNode) -> Expr:
    first = cmd.args[0]
    args = cmd.args
    if isinstance(first, N.FieldNode):
        fexpr: Expr = field_chain(c, first, None, first.ident, args)
        return fexpr
    if isinstance(first, N.ChainNode):
        base = c.command(_single(first.node)) if not isinstance(first.node, N.PipeNode) else None
        pipe = c.pipeline(first.node) if isinstance(first.node, N.PipeNode) else None
        inner = field_chain(c, first, None, first.fields, args)
        chain = first

        def run_chain(s: State, dot: Any, final: Any) -> Any:
            s.node = chain
            if isinstance(chain.node, N.NilNode):
                s.errorf(f"indirection through explicit nil in {chain}")
            if pipe is not None:
                recv = pipe(s, dot)
            elif base is not None:
                recv = base(s, dot, MISSING)
            return inner(s, dot, final, recv)
        return run_chain
    if isinstance(first, N.IdentifierNode):
        return function(c, first, args, cmd)
    if isinstance(first, N.PipeNode):
        pipe = c.pipeline(first)

        def run_paren(s: State, dot: Any, final: Any) -> Any:
            not_a_function(s, args, final)
            return pipe(s, dot)
        return run_paren
    if isinstance(first, N.VariableNode):
        name = first.ident[0]
        var = first
        if len(first.ident) == 1:
            def run_var(s: State, dot: Any, final: Any) -> Any:
                s.node = var
                v = s.var(name)
                if len(args) > 1 or final is not MISSING:
                    not_a_function(s, args, final)
                return v
            return run_var
        inner = field_chain(c, first, None, first.ident[1:], args)

        def run_varchain(s: State, dot: Any, final: Any) -> Any:
            s.node = var
            return inner(s, dot, final, s.var(name))
        return run_varchain

    if len(args) == 1 and isinstance(first, (N.StringNode, N.BoolNode)):
        const: Any = first.text if isinstance(first, N.StringNode) else first.true

        def run_const(s: State, dot: Any, final: Any) -> Any:
            if final is not MISSING:
                s.node = first
                not_a_function(s, args, final)
            return const
        return run_const

    def run_literal(s: State, dot: Any, final: Any) -> Any:
        s.node = first
        not_a_function(s, args, final)
        if isinstance(first, N.NilNode):
            s.errorf("nil is not a command")
        return literal(s, first, dot)
    return run_literal


def _single(n: N.Node) -> N.CommandNode:
    cmd = N.CommandNode(n.pos, n.src)
    cmd.args.append(n)
    return cmd


def not_a_function(s: State, args: list[N.Node], final: Any) -> None:
    if len(args) > 1 or final is not MISSING:
        s.errorf(f"can't give argument to non-function {args[0]}")


def field_chain(c: Compiler, node: N.Node, _recv: Any, idents: list[str], args: list[N.Node]) -> Any:
    """evalFieldChain. For a FieldNode the receiver is dot (returns an Expr); for chains and
    variables the caller passes the receiver (returns fn(s, dot, final, recv))."""
    names = tuple(idents)
    last = names[-1]
    head = names[:-1]
    margs = [arg(c, a) for a in args[1:]]
    nargs = len(margs)

    def run_fields(s: State, dot: Any, final: Any, recv: Any) -> Any:
        for nm in head:
            recv = eval_field(s, dot, nm, node, [], 0, MISSING, recv)
        return eval_field(s, dot, last, node, margs, nargs, final, recv)

    if isinstance(node, N.FieldNode) and not head and not margs:
        fnode1 = node
        # An inline cache: the last receiver type that held `last` as a plain struct field.
        cache: list[Any] = [None]

        def run_dotfield(s: State, dot: Any, final: Any) -> Any:
            if type(dot) is cache[0] and final is MISSING:
                return getattr(dot, last)
            s.node = fnode1
            if final is MISSING and isinstance(dot, GoStruct) and lookup(dot, last)[0] == 2:
                cache[0] = type(dot)
            return eval_field(s, dot, last, fnode1, margs, 0, final, dot)
        return run_dotfield

    if isinstance(node, N.FieldNode):
        fnode = node

        def run_dotfields(s: State, dot: Any, final: Any) -> Any:
            s.node = fnode
            recv = dot
            for nm in head:
                recv = eval_field(s, dot, nm, fnode, [], 0, MISSING, recv)
            return eval_field(s, dot, last, fnode, margs, nargs, final, recv)
        return run_dotfields
    return run_fields


def eval_field(s: State, dot: Any, name: str, node: N.Node, margs: list[Arg], nargs: int, final: Any,
               recv: Any) -> Any:
    if recv is None:
        return None
    if type(recv) is not str:
        how, val = lookup(recv, name)
        if how == 1:
            if nargs == 0 and final is MISSING and not val.params:
                try:  # the common case: .SortedPairs, .Firing, .Values
                    return val.fn(recv)
                except GoError as e:
                    s.node = node
                    s.errorf(f"error calling {name}: {e}")
            return call(s, dot, val, node, name, margs, final, recv)
        has_args = nargs > 0 or final is not MISSING
        if how == 2:
            if has_args:
                s.errorf(f"{name} has arguments but cannot be invoked as function")
            return val
        if how == 3:
            if has_args:
                s.errorf(f"{name} is not a method but has arguments")
            try:
                return recv[name]
            except KeyError:
                return type(recv).elem_zero if hasattr(type(recv), "elem_zero") else None
    s.errorf(f"can't evaluate field {name} in type {type_name(recv)}")


def function(c: Compiler, ident: N.IdentifierNode, args: list[N.Node], cmd: N.Node | None = None) -> Expr:
    name = ident.ident
    f = c.funcs.get(name)
    # Go reports a failing call at the whole command (evalFunction passes cmd), except when the
    # function is itself an argument (then cmd is the identifier).
    errnode: N.Node = cmd if cmd is not None and len(args) > 0 and args[0] is ident else ident
    margs = [arg(c, a) for a in args[1:]]
    if f is not None and f.builtin and name in ("and", "or"):
        want_or = name == "or"

        def run_andor(s: State, dot: Any, final: Any) -> Any:
            s.node = ident
            n = len(margs) + (0 if final is MISSING else 1)
            if n < 1:
                s.errorf(f"wrong number of args for {name}: want at least 1 got 0")
            v: Any = None
            for a in margs:
                v = a(s, dot, "reflect.Value")
                if is_true(v)[0] == want_or:
                    return v
            if final is not MISSING:
                v = final
            return v
        return run_andor

    if f is not None and not f.variadic and all(p == "reflect.Value" for p in f.params) and \
            len(margs) <= len(f.params):
        # Builtins such as eq, gt, len, not take any value: no type checks to make.
        fn, nparams, rv = f.fn, len(f.params), "reflect.Value"

        def run_builtin(s: State, dot: Any, final: Any) -> Any:
            s.node = ident
            if len(margs) + (final is not MISSING) != nparams:
                s.errorf(f"wrong number of args for {name}: want {nparams} got "
                         f"{len(margs) + (final is not MISSING)}")
            argv = [a(s, dot, rv) for a in margs]
            if final is not MISSING:
                argv.append(final)
            try:
                return fn(*argv)
            except GoError as e:
                s.node = errnode
                s.errorf(f"error calling {name}: {e}")
        return run_builtin

    if f is not None and f.variadic and f.params == ("any",):
        # print, html, urlquery and html/template's escapers: any number of values, no checks.
        vfn = f.fn

        def run_variadic(s: State, dot: Any, final: Any) -> Any:
            s.node = ident
            argv = [a(s, dot, "any") for a in margs]
            if final is not MISSING:
                argv.append(final)
            try:
                return vfn(*argv)
            except GoError as e:
                s.node = errnode
                s.errorf(f"error calling {name}: {e}")
        return run_variadic

    def run_func(s: State, dot: Any, final: Any) -> Any:
        s.node = ident
        if f is None:
            s.errorf(f"{_q(name)} is not a defined function")
        return call(s, dot, f, errnode, name, margs, final)
    return run_func


def call(s: State, dot: Any, f: Func, node: N.Node, name: str, margs: list[Arg], final: Any,
         recv: Any = MISSING) -> Any:
    params = f.params
    nin = len(margs) + (0 if final is MISSING else 1)
    if f.variadic:
        nfixed = len(params) - 1
        if nin < nfixed:
            s.errorf(f"wrong number of args for {name}: want at least {nfixed} got {len(margs)}")
    else:
        nfixed = len(margs)
        if nin != len(params):
            s.errorf(f"wrong number of args for {name}: want {len(params)} got {nin}")
    argv: list[Any] = [] if recv is MISSING else [recv]
    i = 0
    while i < nfixed and i < len(margs):
        argv.append(margs[i](s, dot, params[i]))
        i += 1
    if f.variadic:
        et = params[-1]
        while i < len(margs):
            argv.append(margs[i](s, dot, et))
            i += 1
    if final is not MISSING:
        t = params[-1] if params else "any"
        if f.variadic and nin - 1 < nfixed or not f.variadic:
            t = params[nin - 1]
        argv.append(validate_type(s, final, t))
    try:
        return f.fn(*argv)
    except GoError as e:
        s.node = node
        s.errorf(f"error calling {name}: {e}")


def arg(c: Compiler, n: N.Node) -> Arg:
    if isinstance(n, N.DotNode):
        def a_dot(s: State, dot: Any, typ: str) -> Any:
            s.node = n
            return validate_type(s, dot, typ)
        return a_dot
    if isinstance(n, N.NilNode):
        def a_nil(s: State, dot: Any, typ: str) -> Any:
            s.node = n
            # Go's canBeNil: interfaces, maps, slices... and reflect.Value (the builtins' type).
            if typ in ("any", "reflect.Value") or typ.startswith(("[]", "map[")):
                return None if typ in ("any", "reflect.Value") else validate_type(s, None, typ)
            s.errorf(f"cannot assign nil to {typ}")
        return a_nil
    if isinstance(n, (N.FieldNode, N.VariableNode, N.PipeNode, N.IdentifierNode, N.ChainNode)):
        if isinstance(n, N.PipeNode):
            pipe = c.pipeline(n)

            def a_pipe(s: State, dot: Any, typ: str) -> Any:
                s.node = n
                return validate_type(s, pipe(s, dot), typ)
            return a_pipe
        ev = c.command(_single(n))

        def a_eval(s: State, dot: Any, typ: str) -> Any:
            s.node = n
            return validate_type(s, ev(s, dot, MISSING), typ)
        return a_eval

    def a_const(s: State, dot: Any, typ: str) -> Any:
        s.node = n
        if typ in ("any", "reflect.Value"):
            return literal(s, n, dot)
        if typ == "string":
            if isinstance(n, N.StringNode):
                return n.text
            s.errorf(f"expected string; found {n}")
        if typ == "int":
            if isinstance(n, N.NumberNode) and n.is_int:
                return n.int_val
            s.errorf(f"expected integer; found {n}")
        if typ == "float64":
            if isinstance(n, N.NumberNode) and n.is_float:
                return n.float_val
            s.errorf(f"expected float; found {n}")
        if typ == "bool":
            if isinstance(n, N.BoolNode):
                return n.true
            s.errorf(f"expected bool; found {n}")
        s.errorf(f"can't handle {n} for arg of type {typ}")
    return a_const


def _q(s: str) -> str:
    from amclone.compat.goquote import quote

    return quote(s)


__all__ = ["GoError", "call", "call_func", "command"]
