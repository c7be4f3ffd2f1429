"""Applies decoded remote-write requests to the head with Prometheus 3's receiver semantics.

1.0: series with invalid labels are skipped silently; the first sample the head refuses (out of
order, duplicate, out of bounds) fails the whole request with 400 and what it wrote is rolled back.
2.0: every problem is collected, the rest is kept, and the answer is 400 with all messages
joined; counts of what was written go back in ``X-Prometheus-Remote-Write-*-Written`` headers.
Native histograms and exemplars are accepted and counted (PromQL does not read them yet);
metadata is kept for ``/api/v1/metadata``.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import TypeVar

from google.protobuf.message import DecodeError

from amclone.ingest.codec import WriteError
from amclone.proto import prometheus_remote_lite_pb2 as pb_lite
from amclone.proto import prometheus_remote_pb2 as pb1
from amclone.proto import prometheus_remote_v2_pb2 as pb2
from amclone.tsdb.head import Head
from amclone.tsdb.series import AppendError, Labels, MemSeries, OutOfBoundsError

MAX_AHEAD_MS = 10 * 60 * 1000
TOO_FAR_AHEAD = "out of bounds: timestamp is too far in the future"  # a sample past MAX_AHEAD_MS
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


_MISSING = object()
_EMPTY = pb_lite.SeriesPayload()


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    """A protobuf varint at ``pos``: (value, bytes used)."""
    value = shift = used = 0
    while True:
        b = buf[pos + used]
        used += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, used
        shift += 7


_DOUBLE = struct.Struct("<d").unpack_from
_TS_LEN = 6  # bytes of a millisecond timestamp's varint from 2004 to 2112


def _varint_exact(buf: bytes) -> int | None:
    """`buf` as one whole int64 varint (two's complement), or None if it is not exactly that."""
    value = shift = 0
    last = len(buf) - 1
    for i, b in enumerate(buf):
        if (b & 0x80) != (0 if i == last else 0x80):
            return None
        value |= (b & 0x7F) << shift
        shift += 7
    if last < 0 or last > 9:
        return None
    value &= (1 << 64) - 1
    if value >= 1 << 63:
        value -= 1 << 64
    return value


def _one_sample(raw: bytes, pos: int, n: int) -> tuple[int, float] | None:
    """The (timestamp, value) when all that follows the labels is one Sample - the common case,
    read straight from the bytes - else None (then the protobuf runtime decodes the rest)."""
    if pos >= n or raw[pos] != 0x12:
        return None
    end = pos + 2 + raw[pos + 1]
    if raw[pos + 1] & 0x80 or end != n:
        return None
    i = pos + 2
    value = 0.0
    t = 0
    while i < end:
        tag = raw[i]
        if tag == 0x09:
            value = _DOUBLE(raw, i + 1)[0]
            i += 9
        elif tag == 0x10:
            t, used = _varint(raw, i + 1)
            i += 1 + used
        else:
            return None
    if i != end:
        return None
    if t >= 1 << 63:  # int64 on the wire: two's complement
        t -= 1 << 64
    return t, value


def _rollback(head: Head, added: list[tuple[MemSeries, int]], created: list[MemSeries]) -> None:
    """Take back a refused request's samples (and series it created), as Prometheus rolls back."""
    for series, t in reversed(added):
        series.remove(t)
    head.drop_empty(created)


class Receiver:
    """Writes requests into ``head``; ``now_ms`` bounds timestamps in the future (10 minutes)."""

    def __init__(self, head: Head, now_ms: Callable[[], int] | None = None) -> None:
        self.head = head
        self.now_ms = now_ms or (lambda: int(time.time() * 1000))
        # encoded labels of a series -> the head's series (None: labels invalid), see write_v1
        self._known: dict[bytes, MemSeries | None] = {}
        self._known_v2: dict[tuple[str, ...], MemSeries] = {}  # 2.0: label strings -> series
        self._removed_seen = head.series_removed

    def _series_v1(self, raw: bytes, key: bytes) -> MemSeries | None:
        """First sight of a label set in this receiver: decode it fully and validate."""
        ts = pb1.TimeSeries.FromString(raw)
        labels, _ = _normalize([(lb.name, lb.value) for lb in ts.labels])
        series = self.head.series_for(labels) if labels is not None else None
        if key:
            if len(self._known) > 4 * self.head.num_series + 100_000:
                self._known.clear()
            self._known[key] = series
        return series

    def write_v1(self, data: bytes) -> WriteStats:
        with self.head.write_lock:
            return self._write_v1(data)

    def write_v2(self, data: bytes) -> tuple[WriteStats, str | None]:
        """Returns what was written and, if anything was refused, the joined error text (400)."""
        with self.head.write_lock:
            return self._write_v2(data)

    def _write_v1(self, data: bytes) -> WriteStats:
        req = _parse(pb_lite.RawWriteRequest(), data)
        head = self.head
        if head.series_removed != self._removed_seen:  # series may have gone: forget the shortcuts
            self._known.clear()
            self._removed_seen = head.series_removed
        known = self._known
        payload_of = pb_lite.SeriesPayload.FromString
        max_t = self.now_ms() + MAX_AHEAD_MS
        retention_floor = head.max_time - head.retention_ms
        ooo = head.ooo_window_ms
        added: list[tuple[MemSeries, int]] = []
        created: list[MemSeries] = []
        stats = WriteStats()
        new_max = head.max_time
        tcache: dict[bytes, int] = {}  # timestamp varint bytes -> value (a request repeats a few)
        k = _TS_LEN  # the length of the last timestamp varint seen: a request's are mostly alike
        try:
            for raw in req.timeseries:
                n = len(raw)
                # The common shape, read from the tail: a known label prefix, then one sample
                # "0x12 <10+k> 0x09 <f64 value> 0x10 <k-byte varint timestamp>". A prefix is only
                # ever a known key when it was all labels (see below), so a hit proves the shape.
                s = n - 12 - k
                if s > 0 and raw[s] == 0x12 and raw[s + 1] == 10 + k and raw[s + 2] == 0x09 and raw[s + 11] == 0x10:
                    known_series = known.get(raw[:s])  # None too for invalid labels: see below
                    if known_series is not None:
                        tb = raw[s + 12:]
                        t = tcache.get(tb)
                        if t is None:
                            t = _varint_exact(tb)
                            if t is not None:
                                tcache[tb] = t
                        if t is not None:
                            if t > max_t:
                                raise WriteError(400, TOO_FAR_AHEAD)
                            if t < retention_floor:
                                raise OutOfBoundsError()
                            known_series.append(t, _DOUBLE(raw, s + 3)[0], ooo)
                            added.append((known_series, t))
                            if t > new_max:  # noqa: PLR1730 - no call on the per-sample path
                                new_max = t
                            continue
                # Senders write the labels first, each "0x0a <len> <Label>": those bytes are the key.
                pos = 0
                try:
                    while pos < n and raw[pos] == 0x0A:
                        ln = raw[pos + 1]
                        if ln & 0x80:
                            ln, skip = _varint(raw, pos + 1)
                            pos += 1 + skip + ln
                        else:
                            pos += 2 + ln
                    one = _one_sample(raw, pos, n)
                    if one is not None and 0 < n - pos - 12 <= 10:
                        k = n - pos - 12  # this timestamp's varint length, tried first next time
                    payload = _EMPTY if one is not None or pos >= n else payload_of(raw[pos:])
                except (IndexError, DecodeError, struct.error):
                    raise WriteError(400, "proto: cannot parse invalid wire-format data") from None
                if pos == 0 or pos > n or (one is None and payload.late_labels):
                    key = b""  # labels not (only) in front: no shortcut for this series
                    series = _MISSING
                else:
                    key = raw[:pos]
                    series = known.get(key, _MISSING)
                if series is _MISSING:
                    try:
                        series = self._series_v1(raw, key)
                    except DecodeError as exc:
                        raise WriteError(400, _decode_text(exc)) from None
                    if series is not None:
                        created.append(series)
                if one is not None:  # the usual shape: exactly one sample, read without protobuf objects
                    if series is None:
                        self.head.samples_with_invalid_labels += 1
                        continue
                    assert isinstance(series, MemSeries)
                    t, value = one
                    if t > max_t:
                        raise WriteError(400, TOO_FAR_AHEAD)
                    if t < retention_floor:
                        raise OutOfBoundsError()
                    series.append(t, value, ooo)
                    added.append((series, t))
                    if t > new_max:  # noqa: PLR1730 - no call on the per-sample path
                        new_max = t
                    continue
                samples = payload.samples
                if series is None:
                    self.head.samples_with_invalid_labels += len(samples)
                    continue
                assert isinstance(series, MemSeries)
                for smp in samples:
                    t = smp.timestamp
                    if t > max_t:
                        raise WriteError(400, TOO_FAR_AHEAD)
                    if t < retention_floor:
                        raise OutOfBoundsError()
                    series.append(t, smp.value, ooo)
                    added.append((series, t))
                    if t > new_max:  # noqa: PLR1730
                        new_max = t
                if payload.histograms:
                    stats.histograms += len(payload.histograms)
                if payload.exemplars:
                    stats.exemplars += len(payload.exemplars)
        except AppendError as exc:
            _rollback(head, added, created)
            raise WriteError(400, str(exc)) from None
        except WriteError:
            _rollback(head, added, created)
            raise
        stats.samples = len(added)  # one entry per sample written
        head.max_time = max(head.max_time, new_max)
        head.samples_appended += len(added)
        head.histograms_received += stats.histograms
        head.exemplars_received += stats.exemplars
        for raw_md in req.metadata:
            md = pb1.MetricMetadata.FromString(raw_md)
            head.set_metadata(md.metric_family_name, _V1_TYPES.get(md.type, "unknown"), md.help, md.unit)
        return stats

    def _write_v2(self, data: bytes) -> tuple[WriteStats, str | None]:
        req = _parse(pb2.Request(), data)
        head = self.head
        if head.series_removed != self._removed_seen:
            self._known.clear()
            self._known_v2.clear()
            self._removed_seen = head.series_removed
        symbols = list(req.symbols)
        nsym = len(symbols)
        max_t = self.now_ms() + MAX_AHEAD_MS
        errors: list[str] = []
        stats = WriteStats()
        app = head.appender()
        known = self._known_v2
        for ts in req.timeseries:
            refs = ts.labels_refs
            key: tuple[str, ...] | None = None
            series: MemSeries | None = None
            if len(refs) >= 2 and not len(refs) % 2:
                try:  # the label strings themselves, gathered in C: the lookup key of a known series
                    key = itemgetter(*refs)(symbols)
                except IndexError:
                    key = None
                if key is not None:
                    series = known.get(key)
            samples = ts.samples
            if series is None:
                labels = self._v2_labels(ts, list(refs), symbols, errors)
                if labels is None:
                    continue
                if not samples:
                    if not ts.histograms:
                        errors.append("TimeSeries must contain at least one sample or histogram for series "
                                      f"{_labels_str(labels)}")
                    else:
                        stats.histograms += len(ts.histograms)  # accepted and counted, not stored
                    continue
                series = head.series_for(labels)
                if key is not None:
                    if len(known) > 4 * head.num_series + 100_000:
                        known.clear()
                    known[key] = series
            for smp in samples:
                t = smp.timestamp
                try:
                    if t > max_t:
                        raise AppendError(TOO_FAR_AHEAD)
                    app.append(series, t, smp.value)
                    stats.samples += 1
                except AppendError as exc:
                    errors.append(f"{exc} for series {_labels_str(series.labels)}")
            if ts.histograms:
                stats.histograms += len(ts.histograms)
            if ts.exemplars:
                stats.exemplars += len(ts.exemplars)
            if ts.HasField("metadata"):
                md = ts.metadata
                if md.unit_ref >= nsym or md.help_ref >= nsym:
                    which, ref = ("unit_ref", md.unit_ref) if md.unit_ref >= nsym else ("help_ref", md.help_ref)
                    errors.append(f"parsing metadata for series {list(refs)}: metadata {which} {ref} outside of "
                                  f"symbols table (size {nsym})")
                elif md.type or md.help_ref or md.unit_ref:
                    name = series.labels[0][1] if series.labels[0][0] == _NAME else ""
                    head.set_metadata(name, _V1_TYPES.get(md.type, "unknown"), symbols[md.help_ref],
                                      symbols[md.unit_ref])
        app.commit()
        head.histograms_received += stats.histograms
        head.exemplars_received += stats.exemplars
        return stats, ("\n".join(errors) if errors else None)

    def _v2_labels(self, ts: pb2.TimeSeries, refs: list[int], symbols: list[str],
                   errors: list[str]) -> Labels | None:
        """First sight of a 2.0 label set: resolve and validate it (messages as Prometheus's)."""
        nsym = len(symbols)
        refused = len(ts.samples) + len(ts.histograms)
        if len(refs) % 2:
            errors.append(f"parsing labels for series {refs}: invalid labelRefs length {len(refs)}")
            self.head.samples_with_invalid_labels += refused
            return None
        bad = next(((refs[i], refs[i + 1]) for i in range(0, len(refs), 2)
                    if refs[i] >= nsym or refs[i + 1] >= nsym), None)
        if bad is not None:
            errors.append(f"parsing labels for series {refs}: labelRefs {bad[0]} (name) = {bad[1]} (value) "
                          f"outside of symbols table (size {nsym})")
            self.head.samples_with_invalid_labels += refused
            return None
        pairs = [(symbols[refs[i]], symbols[refs[i + 1]]) for i in range(0, len(refs), 2)]
        labels, dup = _normalize(pairs)
        if labels is None:
            shown = _labels_str(sorted(pairs))
            if dup == "invalid":
                errors.append(f"invalid metric name or labels, got {shown}")
            else:
                errors.append(f"invalid labels for series, labels {shown}, duplicated label {dup}")
            self.head.samples_with_invalid_labels += refused
            return None
        return labels


_M = TypeVar("_M", pb_lite.RawWriteRequest, pb2.Request)


def _parse(msg: _M, data: bytes) -> _M:
    try:
        msg.ParseFromString(data)
    except DecodeError as exc:
        raise WriteError(400, _decode_text(exc)) from None
    return msg


def _decode_text(exc: DecodeError) -> str:
    text = str(exc)
    return text if text else "proto: cannot parse invalid wire-format data"
