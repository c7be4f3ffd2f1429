"""An alerting rule and its alerts' state machine (Prometheus 3's ``AlertingRule.Eval``).

The rule keeps one `ActiveAlert` per label set (after templating), so identity is the full label
set: a label templated from ``$value`` makes a new alert whenever the value changes, exactly as in
Prometheus. Per evaluation at ``ts`` (ns, the unshifted slot time):

- every result sample becomes a *pending* candidate (``ActiveAt = ts``); a known alert that is not
  inactive keeps its state and only takes the new value and annotations, a resolved one is replaced
  (its ``for`` starts again);
- a known alert missing from the result: pending ones are dropped at once (one gap resets ``for``),
  firing ones keep firing for ``keep_firing_for`` counted from the first miss, otherwise they turn
  inactive with ``ResolvedAt = ts`` and are kept 15 minutes so resolution is re-sent;
- pending turns firing once ``ts - ActiveAt >= for``; (3.11) a firing alert whose ``for`` grew on
  reload goes back to pending;
- ALERTS and ALERTS_FOR_STATE samples are produced only once the rule is *restored* (after the
  start-up restore of ``for`` state), stamped at ``ts - query_offset``;
- more active alerts than the group's ``limit`` discards them all and fails the evaluation.

Templates are Prometheus's expander (`amclone.template.promfuncs`: its function map, data and
error wrapping), but each text is parsed once per rule rather than per alert and evaluation; a
text without ``{{`` is its own expansion, which spares the engine for the common constant label.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from amclone.template.gotmpl.parser import TemplateError
from amclone.template.gotmpl.template import TemplateSet
from amclone.template.gotmpl.values import Func, GoError
from amclone.template.promfuncs import DEFS, QueryFunc, RuleData, funcs
from amclone.tsdb.series import Labels

INACTIVE, PENDING, FIRING = 0, 1, 2
STATE_NAMES = ("inactive", "pending", "firing")
RESOLVED_RETENTION = 15 * 60 * 1_000_000_000
ZERO = 0  # "unset" for the times below (Go's zero time.Time); real times are > 0 here

DUPLICATE_ALERT = "vector contains metrics with the same labelset after applying alert labels"

#: ``(labels, value)`` rows an expression yields at a time in ms
Rows = Sequence[tuple[Labels, float]]
RuleQuery = Callable[[int], Rows]


class RuleEvalError(Exception):
    """An evaluation failed; ``str()`` is Prometheus's text (the rule's ``lastError``)."""


@dataclass(slots=True)
class ActiveAlert:
    """Mutable on purpose: this is the rule's state, updated in place on every evaluation."""

    labels: dict[str, str]
    annotations: dict[str, str]
    state: int
    active_at: int
    value: float
    fired_at: int = ZERO
    resolved_at: int = ZERO
    last_sent_at: int = ZERO
    valid_until: int = ZERO
    keep_firing_since: int = ZERO

    def needs_sending(self, ts: int, resend_delay: int) -> bool:
        """Pending alerts are never sent; a new resolution goes at once; otherwise every resend delay."""
        if self.state == PENDING:
            return False
        if self.resolved_at > self.last_sent_at:
            return True
        return self.last_sent_at + resend_delay < ts


@dataclass(frozen=True, slots=True)
class TemplateContext:
    """What label and annotation templates see besides the sample: the group's settings."""

    external_labels: dict[str, str] = field(default_factory=dict)
    external_url: str = ""
    # runs a template's ``query`` at the (unshifted) evaluation time, given in ms
    query: Callable[[str, int], Rows] | None = None
    # promtool's rules manager has no external URL object: its ``externalURL`` and ``pathPrefix``
    # functions dereference nil (``$externalURL`` still reads the test's string)
    nil_url_funcs: bool = False


def _key(labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(labels.items()))


