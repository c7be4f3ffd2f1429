"""Go text/template's parser (Go 1.19 ``text/template/parse/parse.go``).

Turns the token list into trees: the top-level template plus one tree per ``define`` and
``block``. Error messages are Go's, prefixed ``template: NAME:LINE:`` where LINE is the line of the
furthest token read so far, as in Go (``t.token[0].line``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from amclone.template.gotmpl.lexer import Item, T, lex
from amclone.template.gotmpl.literals import _q, new_number, unquote
from amclone.template.gotmpl.nodes import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    ContinueNode,
    DotNode,
    ElseNode,
    EndNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    RangeNode,
    Source,
    StringNode,
    TemplateNode,
    TextNode,
    Tree,
    VariableNode,
    WithNode,
    is_empty_tree,
)


class TemplateError(Exception):
    """A parse or execution error; ``str()`` is Go's error text."""


class ParseError(TemplateError):
    pass


class Parser:
    """Parses one text; ``trees`` receives every template it defines (Go's treeSet)."""

    def __init__(self, name: str, text: str, has_func: Callable[[str], bool],
                 trees: dict[str, Tree]) -> None:
        self.src = Source(name, text)
        self.items = lex(text)
        self.i = 0
        self.hw = 0
        self.has_func = has_func
        self.trees = trees
        self.vars: list[str] = ["$"]
        self.range_depth = 0
        self.action_line = 0

    # -- token helpers ------------------------------------------------------------------
    def next(self) -> Item:
        # Past the end, keep returning the final EOF/error item (Go's lexer does the same).
        last = len(self.items) - 1
        it = self.items[min(last, self.i)]
        if self.i > self.hw:
            self.hw = min(self.i, last)
        self.i += 1
        return it

    def backup(self, n: int = 1) -> None:
        self.i -= n

    def peek(self) -> Item:
        it = self.next()
        self.backup()
        return it

    def next_non_space(self) -> Item:
        while True:
            it = self.next()
            if it.typ != T.SPACE:
                return it

    def peek_non_space(self) -> Item:
        it = self.next_non_space()
        self.backup()
        return it

    def errorf(self, msg: str) -> NoReturn:
        # Go reports the line of the furthest token read (t.token[0]), not of the current one.
        raise ParseError(f"template: {self.src.name}:{self.items[self.hw].line}: {msg}")

    def expect(self, typ: T, context: str) -> Item:
        it = self.next_non_space()
        if it.typ != typ:
            self.unexpected(it, context)
        return it

    def unexpected(self, it: Item, context: str) -> NoReturn:
        if it.typ == T.ERROR:
            extra = ""
            if self.action_line and self.action_line != it.line:
                extra = f" in action started at {self.src.name}:{self.action_line}"
                if it.val.endswith(" action"):
                    extra = extra[len(" in action"):]
            self.errorf(f"{it}{extra}")
        self.errorf(f"unexpected {it} in {context}")

    # -- structure --------------------------------------------------------------------------
    def parse(self) -> ListNode:
        root = ListNode(self.peek().pos, self.src)
        while self.peek().typ != T.EOF:
            if self.peek().typ == T.LEFT_DELIM:
                save = self.i
                self.next()
                if self.next_non_space().typ == T.DEFINE:
                    self.parse_definition()
                    continue
                self.i = save  # Go's backup2: give back the delimiter and what followed
            n = self.text_or_action()
            if isinstance(n, (EndNode, ElseNode)):
                self.errorf(f"unexpected {n}")
            root.nodes.append(n)
        return root

    def add_tree(self, name: str, root: ListNode) -> None:
        old = self.trees.get(name)
        if old is None or is_empty_tree(old.root):
            self.trees[name] = Tree(name, root, self.src)
            return
        if not is_empty_tree(root):
            self.errorf(f"template: multiple definition of template {_q(name)}")

    def parse_definition(self) -> None:
        context = "define clause"
        it = self.next_non_space()
        if it.typ not in (T.STRING, T.RAW_STRING):
            self.unexpected(it, context)
        name = self._unquote(it.val)
        self.expect(T.RIGHT_DELIM, context)
        saved = self.vars
        self.vars = ["$"]
        root, end = self.item_list()
        self.vars = saved
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        self.add_tree(name, root)

    def _unquote(self, s: str) -> str:
        try:
            return unquote(s)
        except ValueError as e:
            self.errorf(str(e))

    def item_list(self) -> tuple[ListNode, Node]:
        lst = ListNode(self.peek_non_space().pos, self.src)
        while self.peek_non_space().typ != T.EOF:
            n = self.text_or_action()
            if isinstance(n, (EndNode, ElseNode)):
                return lst, n
            lst.nodes.append(n)
        self.errorf("unexpected EOF")

    def text_or_action(self) -> Node:
        it = self.next_non_space()
        if it.typ == T.TEXT:
            return TextNode(it.pos, self.src, it.val)
        if it.typ == T.LEFT_DELIM:
            self.action_line = it.line
            try:
                return self.action()
            finally:
                self.action_line = 0
        self.unexpected(it, "input")

    def action(self) -> Node:
        it = self.next_non_space()
        t = it.typ
        if t == T.BLOCK:
            return self.block_control()
        if t in (T.BREAK, T.CONTINUE):
            word = "break" if t == T.BREAK else "continue"
            nx = self.next_non_space()
            if nx.typ != T.RIGHT_DELIM:
                self.unexpected(nx, "{{" + word + "}}")
            if self.range_depth == 0:
                self.errorf("{{" + word + "}} outside {{range}}")
            return (BreakNode if t == T.BREAK else ContinueNode)(it.pos, self.src, it.line)
        if t == T.ELSE:
            pk = self.peek_non_space()
            if pk.typ == T.IF:
                return ElseNode(pk.pos, self.src, pk.line)
            tok = self.expect(T.RIGHT_DELIM, "else")
            return ElseNode(tok.pos, self.src, tok.line)
        if t == T.END:
            return EndNode(self.expect(T.RIGHT_DELIM, "end").pos, self.src)
        if t == T.IF:
            return self.control(IfNode, True, "if")
        if t == T.RANGE:
            return self.control(RangeNode, False, "range")
        if t == T.WITH:
            return self.control(WithNode, False, "with")
        if t == T.TEMPLATE:
            return self.template_control()
        self.backup()
        tok = self.peek()
        return ActionNode(tok.pos, self.src, tok.line, self.pipeline("command", T.RIGHT_DELIM))

    def control(self, cls: type[BranchNode], allow_else_if: bool, context: str) -> BranchNode:
        nvars = len(self.vars)
        pipe = self.pipeline(context, T.RIGHT_DELIM)
        if context == "range":
            self.range_depth += 1
        lst, nxt = self.item_list()
        if context == "range":
            self.range_depth -= 1
        else_list = None
        if isinstance(nxt, ElseNode):
            if allow_else_if and self.peek().typ == T.IF:
                self.next()
                else_list = ListNode(nxt.pos, self.src)
                else_list.nodes.append(self.control(IfNode, True, "if"))
            else:
                else_list, nxt = self.item_list()
                if not isinstance(nxt, EndNode):
                    self.errorf(f"expected end; found {nxt}")
        del self.vars[nvars:]
        return cls(pipe.pos, self.src, pipe.line, pipe, lst, else_list)

    def template_name(self, it: Item, context: str) -> str:
        if it.typ in (T.STRING, T.RAW_STRING):
            return self._unquote(it.val)
        self.unexpected(it, context)

    def block_control(self) -> Node:
        context = "block clause"
        it = self.next_non_space()
        name = self.template_name(it, context)
        pipe = self.pipeline(context, T.RIGHT_DELIM)
        saved = self.vars
        self.vars = ["$"]
        root, end = self.item_list()
        self.vars = saved
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        self.add_tree(name, root)
        return TemplateNode(it.pos, self.src, it.line, name, pipe)

    def template_control(self) -> Node:
        context = "template clause"
        it = self.next_non_space()
        name = self.template_name(it, context)
        pipe = None
        if self.next_non_space().typ != T.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, T.RIGHT_DELIM)
        return TemplateNode(it.pos, self.src, it.line, name, pipe)

    # -- pipelines ----------------------------------------------------------------------------
    def pipeline(self, context: str, end: T) -> PipeNode:
        tok = self.peek_non_space()
        pipe = PipeNode(tok.pos, self.src, tok.line)
        while True:  # declarations (Go's "decls:" label)
            v = self.peek_non_space()
            if v.typ != T.VARIABLE:
                break
            save = self.i
            self.next_non_space()
            nxt = self.peek_non_space()
            if nxt.typ in (T.ASSIGN, T.DECLARE):
                pipe.is_assign = nxt.typ == T.ASSIGN
                self.next_non_space()
                pipe.decl.append(VariableNode(v.pos, self.src, v.val))
                self.vars.append(v.val)
            elif nxt.typ == T.CHAR and nxt.val == ",":
                self.next_non_space()
                pipe.decl.append(VariableNode(v.pos, self.src, v.val))
                self.vars.append(v.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ in (T.VARIABLE, T.RIGHT_DELIM, T.RIGHT_PAREN):
                        continue
                    self.errorf("range can only initialize variables")
                self.errorf(f"too many declarations in {context}")
            else:
                self.i = save  # not a declaration: the variable is the first operand
            break
        while True:
            it = self.next_non_space()
            if it.typ == end:
                self.check_pipeline(pipe, context)
                return pipe
            if it.typ in (T.BOOL, T.CHAR_CONSTANT, T.COMPLEX, T.DOT, T.FIELD, T.IDENTIFIER, T.NUMBER,
                          T.NIL, T.RAW_STRING, T.STRING, T.VARIABLE, T.LEFT_PAREN):
                self.backup()
                pipe.cmds.append(self.command())
            else:
                self.unexpected(it, context)

    def check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            self.errorf(f"missing value for {context}")
        for i, c in enumerate(pipe.cmds[1:]):
            if isinstance(c.args[0], (BoolNode, DotNode, NilNode, NumberNode, StringNode)):
                self.errorf(f"non executable command in pipeline stage {i + 2}")

    def command(self) -> CommandNode:
        cmd = CommandNode(self.peek_non_space().pos, self.src)
        while True:
            self.peek_non_space()
            op = self.operand()
            if op is not None:
                cmd.args.append(op)
            it = self.next()
            if it.typ == T.SPACE:
                continue
            if it.typ in (T.RIGHT_DELIM, T.RIGHT_PAREN):
                self.backup()
            elif it.typ != T.PIPE:
                self.unexpected(it, "operand")
            break
        if not cmd.args:
            self.errorf("empty command")
        return cmd

    def operand(self) -> Node | None:
        node = self.term()
        if node is None:
            return None
        if self.peek().typ == T.FIELD:
            chain = ChainNode(self.peek().pos, self.src, node)
            while self.peek().typ == T.FIELD:
                chain.add(self.next().val)
            if isinstance(node, FieldNode):
                return FieldNode(chain.pos, self.src, str(chain))
            if isinstance(node, VariableNode):
                return VariableNode(chain.pos, self.src, str(chain))
            if isinstance(node, (BoolNode, StringNode, NumberNode, NilNode, DotNode)):
                self.errorf(f"unexpected . after term {_q(str(node))}")
            return chain
        return node

    def term(self) -> Node | None:
        it = self.next_non_space()
        t = it.typ
        if t == T.IDENTIFIER:
            if not self.has_func(it.val):
                self.errorf(f"function {_q(it.val)} not defined")
            return IdentifierNode(it.pos, self.src, it.val)
        if t == T.DOT:
            return DotNode(it.pos, self.src)
        if t == T.NIL:
            return NilNode(it.pos, self.src)
        if t == T.VARIABLE:
            v = VariableNode(it.pos, self.src, it.val)
            if v.ident[0] not in self.vars:
                self.errorf(f"undefined variable {_q(v.ident[0])}")
            return v
        if t == T.FIELD:
            return FieldNode(it.pos, self.src, it.val)
        if t == T.BOOL:
            return BoolNode(it.pos, self.src, it.val == "true")
        if t in (T.CHAR_CONSTANT, T.COMPLEX, T.NUMBER):
            try:
                return new_number(it.pos, self.src, it.val, t)
            except ValueError as e:
                self.errorf(str(e))
        if t == T.LEFT_PAREN:
            return self.pipeline("parenthesized pipeline", T.RIGHT_PAREN)
        if t in (T.STRING, T.RAW_STRING):
            return StringNode(it.pos, self.src, it.val, self._unquote(it.val))
        self.backup()
        return None


def parse(name: str, text: str, has_func: Callable[[str], bool]) -> dict[str, Tree]:
    """Parse `text`; the result maps each template name it defines to its tree, the top-level
    text under `name` itself."""
    trees: dict[str, Tree] = {}
    p = Parser(name, text, has_func, trees)
    root = p.parse()
    p.add_tree(name, root)
    return trees
