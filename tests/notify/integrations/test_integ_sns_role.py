"""SNS with ``sigv4.role_arn``: a local server plays STS (``AWS_ENDPOINT_URL_STS``) and SNS. The
AssumeRole request is the SDK's form, signed for sts with the block's keys; Publish is then signed
with the temporary keys and carries their session token; the keys are reused until they expire;
an STS refusal is the notification's failure and nothing is published."""

from __future__ import annotations

import calendar
import time
import urllib.parse

import pytest
from integ_fixtures import alerts, ctx, notifiers
from integ_server import Req, serve

from amclone.notify.integrations import sigv4, sts

ROLE = "arn:aws:iam::123456789012:role/am"
YAML = ("  sns_configs: [{{api_url: '{url}/sns', topic_arn: 'arn:aws:sns:eu-west-1:1:t',"
        " sigv4: {{region: eu-west-1, access_key: AK, secret_key: SK, role_arn: '{role}'}}}}]\n")


def sts_answer(expiration: str) -> bytes:
    return (f'<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>'
            f"<Credentials><AccessKeyId>ASIATEMP</AccessKeyId><SecretAccessKey>TEMPSECRET</SecretAccessKey>"
            f"<SessionToken>TOKEN/+=</SessionToken><Expiration>{expiration}</Expiration></Credentials>"
            f"<AssumedRoleUser><Arn>{ROLE}/s</Arn></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>").encode()


def verify(r: Req, creds: sigv4.Credentials, service: str) -> None:
    """The signature verifies over what arrived, with `creds`, for `service` in eu-west-1."""
    now = calendar.timegm(time.strptime(r.headers["x-amz-date"], "%Y%m%dT%H%M%SZ"))
    signed = {"Content-Length": r.headers["content-length"], "Content-Type": r.headers["content-type"]}
    want = sigv4.sign(r.method, "http://" + r.headers["host"] + r.path, signed, r.body, creds, "eu-west-1",
                      service, now)
    assert r.headers["authorization"] == want["Authorization"]
    assert f"Credential={creds.access_key}/" in r.headers["authorization"]
    assert f"/eu-west-1/{service}/aws4_request," in r.headers["authorization"]


async def test_assume_role_then_publish_with_temporary_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    def answer(method: str, path: str) -> tuple[int, str, bytes]:
        if path.startswith("/sts"):
            return 200, "text/xml", sts_answer("2099-01-01T00:00:00Z")
        return 200, "text/xml", b"<PublishResponse><PublishResult><MessageId>m</MessageId></PublishResult></PublishResponse>"

    async with serve(answer) as (url, seen):
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", url + "/sts")
        (n,) = notifiers(YAML.format(url=url, role=ROLE), extended=False)
        assert await n.notify(ctx(), alerts()) == (False, None)
        assert await n.notify(ctx(), alerts()) == (False, None)
    assert [r.path for r in seen] == ["/sts/", "/sns/", "/sns/"]  # the role's keys are cached
    role = seen[0]
    form = dict(urllib.parse.parse_qsl(role.body.decode()))
    assert role.method == "POST" and form.pop("RoleSessionName").isdigit()
    assert form == {"Action": "AssumeRole", "DurationSeconds": "900", "RoleArn": ROLE, "Version": "2011-06-15"}
    assert role.headers["content-type"] == "application/x-www-form-urlencoded; charset=utf-8"
    assert "x-amz-security-token" not in role.headers
    verify(role, sigv4.Credentials("AK", "SK"), "sts")
    temp = sigv4.Credentials("ASIATEMP", "TEMPSECRET", "TOKEN/+=")
    for pub in seen[1:]:
        assert pub.headers["x-amz-security-token"] == "TOKEN/+="
        assert "x-amz-security-token" in pub.headers["authorization"]
        verify(pub, temp, "sns")
        assert "Action=Publish" in pub.body.decode()


async def test_expired_keys_are_asked_for_again(monkeypatch: pytest.MonkeyPatch) -> None:
    def answer(method: str, path: str) -> tuple[int, str, bytes]:
        return 200, "text/xml", sts_answer("2001-01-01T00:00:00Z") if path.startswith("/sts") else b"<ok/>"

    async with serve(answer) as (url, seen):
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", url + "/sts")
        (n,) = notifiers(YAML.format(url=url, role=ROLE), extended=False)
        assert await n.notify(ctx(), alerts()) == (False, None)
        assert await n.notify(ctx(), alerts()) == (False, None)
    assert [r.path for r in seen] == ["/sts/", "/sns/", "/sts/", "/sns/"]


async def test_sts_refusal_fails_the_notification(monkeypatch: pytest.MonkeyPatch) -> None:
    refusal = (b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to "
               b"perform sts:AssumeRole</Message></Error></ErrorResponse>")
    async with serve(lambda m, p: (403, "text/xml", refusal)) as (url, seen):
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", url + "/sts")
        (n,) = notifiers(YAML.format(url=url, role=ROLE), extended=False)
        retry, err = await n.notify(ctx(), alerts())
    assert not retry and str(err) == "unexpected status code 403: not authorized to perform sts:AssumeRole"
    assert [r.path for r in seen] == ["/sts/"]


def test_default_endpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL_STS", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_STS_REGIONAL_ENDPOINTS", raising=False)
    assert sts.endpoint("eu-west-1") == ("https://sts.amazonaws.com/", "us-east-1")  # the SDK's legacy global
    assert sts.endpoint("af-south-1") == ("https://sts.af-south-1.amazonaws.com/", "af-south-1")
    monkeypatch.setenv("AWS_STS_REGIONAL_ENDPOINTS", "regional")
    assert sts.endpoint("eu-west-1") == ("https://sts.eu-west-1.amazonaws.com/", "eu-west-1")
