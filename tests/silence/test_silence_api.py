"""What API v2 shows of silences: the gettableSilence object, its state, the listing order and
the `filter` rule, as 0.25's api/v2 computes them."""

from __future__ import annotations

from dataclasses import replace

from silence_builders import HOUR, MINUTE, T0, m, sil

from amclone.compat import gojson
from amclone.labels.matcher import Matcher, MatchType
from amclone.silence import SilenceState
from amclone.silence.api import api_state, matches_filter, sort_for_api, to_api


def test_the_object_has_go_swaggers_key_order_and_millisecond_times() -> None:
    s = replace(
        sil(
            m("b", "=", "1"),
            m("a", "=~", "x.*"),
            start=T0 + 123_456_789,
            end=T0 + HOUR,
            id="43ac3090-a060-4430-bc3a-97a5af4b7313",
        ),
        updated_at=T0 + 123_999_999,
    )
    # Captured from Alertmanager 0.25 for the same silence (times adjusted).
    assert gojson.dumps(to_api(s, T0 + MINUTE)) == (
        '{"id":"43ac3090-a060-4430-bc3a-97a5af4b7313","status":{"state":"active"},'
        '"updatedAt":"2027-01-15T08:00:00.123Z","comment":"c","createdBy":"me",'
        '"endsAt":"2027-01-15T09:00:00.000Z","matchers":[{"isEqual":true,"isRegex":false,'
        '"name":"b","value":"1"},{"isEqual":true,"isRegex":true,"name":"a","value":"x.*"}],'
        '"startsAt":"2027-01-15T08:00:00.123Z"}'
    )


def test_each_operator_maps_to_its_flags() -> None:
    s = sil(
        m("a", "=", "1"), m("b", "!=", "1"), m("c", "=~", "1"), m("d", "!~", "1"), start=T0, end=T0 + HOUR
    )
    flags = [(x["isEqual"], x["isRegex"]) for x in to_api(s, T0)["matchers"]]  # type: ignore[attr-defined]
    assert flags == [(True, False), (False, False), (True, True), (False, True)]


def test_the_api_calls_a_silence_expired_at_its_end_instant() -> None:
    s = sil(start=T0, end=T0 + HOUR)
    assert api_state(s, T0 + HOUR) is SilenceState.EXPIRED
    assert s.state(T0 + HOUR) is SilenceState.ACTIVE
    assert api_state(s, T0 - 1) is SilenceState.PENDING


def test_listing_order_active_by_end_then_pending_by_start_then_expired_latest_first() -> None:
    now = T0 + 10 * HOUR
    silences = {
        "expired-long-ago": sil(start=T0, end=T0 + HOUR),
        "active-ends-late": sil(start=T0, end=now + 5 * HOUR),
        "pending-starts-late": sil(start=now + 3 * HOUR, end=now + 4 * HOUR),
        "expired-recently": sil(start=T0, end=now - MINUTE),
        "active-ends-soon": sil(start=T0, end=now + MINUTE),
        "pending-starts-soon": sil(start=now + HOUR, end=now + 9 * HOUR),
    }
    listed = sort_for_api([replace(s, id=k) for k, s in silences.items()], now)
    assert [s.id for s in listed] == [
        "active-ends-soon",
        "active-ends-late",
        "pending-starts-soon",
        "pending-starts-late",
        "expired-recently",
        "expired-long-ago",
    ]


def test_a_filter_must_name_a_matcher_of_the_silence_exactly() -> None:
    s = sil(m("alertname", "=~", "X|Y"), m("job", "=", "web"), start=T0, end=T0 + HOUR)
    assert matches_filter(s, [])
    assert matches_filter(s, [Matcher("job", MatchType.EQUAL, "web")])
    assert matches_filter(
        s, [Matcher("alertname", MatchType.REGEX, "X|Y"), Matcher("job", MatchType.EQUAL, "web")]
    )
    assert not matches_filter(s, [Matcher("alertname", MatchType.EQUAL, "X")])
    assert not matches_filter(s, [Matcher("job", MatchType.NOT_EQUAL, "web")])
    assert not matches_filter(
        s, [Matcher("job", MatchType.EQUAL, "web"), Matcher("env", MatchType.EQUAL, "p")]
    )
