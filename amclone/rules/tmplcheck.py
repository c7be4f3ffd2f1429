"""Syntax check of alert label and annotation templates, as promtool runs it at load time.

Prometheus parses every label and annotation of an alerting rule (never of a recording rule) as
a Go text/template named ``__alert_<alertname>``, after the four variable definitions it prepends
when expanding, against its own function map; a name outside that map is a parse error
(``function "x" not defined``), so the map's *names* are part of the file format. Only names are
needed here: the functions themselves belong to the evaluator, which comes later.
"""

from __future__ import annotations

from amclone.template.gotmpl.builtins import BUILTINS
from amclone.template.gotmpl.parser import TemplateError, parse

# Prometheus 2.42 template/template.go NewTemplateExpander's FuncMap.
PROMETHEUS_FUNCS = frozenset({
    "query", "first", "label", "value", "strvalue", "args", "reReplaceAll", "safeHtml", "match",
    "title", "toUpper", "toLower", "graphLink", "tableLink", "sortByLabel", "stripPort",
    "stripDomain", "humanize", "humanize1024", "humanizeDuration", "humanizePercentage",
    "humanizeTimestamp", "toTime", "pathPrefix", "externalURL", "parseDuration",
})

# Prepended by Prometheus to every alert template (rules/alerting.go, rulefmt's testTemplateParsing).
DEFS = ("{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}"
        "{{$externalURL := .ExternalURL}}{{$value := .Value}}")


def _known(name: str) -> bool:
    return name in PROMETHEUS_FUNCS or name in BUILTINS


def check(alertname: str, text: str) -> str | None:
    """None if `text` parses, else Go's error (``template: __alert_A:1: unclosed action``)."""
    try:
        parse("__alert_" + alertname, DEFS + text, _known)
    except TemplateError as e:
        return str(e)
    return None
