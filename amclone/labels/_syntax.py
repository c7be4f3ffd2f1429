"""Where Go 1.19's regexp/syntax rejects what the C++ RE2 library accepts.

Checked against the reference 0.25 build (``amtool check-config`` with ``match_re``; table in
tests/labels/test_regex.py). The C++ parser accepts, and Go rejects:

- ``\\C`` (any byte) outside a class: Go ``invalid escape sequence: `\\C```;
- ``(?<name>re)``: Go 1.19 only knows ``(?P<name>re)``, ``invalid or unsupported Perl syntax: `(?<```;
- capture names with non-ASCII letters, ``(?P<ñ>x)``: Go ``invalid named capture``;
- scripts newer than Go 1.19's Unicode 13 tables, ``\\p{Vithkuqi}``: ``invalid character class range``;
- more than 1000 levels of nesting: ``expression nests too deeply`` (C++ has no such limit).
  Go measures the height of its parse tree; this scan counts capturing groups only (plus the
  concatenation and leaf every `^(?:x)$` has), a lower bound: it never rejects what Go accepts,
  but ``(``x997 ``ab*`` ``)``x997 or 501 nested ``(a|...)`` pass here and fail in Go.

Each offending construct is rewritten into one the C++ parser rejects with the same error code,
and `restore` maps the rewrite back so the reported expression is the user's text. Go reports the
first error from the left and so does C++, so the rewrite keeps Go's choice of error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Scripts added in Unicode 14 and 15, which google-re2 knows and Go 1.19 does not.
_NEW_SCRIPTS = frozenset({
    "Cypro_Minoan", "Old_Uyghur", "Tangsa", "Toto", "Vithkuqi", "Kawi", "Nag_Mundari",
})

# Go's maxHeight; the tree of `^(?:x)$` is one concat above the groups and one leaf below.
_MAX_HEIGHT = 1000

# A code point from a private-use plane: nobody writes it after a backslash by accident.
_MARK = "\U000FFFF0"


@dataclass(frozen=True, slots=True)
class GoSyntax:
    """`rewritten` differs from the pattern only where Go must fail; `restore` undoes the rewrite."""

    rewritten: str
    restore: dict[str, str] = field(default_factory=dict)
    nests_too_deeply: bool = False
    unicode_classes: bool = False  # uses \\p{..} or \\P{..} (outside \\Q..\\E)


def _is_capture_name_char(ch: str) -> bool:
    return ch == "_" or (ch.isascii() and ch.isalnum())


class _Scanner:
    """One left-to-right pass; `out` collects the rewritten pattern."""

    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.out: list[str] = []
        self.restore: dict[str, str] = {}
        self.groups: list[bool] = []  # open groups, True where capturing
        self.depth = self.max_depth = 0
        self.unicode_classes = False

    def placeholder(self, key: str, original: str) -> None:
        self.restore[key] = original
        self.out.append(key)

    def unicode_class(self, i: int) -> int:
        """At ``\\p{`` or ``\\P{``: rewrite a script Go does not know; return the next index."""
        p = self.p
        self.unicode_classes = True
        end = p.find("}", i + 3)
        if end > 0 and p[i + 3:end].lstrip("^") in _NEW_SCRIPTS:
            self.placeholder(f"\\p{{X{_MARK}{len(self.restore)}}}", p[i:end + 1])
            return end + 1
        self.out.append(p[i:i + 3])
        return i + 3

    def escape(self, i: int) -> int:
        p, n = self.p, len(self.p)
        nxt = p[i + 1]
        if nxt == "Q":  # \Q...\E is literal text: nothing inside it is syntax
            end = p.find("\\E", i + 2)
            stop = n if end < 0 else end + 2
            self.out.append(p[i:stop])
            return stop
        if nxt == "C":
            self.placeholder("\\" + _MARK, "\\C")
            return i + 2
        if nxt in "pP" and i + 2 < n and p[i + 2] == "{":
            return self.unicode_class(i)
        if nxt in "pP":
            self.unicode_classes = True  # one-letter form, \\pL
        self.out.append(p[i:i + 2])
        return i + 2

    def bracket(self, i: int) -> int:
        """A character class: only ``\\p{...}`` inside it needs a rewrite."""
        p, n = self.p, len(self.p)
        j = i + 1
        if j < n and p[j] == "^":
            j += 1
        if j < n and p[j] == "]":  # a leading ] is literal
            j += 1
        self.out.append(p[i:j])
        while j < n and p[j] != "]":
            if p[j] == "\\" and j + 1 < n:
                if p[j + 1] in "pP" and j + 2 < n and p[j + 2] == "{":
                    j = self.unicode_class(j)
                else:
                    self.unicode_classes = self.unicode_classes or p[j + 1] in "pP"
                    self.out.append(p[j:j + 2])
                    j += 2
                continue
            if p.startswith("[:", j):
                end = p.find(":]", j + 2)
                if end > 0:
                    self.out.append(p[j:end + 2])
                    j = end + 2
                    continue
            self.out.append(p[j])
            j += 1
        if j < n:
            self.out.append("]")
            j += 1
        return j

    def group(self, i: int) -> int:
        p = self.p
        if p.startswith("(?<", i) and not p.startswith(("(?<=", "(?<!"), i):
            self.out.append("(?<!")  # C++ rejects lookbehind; reported as Go's `(?<`
            return i + 3
        capturing = not p.startswith("(?", i) or p.startswith("(?P<", i)
        self.groups.append(capturing)
        if capturing:
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)
        if p.startswith("(?P<", i):
            end = p.find(">", i + 4)
            name = p[i + 4:end] if end > 0 else ""
            if name and not all(_is_capture_name_char(c) for c in name):
                self.placeholder(f"(?P<-{_MARK}{len(self.restore)}>", p[i:end + 1])
                return end + 1
        self.out.append("(")
        return i + 1

    def run(self) -> GoSyntax:
        p, n = self.p, len(self.p)
        i = 0
        while i < n:
            ch = p[i]
            if ch == "\\" and i + 1 < n:
                i = self.escape(i)
            elif ch == "[":
                i = self.bracket(i)
            elif ch == "(":
                i = self.group(i)
            else:
                if ch == ")" and self.groups and self.groups.pop():
                    self.depth -= 1
                self.out.append(ch)
                i += 1
        # Only capturing groups add tree levels in Go (non-capturing ones merge into their parent),
        # plus the concatenation `^(?:x)$` makes and the leaf below.
        return GoSyntax("".join(self.out), self.restore, self.max_depth + 2 > _MAX_HEIGHT,
                        self.unicode_classes)


def go_only_errors(pattern: str) -> GoSyntax:
    """Scan `pattern` the way Go's parser tokenises it and rewrite the constructs listed above."""
    return _Scanner(pattern).run()