class AlertingRule:
    """One ``alert:`` rule; `eval` advances its alerts and returns the ALERTS samples to write."""

    kind = "alerting"

    def __init__(self, name: str, expr: str, query: RuleQuery, for_: int = 0, keep_firing_for: int = 0,
                 labels: dict[str, str] | None = None, annotations: dict[str, str] | None = None,
                 templates: TemplateContext | None = None, restored: bool = False) -> None:
        self.name = name
        self.expr = expr
        self.query = query
        self.for_ = for_
        self.keep_firing_for = keep_firing_for
        self.labels = labels or {}
        self.annotations = annotations or {}
        self.templates = templates or TemplateContext()
        self.restored = restored
        self.active: dict[tuple[tuple[str, str], ...], ActiveAlert] = {}
        self.last_error: str = ""
        self.health = "unknown"
        self.last_evaluation = ZERO
        self.evaluation_seconds = 0.0
        self._static_labels = all("{{" not in v for v in self.labels.values())
        self._static_annotations = all("{{" not in v for v in self.annotations.values())
        self._compiled: dict[str, TemplateSet | str] = {}
        self._query_time = 0

    # -- templating ------------------------------------------------------------------------------

    def _expander(self, sample_labels: dict[str, str], value: float, ts: int) -> Callable[[str], str]:
        """Expansion of this sample's templates; each text is parsed once per rule (parsing is
        four fifths of an expansion) and executed with this sample's data and query time."""
        ctx = self.templates
        self._query_time = ts // 1_000_000
        data = RuleData(sample_labels, ctx.external_labels, ctx.external_url, value)
        name = "__alert_" + self.name

        def do(text: str) -> str:
            if "{{" not in text:
                return text
            compiled = self._compiled.get(text)
            if compiled is None:
                compiled = self._compile(name, text)
            if isinstance(compiled, str):
                return compiled
            try:
                return compiled.execute(name, data)
            except TemplateError as e:
                return f"<error expanding template: error executing template {name}: {e}>"
        return do

    def _compile(self, name: str, text: str) -> TemplateSet | str:
        """A template set holding ``text`` (or the error text if it does not parse), with the
        ``query`` function reading at the current evaluation's time."""
        ctx = self.templates
        query_fn: QueryFunc | None = None
        if ctx.query is not None:
            run = ctx.query

            def query_rows(q: str) -> list[tuple[dict[str, str], float]]:
                return [(dict(lbls), v) for lbls, v in run(q, self._query_time)]
            query_fn = query_rows
        fmap = funcs(ctx.external_url, query_fn)
        if ctx.nil_url_funcs:
            fmap["externalURL"] = fmap["pathPrefix"] = Func(_nil_url, ())
        ts = TemplateSet(fmap)
        out: TemplateSet | str = ts
        try:
            ts.parse(name, DEFS + text)
        except TemplateError as e:
            out = f"<error expanding template: error parsing template {name}: {e}>"
        self._compiled[text] = out
        return out

    def _candidate(self, labels: Labels, value: float, ts: int) -> ActiveAlert:
        base = {k: v for k, v in labels if k != "__name__"}
        if self._static_labels and self._static_annotations:
            for k, v in self.labels.items():
                if v:
                    base[k] = v
                else:
                    base.pop(k, None)
            base["alertname"] = self.name
            return ActiveAlert(base, dict(self.annotations), PENDING, ts, value)
        do = self._expander(dict(labels), value, ts)
        for k, v in self.labels.items():
            out = do(v)
            if out:
                base[k] = out
            else:
                base.pop(k, None)
        base["alertname"] = self.name
        annotations = {k: do(v) for k, v in self.annotations.items()}
        return ActiveAlert(base, annotations, PENDING, ts, value)

    # -- evaluation ------------------------------------------------------------------------------

    def eval(self, ts: int, query_offset: int = 0, limit: int = 0) -> list[tuple[Labels, float]]:
        """Advance the alerts to ``ts`` (ns); returns ALERTS/ALERTS_FOR_STATE rows to append at
        ``ts - query_offset``. Raises `RuleEvalError` (the query's error, duplicates, limit)."""
        try:
            rows = self.query((ts - query_offset) // 1_000_000)
        except RuleEvalError:
            raise
        except Exception as e:  # the datasource's own errors (PromQL, HTTP) carry their text
            raise RuleEvalError(str(e)) from None
        fresh: dict[tuple[tuple[str, str], ...], ActiveAlert] = {}
        for labels, value in rows:
            cand = self._candidate(labels, value, ts)
            key = _key(cand.labels)
            if key in fresh:
                raise RuleEvalError(DUPLICATE_ALERT)
            fresh[key] = cand
        active = self.active
        for key, cand in fresh.items():
            have = active.get(key)
            if have is not None and have.state != INACTIVE:
                have.value = cand.value
                have.annotations = cand.annotations
            else:
                active[key] = cand
        out: list[tuple[Labels, float]] = []
        n_active = 0
        for key, a in list(active.items()):
            if key not in fresh:
                keep = False
                if a.state == FIRING and self.keep_firing_for > 0:
                    if a.keep_firing_since == ZERO:
                        a.keep_firing_since = ts
                    keep = ts - a.keep_firing_since < self.keep_firing_for
                if a.state == PENDING or (a.resolved_at != ZERO and ts - a.resolved_at > RESOLVED_RETENTION):
                    del active[key]
                if a.state != INACTIVE and not keep:
                    a.state = INACTIVE
                    a.resolved_at = ts
                if not keep:
                    continue
            else:
                a.keep_firing_since = ZERO
            n_active += 1
            if a.state == PENDING and ts - a.active_at >= self.for_:
                a.state = FIRING
                a.fired_at = ts
            elif a.state == FIRING and ts - a.active_at < self.for_:
                a.state = PENDING
                a.fired_at = a.last_sent_at = a.keep_firing_since = ZERO
            if self.restored:
                out.append((_series("ALERTS", a.labels, STATE_NAMES[a.state]), 1.0))
                out.append((_series("ALERTS_FOR_STATE", a.labels, None), float(a.active_at // 1_000_000_000)))
        if limit > 0 and n_active > limit:
            self.active = {}
            raise RuleEvalError(f"exceeded limit of {limit} with {n_active} alerts")
        return out

    # -- reading ---------------------------------------------------------------------------------

    def state(self) -> int:
        """The rule's state: the highest of its alerts'."""
        return max((a.state for a in self.active.values()), default=INACTIVE)

    def firing(self) -> list[ActiveAlert]:
        return [a for a in self.active.values() if a.state == FIRING]

    def alerts_to_send(self, ts: int, resend_delay: int, interval: int) -> list[ActiveAlert]:
        """``sendAlerts``: marks what goes out now; ``ValidUntil`` allows two missed sends."""
        out = []
        delta = max(resend_delay, interval)
        for a in self.active.values():
            if a.needs_sending(ts, resend_delay):
                a.last_sent_at = ts
                a.valid_until = ts + 4 * delta
                out.append(a)
        return out


def _nil_url() -> str:
    raise GoError("runtime error: invalid memory address or nil pointer dereference")


def _series(name: str, labels: dict[str, str], alertstate: str | None) -> Labels:
    items = dict(labels)
    items["__name__"] = name
    if alertstate is not None:
        items["alertstate"] = alertstate
    return tuple(sorted(items.items()))
