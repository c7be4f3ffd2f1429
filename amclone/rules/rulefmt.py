"""Prometheus's rule-file format (``model/rulefmt``): decoding and validation with promtool's texts.

Like Prometheus, a file is decoded twice: strictly into the rule types (unknown fields are errors)
and loosely into a list of raw group nodes whose positions the group errors print; errors of both
passes are reported, which is why a YAML syntax error appears twice in promtool's output. Only
when both passes succeed are the groups validated, in file order (Go walks label and annotation
maps in random order; here they follow the file, which is one of Go's possible orders).

``extensions=True`` is amclone's own loading: the Prometheus 3 group fields ``query_offset`` and
``labels``, and amclone's ``evaluation: on_write`` (event-driven evaluation), are accepted there,
and expressions are checked with the grammar amclone's engine runs (Prometheus 3's: ``info()``,
no ``holt_winters``...). Label names stay Alertmanager 0.25's legacy ones in both modes, since
the alerts go into an 0.25-compatible store. With ``extensions=False`` (the default, what
``amctl check rules`` does) the format is exactly Prometheus 2.42's, so promtool and amctl agree.

Templates: Prometheus parses every label and annotation of an alerting rule (never of a recording
rule) as a Go text/template named ``__alert_<alertname>``, after the variable definitions it
prepends when expanding, against its own function map, so a name outside that map is an error
(``function "x" not defined``) and the map's *names* are part of the file format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from amclone.labels.labelset import is_valid_name
from amclone.rules import exprcheck
from amclone.rules.decode import Decoder, Duration, Int, RawNode, Slice, Str, StrMap, Struct
from amclone.rules.yamlv3 import ALIAS, SCALAR, Node, YamlError, read_file
from amclone.rules.yamlv3 import parse as parse_yaml
from amclone.template.gotmpl.builtins import BUILTINS
from amclone.template.gotmpl.parser import TemplateError
from amclone.template.gotmpl.parser import parse as parse_template

EVALUATION_MODES = ("", "interval", "on_write")


@dataclass(frozen=True)
class RuleNode:
    """One rule as written; `record`, `alert` and `expr` keep their nodes for error positions."""

    record: Node | None = None
    alert: Node | None = None
    expr: Node | None = None
    for_: int = 0  # ns
    keep_firing_for: int = 0  # ns
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)

    @property
    def record_name(self) -> str:
        return node_value(self.record)

    @property
    def alert_name(self) -> str:
        return node_value(self.alert)

    @property
    def expr_text(self) -> str:
        return node_value(self.expr)

    @property
    def name(self) -> str:
        """The alert name if set, else the record name (what errors and lint print)."""
        return self.alert_name or self.record_name


@dataclass(frozen=True)
class RuleGroup:
    name: str = ""
    interval: int = 0  # ns; 0 = the global evaluation interval
    limit: int = 0
    rules: tuple[RuleNode, ...] = ()
    query_offset: int | None = None  # extension (Prometheus >= 2.53)
    labels: dict[str, str] = field(default_factory=dict)  # extension (Prometheus 3)
    evaluation: str = ""  # extension (amclone): "" / "interval" or "on_write"


@dataclass(frozen=True)
class RuleGroups:
    groups: tuple[RuleGroup, ...] = ()


def node_value(n: Node | None) -> str:
    """``yaml.Node.Value``: a scalar's text, an alias's anchor name, "" for collections."""
    if n is None or n.kind not in (SCALAR, ALIAS):
        return ""
    return n.value


def _pos(n: Node | None) -> str:
    return f"{n.line}:{n.column}" if n is not None else "0:0"


def _rule(v: dict[str, Any], _n: Node) -> RuleNode:
    return RuleNode(v.get("record"), v.get("alert"), v.get("expr"), v.get("for", 0), v.get("keep_firing_for", 0),
                    v.get("labels", {}), v.get("annotations", {}))


def _group(v: dict[str, Any], _n: Node) -> RuleGroup:
    return RuleGroup(v.get("name", ""), v.get("interval", 0), v.get("limit", 0), tuple(v.get("rules", ())),
                     v.get("query_offset"), v.get("labels", {}), v.get("evaluation", ""))


def _groups(v: dict[str, Any], _n: Node) -> RuleGroups:
    return RuleGroups(tuple(v.get("groups", ())))


_RULE = Struct("rulefmt.RuleNode", {
    "record": RawNode(), "alert": RawNode(), "expr": RawNode(), "for": Duration(),
    "keep_firing_for": Duration(), "labels": StrMap(), "annotations": StrMap()}, _rule)


def _schema(extensions: bool) -> Struct:
    fields = {"name": Str(), "interval": Duration(), "limit": Int(), "rules": Slice(_RULE)}
    if extensions:
        fields.update({"query_offset": Duration(), "labels": StrMap(), "evaluation": Str()})
    return Struct("rulefmt.RuleGroups", {"groups": Slice(Struct("rulefmt.RuleGroup", fields, _group))}, _groups)


_LOOSE = Struct("rulefmt.ruleGroups", {"groups": Slice(RawNode())},
                lambda v, _n: tuple(v.get("groups", ())))


def parse(content: bytes, extensions: bool = False) -> tuple[RuleGroups | None, list[str]]:
    """``rulefmt.Parse``: the groups (None if decoding failed) and the error texts, in order.

    Go parses the text once per pass; the tree is the same, so it is built once here and a
    syntax error is reported for both passes."""
    try:
        root = parse_yaml(content)
    except YamlError as e:
        return None, [str(e), str(e)]
    errs: list[str] = []
    strict: RuleGroups | None = None
    group_nodes: tuple[Node, ...] = ()
    try:
        strict = Decoder(known_fields=True).run(root, _schema(extensions)) or RuleGroups()
    except YamlError as e:
        errs.append(str(e))
    try:
        group_nodes = Decoder(known_fields=False).run(root, _LOOSE) or ()
    except YamlError as e:
        errs.append(str(e))
    if errs or strict is None:
        return None, errs
    return strict, validate(strict, group_nodes, extensions)


def parse_file(path: str, extensions: bool = False) -> tuple[RuleGroups | None, list[str]]:
    """``rulefmt.ParseFile``: every error is prefixed with the path as given."""
    try:
        content = read_file(path)
    except YamlError as e:
        return None, [f"{path}: {e}"]
    groups, errs = parse(content, extensions)
    return groups, [f"{path}: {e}" for e in errs]


def validate(groups: RuleGroups, nodes: tuple[Node, ...], extensions: bool = False) -> list[str]:
    """``RuleGroups.Validate``."""
    errs: list[str] = []
    seen: set[str] = set()
    for j, g in enumerate(groups.groups):
        gpos = _pos(nodes[j] if j < len(nodes) else None)
        if g.name == "":
            errs.append(f"{gpos}: Groupname must not be empty")
        if g.name in seen:
            errs.append(f'{gpos}: groupname: "{g.name}" is repeated in the same file')
        seen.add(g.name)
        if extensions:
            errs.extend(_validate_extensions(g, gpos))
        for i, r in enumerate(g.rules):
            for where, msg in validate_rule(r, prometheus3=extensions):
                prefix = f"{where}: " if where else ""
                errs.append(f"{prefix}group {_q(g.name)}, rule {i + 1}, {_q(r.name)}: {msg}")
    return errs


def _validate_extensions(g: RuleGroup, gpos: str) -> list[str]:
    errs: list[str] = []
    for k, v in g.labels.items():
        errs.extend(_label_errors(k, v))
    if g.evaluation not in EVALUATION_MODES:
        errs.append(f'{gpos}: group {_q(g.name)}: invalid evaluation mode {_q(g.evaluation)}: '
                    'must be "interval" or "on_write"')
    return errs


def _label_errors(k: str, v: str) -> list[str]:
    errs = []
    if not is_valid_name(k) or k == "__name__":
        errs.append(f"invalid label name: {k}")
    if not _valid_utf8(v):
        errs.append(f"invalid label value: {v}")
    return errs


def _valid_utf8(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def validate_rule(r: RuleNode, prometheus3: bool = False) -> list[tuple[str, str]]:
    """``RuleNode.Validate``: (position or "", message) pairs in Prometheus's order."""
    out: list[tuple[str, str]] = []
    record, alert = r.record_name, r.alert_name
    if record and alert:
        out.append((f"{_pos(r.record)}: {_pos(r.alert)}", "only one of 'record' and 'alert' must be set"))
    if not record and not alert:
        out.append((_pos(r.record), "one of 'record' or 'alert' must be set"))
    expr = r.expr_text
    if expr == "":
        out.append((_pos(r.expr), "field 'expr' must be set in rule"))
    else:
        problem = exprcheck.check(expr, prometheus3)
        if problem is not None:
            out.append((_pos(r.expr), f"could not parse expression: {problem}"))
    if record:
        if r.annotations:
            out.append((_pos(r.record), "invalid field 'annotations' in recording rule"))
        if r.for_:
            out.append((_pos(r.record), "invalid field 'for' in recording rule"))
        if r.keep_firing_for:
            out.append((_pos(r.record), "invalid field 'keep_firing_for' in recording rule"))
        if not is_valid_metric_name(record):
            out.append((_pos(r.record), f"invalid recording rule name: {record}"))
    for k, v in r.labels.items():
        out.extend(("", e) for e in _label_errors(k, v))
    for k in r.annotations:
        if not is_valid_name(k):
            out.append(("", f"invalid annotation name: {k}"))
    if alert:
        for kind, items in (("label", r.labels), ("annotation", r.annotations)):
            for k, text in items.items():
                problem = check_template(alert, text)
                if problem is not None:
                    out.append(("", f"{kind} {_q(k)}: {problem}"))
    return out


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


