"""Log lines in go-kit's shapes, as Alertmanager writes them (``--log.format=logfmt|json``).

Operators grep and parse these (``level=error``, ``msg="..."``), so amclone keeps the layout:
``ts=<RFC 3339 millis> caller=<file>:<line> level=<lvl> [component=<c>] msg=<m> key=value...``.
Extra key/values come from ``logging``'s ``extra=`` (any non-standard record attribute).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING, "error": logging.ERROR}
_NAMES = {logging.DEBUG: "debug", logging.INFO: "info", logging.WARNING: "warn", logging.ERROR: "error",
          logging.CRITICAL: "error"}
# Loggers whose name maps onto Alertmanager's component=... field.
_COMPONENTS = {"amclone.config": "configuration", "amclone.silence": "silences", "amclone.nflog": "nflog",
               "amclone.cluster": "cluster", "amclone.dispatch": "dispatcher", "amclone.api": "api"}


def _ts(record: logging.LogRecord) -> str:
    t = time.gmtime(record.created)
    return time.strftime("%Y-%m-%dT%H:%M:%S", t) + f".{int(record.msecs):03d}Z"


def _fields(record: logging.LogRecord) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = [("ts", _ts(record)),
                                     ("caller", f"{os.path.basename(record.pathname)}:{record.lineno}"),
                                     ("level", _NAMES.get(record.levelno, "info"))]
    for prefix, comp in _COMPONENTS.items():
        if "component" in vars(record):
            break
        if record.name == prefix or record.name.startswith(prefix + "."):
            out.append(("component", comp))
            break
    msg = record.getMessage()
    if msg:
        out.append(("msg", msg))
    for k, v in vars(record).items():
        if k not in _STANDARD and not k.startswith("_"):
            out.append((k, v))
    if record.exc_info and record.exc_info[1] is not None:
        out.append(("err", str(record.exc_info[1])))
    return out


def _value(v: object) -> str:
    s = v if isinstance(v, str) else str(v)
    if s == "" or any(c <= " " or c in '="' or c == "\x7f" for c in s):
        return json.dumps(s, ensure_ascii=False)
    return s


class LogfmtFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return " ".join(f"{k}={_value(v)}" for k, v in _fields(record))


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {k: (v if isinstance(v, (str, int, float, bool)) or v is None else str(v))
                for k, v in _fields(record)}
        return json.dumps(dict(sorted(data.items())), ensure_ascii=False)


def setup(level: str, fmt: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JSONFormatter() if fmt == "json" else LogfmtFormatter())
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(handler)
    root.setLevel(_LEVELS.get(level, logging.INFO))
    for noisy in ("aiohttp", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
