"""kingpin v2.2.6's value parsers (Bool, Int, Duration, ExistingFile, File), with the error
texts they produce from Go's strconv, time and os packages, which amtool prints verbatim."""

from __future__ import annotations

import os

from amclone.compat.duration import parse_go_duration


class ParseError(Exception):
    """A kingpin error: printed as ``amtool: error: <msg>``."""


def parse_bool(s: str) -> bool:
    if s in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if s in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise ParseError(f'strconv.ParseBool: parsing "{s}": invalid syntax')


def parse_int(s: str) -> int:
    # kingpin's IntVar goes through strconv.ParseFloat and truncates.
    try:
        return int(float(s))
    except ValueError:
        raise ParseError(f'strconv.ParseFloat: parsing "{s}": invalid syntax') from None


def parse_duration(s: str) -> int:
    try:
        return parse_go_duration(s)
    except ValueError as e:
        raise ParseError(str(e)) from None


def existing_file(s: str) -> str:
    if not os.path.exists(s):
        raise ParseError(f"path '{s}' does not exist")
    if os.path.isdir(s):
        raise ParseError(f"'{os.path.basename(s.rstrip('/')) or s}' is a directory")
    return s


def readable_file(s: str) -> str:
    """kingpin FileVar opens the file at parse time; its error is os.OpenFile's."""
    try:
        with open(s, "rb"):
            return s
    except OSError as e:
        reason = {2: "no such file or directory", 13: "permission denied",
                  21: "is a directory"}.get(e.errno or 0, (e.strerror or str(e)).lower())
        raise ParseError(f"open {s}: {reason}") from None
