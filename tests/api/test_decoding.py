"""Go's JSON decoder and strfmt.DateTime as go-swagger applies them to request bodies."""

from __future__ import annotations

import pytest

from amclone.api import gojsondec
from amclone.api.gotime import DateTimeError, parse_datetime
from amclone.api.swagger import POSTABLE_ALERTS, POSTABLE_SILENCE, is_request_uri, media_type

SYNTAX = [
    ("{", "unexpected EOF"),
    ('[{"a":1,}]', "invalid character '}' looking for beginning of object key string"),
    ('[{"a" 1}]', "invalid character '1' after object key"),
    ('[{"a":1 "b"}]', "invalid character '\"' after object key:value pair"),
    ("[1 2]", "invalid character '2' after array element"),
    ("[tru]", "invalid character ']' in literal true (expecting 'e')"),
    ("[-x]", "invalid character 'x' in numeric literal"),
    ("[1.]", "invalid character ']' after decimal point in numeric literal"),
    ("[1e]", "invalid character ']' in exponent of numeric literal"),
    ('["\\q"]', "invalid character 'q' in string escape code"),
    ('["\\u12x4"]', "invalid character 'x' in \\u hexadecimal character escape"),
    ('["a\x01"]', "invalid character '\\x01' in string literal"),
    ("x", "invalid character 'x' looking for beginning of value"),
]


@pytest.mark.parametrize("body,err", SYNTAX)
def test_syntax_errors(body: str, err: str) -> None:
    with pytest.raises(gojsondec.DecodeError) as e:
        gojsondec.decode(body.encode(), POSTABLE_ALERTS)
    assert str(e.value) == err


def test_only_the_first_value_is_read() -> None:
    assert gojsondec.decode(b'[{"labels":{"a":"b"}}] trailing junk', POSTABLE_ALERTS) == [{"labels": {"a": "b"}}]


def test_empty_body_is_eof() -> None:
    with pytest.raises(gojsondec.BodyEOF):
        gojsondec.decode(b"  \n", POSTABLE_ALERTS)


TYPES = [
    ('{}', POSTABLE_ALERTS, "json: cannot unmarshal object into Go value of type models.PostableAlerts"),
    ('[{"labels":{"a":1}}]', POSTABLE_ALERTS,
     "json: cannot unmarshal number into Go struct field Alert.labels of type string"),
    ('[{"annotations":[]}]', POSTABLE_ALERTS,
     "json: cannot unmarshal array into Go struct field .annotations of type models.LabelSet"),
    ('[{"startsAt":true}]', POSTABLE_ALERTS,
     "json: cannot unmarshal bool into Go struct field .startsAt of type string"),
    ('{"matchers":"x"}', POSTABLE_SILENCE,
     "json: cannot unmarshal string into Go struct field Silence.matchers of type models.Matchers"),
    ('{"matchers":[{"isEqual":1}]}', POSTABLE_SILENCE,
     "json: cannot unmarshal number into Go struct field Matcher.matchers.isEqual of type bool"),
]


@pytest.mark.parametrize("body,t,err", TYPES)
def test_type_errors(body: str, t: gojsondec.GoType, err: str) -> None:
    with pytest.raises(gojsondec.DecodeError) as e:
        gojsondec.decode(body.encode(), t)
    assert str(e.value) == err


def test_field_names_match_case_insensitively() -> None:
    got = gojsondec.decode(b'{"COMMENT":"c","createdby":"me"}', POSTABLE_SILENCE)
    assert got == {"comment": "c", "createdBy": "me"}


def test_lone_surrogate_becomes_replacement_character() -> None:
    assert gojsondec.decode(b'[{"labels":{"a":"\\ud800"}}]', POSTABLE_ALERTS) == [{"labels": {"a": "\ufffd"}}]


@pytest.mark.parametrize("text,ns", [
    ("2020-01-01T00:00:00Z", 1577836800 * 10**9),
    ("2020-01-01T00:00:00.5+01:00", 1577833200 * 10**9 + 5 * 10**8),
    ("2020-01-01T00:00:00.123456-0100", 1577840400 * 10**9 + 123456000),
    ("2020-01-01T00:00:00", 1577836800 * 10**9),
    ("2020-01-01T00:00Z", 1577836800 * 10**9),
    ("2020-01-01 00:00:00", 1577836800 * 10**9),
])
def test_datetime_layouts(text: str, ns: int) -> None:
    assert parse_datetime(text) == ns


@pytest.mark.parametrize("text,err", [
    ("yesterday", 'parsing time "yesterday" as "2006-01-02 15:04:05": cannot parse "yesterday" as "2006"'),
    ("2020-13-01 00:00:00", 'parsing time "2020-13-01 00:00:00": month out of range'),
    ("2021-02-29 00:00:00", 'parsing time "2021-02-29 00:00:00": day out of range'),
    ("2020-01-01 00:00:00x", 'parsing time "2020-01-01 00:00:00x": extra text: "x"'),
    ("2020-01-01T00:00:00+25:00",
     'parsing time "2020-01-01T00:00:00+25:00" as "2006-01-02 15:04:05": cannot parse "T00:00:00+25:00" as " "'),
])
def test_datetime_errors(text: str, err: str) -> None:
    with pytest.raises(DateTimeError) as e:
        parse_datetime(text)
    assert str(e.value) == err


@pytest.mark.parametrize("value,ok", [("http://x/y", True), ("/rel", True), ("*", True), ("::", False),
                                      ("foo", False), ("http://a b/", False), ("x:y", True)])
def test_request_uri(value: str, ok: bool) -> None:
    assert is_request_uri(value) is ok


@pytest.mark.parametrize("value,out", [("application/json; charset=utf-8", "application/json"),
                                       ("Text/Plain", "text/plain"), ("text", "text")])
def test_media_type(value: str, out: str) -> None:
    assert media_type(value) == out


@pytest.mark.parametrize("value,err", [(";;;", "mime: no media type"), ("a/", "mime: expected token after slash"),
                                       ("a b", "mime: expected slash after first token"),
                                       ("a/b c", "mime: unexpected content after media subtype")])
def test_media_type_errors(value: str, err: str) -> None:
    with pytest.raises(ValueError) as e:
        media_type(value)
    assert str(e.value) == err


def test_empty_datetime_is_the_epoch() -> None:
    assert parse_datetime("") == 0
