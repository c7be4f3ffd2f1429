"""The one error type the config loader raises.

Users compare our messages with Alertmanager's (amtool prints them as its first error line), so
`str()` is exactly the Go text; the file and line are extra facts for our own logs and tests and
never leak into the message.
"""

from __future__ import annotations


class ConfigError(Exception):
    """An invalid alertmanager.yml: `str()` is Alertmanager 0.25's own message."""

    def __init__(self, message: str, *, file: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        return self.message

    def with_file(self, file: str) -> ConfigError:
        """The same error, now knowing which file it came from."""
        return ConfigError(self.message, file=file, line=self.line)


class DecodeAbort(ConfigError):
    """An error that stops decoding at once, like go-yaml's `fail(err)` panics.

    Go's custom UnmarshalYAML methods return plain errors (validation failures, bad URLs...);
    yaml.v2 turns those into a panic that unwinds the whole decode, so no later field is looked
    at and no collected type errors are reported.
    """


NIL_DEREFERENCE = "runtime error: invalid memory address or nil pointer dereference"


class GoPanic(DecodeAbort):
    """An input on which 0.25 itself crashes (a null list item it dereferences).

    amtool dies with a Go panic (exit status 2) and Alertmanager refuses to start; we raise this
    error instead, with the panic's message, so callers can reproduce the tool's exit status.
    """

    def __init__(self, message: str = NIL_DEREFERENCE) -> None:
        super().__init__(message)
