"""Go's ``text/tabwriter`` and xlab/treeprint, the two layouts amtool's tables and route trees
come out of. Byte-exact output needs their exact rules (column blocks, padding of the last
tab-terminated cell, a flush at every line without tabs; treeprint's box-drawing prefixes),
so they are reimplemented rather than approximated with str.ljust."""

from __future__ import annotations

from dataclasses import dataclass, field


class TabWriter:
    """``tabwriter.NewWriter(w, minwidth, tabwidth=0, padding, ' ', 0)`` into a string.

    Text is cells separated by tabs; the text after a line's last tab is not part of any column.
    A column block is a run of adjacent lines that all have a cell in that column; each block
    gets its own width (widest cell + padding).
    """

    def __init__(self, minwidth: int = 0, padding: int = 2) -> None:
        self.minwidth = minwidth
        self.padding = padding
        self._lines: list[list[str]] = []
        self._partial = ""
        self._out: list[str] = []

    def write(self, text: str) -> None:
        text = self._partial + text
        *complete, self._partial = text.split("\n")
        for line in complete:
            cells = line.split("\t")
            self._lines.append(cells)
            if len(cells) == 1:
                # a line without tabs cannot affect later columns: Go flushes here.
                self._format_all()

    def _format_all(self) -> None:
        widths: list[int] = []
        self._format(widths, 0, len(self._lines))
        self._lines = []

    def _format(self, widths: list[int], line0: int, line1: int) -> None:
        column = len(widths)
        this = line0
        while this < line1:
            if column >= len(self._lines[this]) - 1:
                this += 1
                continue
            self._write_lines(widths, line0, this)
            line0 = this
            width = self.minwidth
            while this < line1 and column < len(self._lines[this]) - 1:
                width = max(width, len(self._lines[this][column]) + self.padding)
                this += 1
            self._format(widths + [width], line0, this)
            line0 = this
        self._write_lines(widths, line0, line1)

    def _write_lines(self, widths: list[int], line0: int, line1: int) -> None:
        for cells in self._lines[line0:line1]:
            for j, cell in enumerate(cells):
                self._out.append(cell)
                if j < len(widths) and j < len(cells) - 1:
                    self._out.append(" " * (widths[j] - len(cell)))
            self._out.append("\n")

    def getvalue(self) -> str:
        """Flush (like ``w.Flush()``) and return everything written."""
        if self._partial:
            self._lines.append(self._partial.split("\t"))
            self._partial = ""
            self._format_all()
            # the last, unterminated line gets no newline
            if self._out and self._out[-1] == "\n":
                self._out.pop()
        else:
            self._format_all()
        return "".join(self._out)


@dataclass
class Tree:
    """A treeprint node: the root prints as ``.``, branches with ├──, └── and │."""

    value: str = "."
    children: list[Tree] = field(default_factory=list)

    def add_branch(self, value: str) -> Tree:
        child = Tree(value)
        self.children.append(child)
        return child

    def render(self) -> str:
        out = [self.value + "\n"]
        self._render_children(out, "")
        return "".join(out)

    def _render_children(self, out: list[str], indent: str) -> None:
        for i, child in enumerate(self.children):
            last = i == len(self.children) - 1
            out.append(indent + ("└── " if last else "├── ") + child.value + "\n")
            # treeprint's continuation edge is "│", two no-break spaces, then a space
            child._render_children(out, indent + ("    " if last else "│\u00a0\u00a0 "))
