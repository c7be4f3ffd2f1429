"""Where Go 1.19's regexp/syntax rejects what the C++ RE2 library accepts.

Checked against the reference 0.25 build (``amtool check-config`` with ``match_re``; table in
tests/labels/test_regex.py). The C++ parser accepts, and Go rejects:

- ``\\C`` (any byte) outside a class: Go ``invalid escape sequence: `\\C```;
- ``(?<name>re)``: Go 1.19 only knows ``(?P<name>re)``, ``invalid or unsupported Perl syntax: `(?<```;
- capture names with non-ASCII letters, ``(?P<ñ>x)``: Go ``invalid named capture``;
- scripts newer than Go 1.19's Unicode 13 tables, ``\\p{Vithkuqi}``: ``invalid character class range``;
- more than 1000 levels of nesting: ``expression nests too deeply`` (C++ has no such limit).

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


def _is_capture_name_char(ch: str) -> bool:
    return ch == "_" or (ch.isascii() and ch.isalnum())


def go_only_errors(pattern: str) -> GoSyntax:
    """Scan `pattern` the way Go's parser tokenises it and rewrite the constructs listed above."""
    out: list[str] = []
    restore: dict[str, str] = {}
    depth = max_depth = 0
    i, n = 0, len(pattern)

    def placeholder(key: str, original: str) -> str:
        restore[key] = original
        return key

    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt == "Q":  # \Q...\E is literal text: nothing inside it is syntax
                end = pattern.find("\\E", i + 2)
                stop = n if end < 0 else end + 2
                out.append(pattern[i:stop])
                i = stop
                continue
            if nxt == "C":
                out.append(placeholder("\\" + _MARK, "\\C"))
                i += 2
                continue
            if nxt in "pP" and i + 2 < n and pattern[i + 2] == "{":
                end = pattern.find("}", i + 3)
                if end > 0:
                    name = pattern[i + 3:end].lstrip("^")
                    if name in _NEW_SCRIPTS:
                        original = pattern[i:end + 1]
                        out.append(placeholder(f"\\p{{X{_MARK}{len(restore)}}}", original))
                        i = end + 1
                        continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[":
            i = _skip_class(pattern, i, out)
            continue
        if ch == "(":
            if pattern.startswith("(?<", i) and not pattern.startswith(("(?<=", "(?<!"), i):
                out.append("(?<!")  # C++ rejects lookbehind; reported as Go's `(?<`
                i += 3
                continue
            if pattern.startswith("(?P<", i):
                end = pattern.find(">", i + 4)
                name = pattern[i + 4:end] if end > 0 else ""
                if end > 0 and name and not all(_is_capture_name_char(c) for c in name):
                    out.append(placeholder(f"(?P<-{_MARK}{len(restore)}>", pattern[i:end + 1]))
                    i = end + 1
                    depth += 1
                    max_depth = max(max_depth, depth)
                    continue
            if not pattern.startswith("(?", i) or pattern.startswith("(?P<", i):
                depth += 1
                max_depth = max(max_depth, depth)
        elif ch == ")" and depth > 0:
            depth -= 1
        out.append(ch)
        i += 1
    # Only capturing groups add tree levels in Go (non-capturing ones merge into their parent).
    too_deep = max_depth + 2 > _MAX_HEIGHT
    return GoSyntax("".join(out), restore, too_deep)


def _skip_class(pattern: str, i: int, out: list[str]) -> int:
    """Copy a bracket expression unchanged; its contents are never group or escape syntax we rewrite."""
    n = len(pattern)
    j = i + 1
    if j < n and pattern[j] == "^":
        j += 1
    if j < n and pattern[j] == "]":  # a leading ] is literal
        j += 1
    while j < n and pattern[j] != "]":
        if pattern[j] == "\\" and j + 1 < n:
            j += 2
            continue
        if pattern.startswith("[:", j):
            end = pattern.find(":]", j + 2)
            if end > 0:
                j = end + 2
                continue
        j += 1
    stop = min(j + 1, n)
    out.append(pattern[i:stop])
    return stop