_SENTINEL = "\x00"  # stands for the alert name in cached results; a NUL never occurs in a name here


def check_template(alertname: str, text: str) -> str | None:
    """None if `text` parses, else Go's error (``template: __alert_A:1: unclosed action``).

    Files repeat the same annotation texts across alerts, so results are cached by text with the
    alert name (which only ever appears as the template's name) put back afterwards."""
    if _SENTINEL in alertname or _SENTINEL in text:
        return _parse_template(alertname, text)
    problem = _cached_template(text)
    return None if problem is None else problem.replace("__alert_" + _SENTINEL, "__alert_" + alertname)


@lru_cache(maxsize=8192)
def _cached_template(text: str) -> str | None:
    return _parse_template(_SENTINEL, text)


def _parse_template(alertname: str, text: str) -> str | None:
    try:
        parse_template("__alert_" + alertname, DEFS + text, _known)
    except TemplateError as e:
        return str(e)
    return None


def is_valid_metric_name(name: str) -> bool:
    """``model.IsValidMetricName`` (2.42: the legacy ``[a-zA-Z_:][a-zA-Z0-9_:]*``)."""
    if not name or not (name[0].isascii() and (name[0].isalpha() or name[0] in "_:")):
        return False
    return all(c.isascii() and (c.isalnum() or c in "_:") for c in name)


def _q(s: str) -> str:
    from amclone.compat.goquote import quote

    return quote(s)
