"""Applies decoded remote-write requests to the head with Prometheus 3's receiver semantics.

1.0: series with invalid labels are skipped silently; the first sample the head refuses (out of
order, duplicate, out of bounds) fails the whole request with 400 and what it wrote is rolled back.
2.0: every problem is collected, the rest is kept, and the answer is 400 with all messages
joined; counts of what was written go back in ``X-Prometheus-Remote-Write-*-Written`` headers.
Native histograms and exemplars are accepted and counted (PromQL does not read them yet);
metadata is kept for ``/api/v1/metadata``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from google.protobuf.message import DecodeError

from amclone.ingest.codec import WriteError
from amclone.proto import prometheus_remote_pb2 as pb1
from amclone.proto import prometheus_remote_v2_pb2 as pb2
from amclone.tsdb.head import Head
from amclone.tsdb.series import AppendError, Labels

MAX_AHEAD_MS = 10 * 60 * 1000
_NAME = "__name__"
_V1_TYPES = {0: "unknown", 1: "counter", 2: "gauge", 3: "histogram", 4: "gaugehistogram", 5: "summary",
             6: "info", 7: "stateset"}


@dataclass
class WriteStats:
    samples: int = 0
    histograms: int = 0
    exemplars: int = 0


def _labels_str(pairs: Sequence[tuple[str, str]]) -> str:
    return "{" + ", ".join(f'{n}="{v}"' for n, v in pairs) + "}"


def _normalize(pairs: list[tuple[str, str]]) -> tuple[Labels | None, str]:
    """Sorted labels without empty values, or None and the reason (no name, empty or duplicate names)."""
    if any(pairs[i][0] >= pairs[i + 1][0] for i in range(len(pairs) - 1)):
        pairs = sorted(pairs)
    names = [n for n, _ in pairs]
    if _NAME not in names or not all(names):
        return None, "invalid"
    for i in range(len(names) - 1):
        if names[i] == names[i + 1]:
            return None, names[i]
    return tuple(p for p in pairs if p[1]), ""


class Receiver:
    """Writes requests into ``head``; ``now_ms`` bounds timestamps in the future (10 minutes)."""

    def __init__(self, head: Head, now_ms: Callable[[], int] | None = None) -> None:
        self.head = head
        self.now_ms = now_ms or (lambda: int(time.time() * 1000))
        self.samples_with_invalid_labels = 0

    def write_v1(self, data: bytes) -> WriteStats:
        req = pb1.WriteRequest()
        try:
            req.ParseFromString(data)
        except DecodeError as exc:
            raise WriteError(400, _decode_text(exc)) from None
        head = self.head
        max_t = self.now_ms() + MAX_AHEAD_MS
        app = head.appender()
        stats = WriteStats()
        try:
            for ts in req.timeseries:
                labels, _ = _normalize([(lb.name, lb.value) for lb in ts.labels])
                if labels is None:
                    self.samples_with_invalid_labels += len(ts.samples)
                    continue
                if ts.samples:
                    series = app.series_for(labels)
                    for s in ts.samples:
                        t = s.timestamp
                        if t > max_t:
                            raise WriteError(400, "out of bounds: timestamp is too far in the future")
                        app.append(series, t, s.value)
                    stats.samples += len(ts.samples)
                stats.histograms += len(ts.histograms)
                stats.exemplars += len(ts.exemplars)
        except AppendError as exc:
            app.rollback()
            raise WriteError(400, str(exc)) from None
        except WriteError:
            app.rollback()
            raise
        app.commit()
        head.histograms_received += stats.histograms
        head.exemplars_received += stats.exemplars
        for md in req.metadata:
            head.set_metadata(md.metric_family_name, _V1_TYPES.get(md.type, "unknown"), md.help, md.unit)
        return stats

    def write_v2(self, data: bytes) -> tuple[WriteStats, str | None]:
        """Returns what was written and, if anything was refused, the joined error text (400)."""
        req = pb2.Request()
        try:
            req.ParseFromString(data)
        except DecodeError as exc:
            raise WriteError(400, _decode_text(exc)) from None
        head = self.head
        symbols = list(req.symbols)
        nsym = len(symbols)
        max_t = self.now_ms() + MAX_AHEAD_MS
        errors: list[str] = []
        stats = WriteStats()
        app = head.appender()
        for ts in req.timeseries:
            refs = list(ts.labels_refs)
            if len(refs) % 2:
                errors.append(f"parsing labels for series {refs}: invalid labelRefs length {len(refs)}")
                self.samples_with_invalid_labels += len(ts.samples) + len(ts.histograms)
                continue
            bad = next(((refs[i], refs[i + 1]) for i in range(0, len(refs), 2)
                        if refs[i] >= nsym or refs[i + 1] >= nsym), None)
            if bad is not None:
                errors.append(f"parsing labels for series {refs}: labelRefs {bad[0]} (name) = {bad[1]} (value) "
                              f"outside of symbols table (size {nsym})")
                self.samples_with_invalid_labels += len(ts.samples) + len(ts.histograms)
                continue
            md = ts.metadata
            if md.unit_ref >= nsym or md.help_ref >= nsym:
                which, ref = ("unit_ref", md.unit_ref) if md.unit_ref >= nsym else ("help_ref", md.help_ref)
                errors.append(f"parsing metadata for series {refs}: metadata {which} {ref} outside of symbols "
                              f"table (size {nsym})")
                continue
            pairs = [(symbols[refs[i]], symbols[refs[i + 1]]) for i in range(0, len(refs), 2)]
            labels, dup = _normalize(pairs)
            if labels is None:
                shown = _labels_str(sorted(pairs))
                if dup == "invalid":
                    errors.append(f"invalid metric name or labels, got {shown}")
                else:
                    errors.append(f"invalid labels for series, labels {shown}, duplicated label {dup}")
                self.samples_with_invalid_labels += len(ts.samples) + len(ts.histograms)
                continue
            if not ts.samples and not ts.histograms:
                errors.append(f"TimeSeries must contain at least one sample or histogram for series "
                              f"{_labels_str(labels)}")
                continue
            series = head.series_for(labels) if ts.samples else None
            for s in ts.samples:
                t = s.timestamp
                try:
                    if t > max_t:
                        raise AppendError("out of bounds: timestamp is too far in the future")
                    assert series is not None
                    app.append(series, t, s.value)
                    stats.samples += 1
                except AppendError as exc:
                    errors.append(f"{exc} for series {_labels_str(labels)}")
            stats.histograms += len(ts.histograms)
            stats.exemplars += len(ts.exemplars)
            if md.type or md.help_ref or md.unit_ref:
                name = dict(labels).get(_NAME, "")
                head.set_metadata(name, _V1_TYPES.get(md.type, "unknown"), symbols[md.help_ref],
                                  symbols[md.unit_ref])
        app.commit()
        head.histograms_received += stats.histograms
        head.exemplars_received += stats.exemplars
        return stats, ("\n".join(errors) if errors else None)


def _decode_text(exc: DecodeError) -> str:
    text = str(exc)
    return text if text else "proto: cannot parse invalid wire-format data"
