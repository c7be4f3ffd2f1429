"""Parse-tree nodes of Go text/template.

Each node's ``__str__`` reproduces Go's ``Node.String()`` exactly, because execution errors quote
the failing node (``executing "x" at <.Labels.foo>: ...``) and parse errors quote unexpected ones.
Nodes carry their byte offset into the template text and the ``Source`` they came from, which is
what Go's ``ErrorContext`` needs to print ``name:line:col``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from amclone.compat.goquote import quote


@dataclass(slots=True)
class Source:
    """The text one Parse call read, and the name errors report for it (Go's ParseName)."""

    name: str
    text: str

    def location(self, pos: int) -> str:
        # Go counts bytes; the column is the byte offset of pos within its line.
        before = self.text[:pos]
        nl = before.rfind("\n")
        col = len(before[nl + 1:].encode()) if nl >= 0 else len(before.encode())
        return f"{self.name}:{1 + before.count(chr(10))}:{col}"


class Node:
    __slots__ = ("pos", "src")

    def __init__(self, pos: int, src: Source | None) -> None:
        self.pos = pos
        self.src = src


class TextNode(Node):
    __slots__ = ("text",)

    def __init__(self, pos: int, src: Source | None, text: str) -> None:
        super().__init__(pos, src)
        self.text = text

    def __str__(self) -> str:
        return self.text


class CommentNode(Node):
    __slots__ = ("text",)

    def __init__(self, pos: int, src: Source | None, text: str) -> None:
        super().__init__(pos, src)
        self.text = text

    def __str__(self) -> str:
        return "{{" + self.text + "}}"


class ListNode(Node):
    __slots__ = ("nodes",)

    def __init__(self, pos: int, src: Source | None) -> None:
        super().__init__(pos, src)
        self.nodes: list[Node] = []

    def __str__(self) -> str:
        return "".join(str(n) for n in self.nodes)


class IdentifierNode(Node):
    __slots__ = ("ident",)

    def __init__(self, pos: int, src: Source | None, ident: str) -> None:
        super().__init__(pos, src)
        self.ident = ident

    def __str__(self) -> str:
        return self.ident


class VariableNode(Node):
    __slots__ = ("ident",)

    def __init__(self, pos: int, src: Source | None, name: str) -> None:
        super().__init__(pos, src)
        self.ident = name.split(".")

    def __str__(self) -> str:
        return ".".join(self.ident)


class DotNode(Node):
    __slots__ = ()

    def __str__(self) -> str:
        return "."


class NilNode(Node):
    __slots__ = ()

    def __str__(self) -> str:
        return "nil"


class FieldNode(Node):
    __slots__ = ("ident",)

    def __init__(self, pos: int, src: Source | None, name: str) -> None:
        super().__init__(pos, src)
        self.ident = name[1:].split(".")

    def __str__(self) -> str:
        return "".join("." + i for i in self.ident)


class BoolNode(Node):
    __slots__ = ("true",)

    def __init__(self, pos: int, src: Source | None, true: bool) -> None:
        super().__init__(pos, src)
        self.true = true

    def __str__(self) -> str:
        return "true" if self.true else "false"


class NumberNode(Node):
    """A numeric constant; like Go's it records every interpretation the text allows."""

    __slots__ = (
        "complex_val",
        "float_val",
        "int_val",
        "is_complex",
        "is_float",
        "is_int",
        "is_uint",
        "text",
    )

    def __init__(self, pos: int, src: Source | None, text: str) -> None:
        super().__init__(pos, src)
        self.text = text
        self.is_int = self.is_uint = self.is_float = self.is_complex = False
        self.int_val = 0
        self.float_val = 0.0
        self.complex_val: complex = 0j

    def __str__(self) -> str:
        return self.text


class StringNode(Node):
    __slots__ = ("quoted", "text")

    def __init__(self, pos: int, src: Source | None, quoted: str, text: str) -> None:
        super().__init__(pos, src)
        self.quoted = quoted
        self.text = text

    def __str__(self) -> str:
        return self.quoted


class PipeNode(Node):
    __slots__ = ("cmds", "decl", "is_assign", "line")

    def __init__(self, pos: int, src: Source | None, line: int) -> None:
        super().__init__(pos, src)
        self.line = line
        self.is_assign = False
        self.decl: list[VariableNode] = []
        self.cmds: list[CommandNode] = []

    def __str__(self) -> str:
        s = ""
        if self.decl:
            s = ", ".join(str(v) for v in self.decl) + " := "
        return s + " | ".join(str(c) for c in self.cmds)


class CommandNode(Node):
    __slots__ = ("args",)

    def __init__(self, pos: int, src: Source | None) -> None:
        super().__init__(pos, src)
        self.args: list[Node] = []

    def __str__(self) -> str:
        return " ".join(f"({a})" if isinstance(a, PipeNode) else str(a) for a in self.args)


class ChainNode(Node):
    __slots__ = ("fields", "node")

    def __init__(self, pos: int, src: Source | None, node: Node) -> None:
        super().__init__(pos, src)
        self.node = node
        self.fields: list[str] = []

    def add(self, f: str) -> None:
        self.fields.extend(f[1:].split("."))

    def __str__(self) -> str:
        base = f"({self.node})" if isinstance(self.node, PipeNode) else str(self.node)
        return base + "".join("." + f for f in self.fields)


class ActionNode(Node):
    __slots__ = ("line", "pipe")

    def __init__(self, pos: int, src: Source | None, line: int, pipe: PipeNode) -> None:
        super().__init__(pos, src)
        self.line = line
        self.pipe = pipe

    def __str__(self) -> str:
        return "{{" + str(self.pipe) + "}}"


class BranchNode(Node):
    __slots__ = ("else_list", "line", "list", "pipe")
    keyword = ""

    def __init__(self, pos: int, src: Source | None, line: int, pipe: PipeNode, lst: ListNode,
                 else_list: ListNode | None) -> None:
        super().__init__(pos, src)
        self.line = line
        self.pipe = pipe
        self.list = lst
        self.else_list = else_list

    def __str__(self) -> str:
        s = "{{" + self.keyword + " " + str(self.pipe) + "}}" + str(self.list)
        if self.else_list is not None:
            s += "{{else}}" + str(self.else_list)
        return s + "{{end}}"


class IfNode(BranchNode):
    __slots__ = ()
    keyword = "if"


class RangeNode(BranchNode):
    __slots__ = ()
    keyword = "range"


class WithNode(BranchNode):
    __slots__ = ()
    keyword = "with"


class TemplateNode(Node):
    __slots__ = ("line", "name", "pipe")

    def __init__(self, pos: int, src: Source | None, line: int, name: str, pipe: PipeNode | None) -> None:
        super().__init__(pos, src)
        self.line = line
        self.name = name
        self.pipe = pipe

    def __str__(self) -> str:
        if self.pipe is None:
            return "{{template " + quote(self.name) + "}}"
        return "{{template " + quote(self.name) + " " + str(self.pipe) + "}}"


class BreakNode(Node):
    __slots__ = ("line",)

    def __init__(self, pos: int, src: Source | None, line: int) -> None:
        super().__init__(pos, src)
        self.line = line

    def __str__(self) -> str:
        return "{{break}}"


class ContinueNode(BreakNode):
    __slots__ = ()

    def __str__(self) -> str:
        return "{{continue}}"


class EndNode(Node):
    __slots__ = ()

    def __str__(self) -> str:
        return "{{end}}"


class ElseNode(Node):
    __slots__ = ("line",)

    def __init__(self, pos: int, src: Source | None, line: int) -> None:
        super().__init__(pos, src)
        self.line = line

    def __str__(self) -> str:
        return "{{else}}"


@dataclass(slots=True)
class Tree:
    """One named template: its root list and where its text came from."""

    name: str
    root: ListNode | None
    src: Source
    extra: dict[str, Any] = field(default_factory=dict)


def is_empty_tree(n: Node | None) -> bool:
    """Go's IsEmptyTree: only whitespace text (and comments); an empty define does not override."""
    if n is None:
        return True
    if isinstance(n, ListNode):
        return all(is_empty_tree(c) for c in n.nodes)
    if isinstance(n, TextNode):
        return n.text.strip() == ""
    return isinstance(n, CommentNode)
