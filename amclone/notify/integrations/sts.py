"""STS ``AssumeRole`` for SNS's ``sigv4.role_arn``, as 0.25's aws-sdk-go v1 ``stscreds`` does it:
a SigV4-signed query-protocol POST (``Action=AssumeRole``, ``DurationSeconds=900``, a session
name of the current Unix nanoseconds, ``Version=2011-06-15``) made with the sigv4 block's own
credentials, whose temporary credentials (with their session token) then sign ``Publish``.
They are cached until the ``Expiration`` STS gives (the SDK's expiry window is zero).

Endpoint: the SDK's legacy resolution, ``https://sts.amazonaws.com`` signed for us-east-1 for the
regions that had it, else ``https://sts.<region>.amazonaws.com``; ``AWS_STS_REGIONAL_ENDPOINTS=regional``
picks the regional one everywhere. ``AWS_ENDPOINT_URL_STS`` (then ``AWS_ENDPOINT_URL``), the
variables newer AWS SDKs read, point it elsewhere (a private endpoint, or a test server).
"""

from __future__ import annotations

import os
import re
from datetime import datetime

from amclone.notify.http import HttpClient, HttpResult
from amclone.notify.integrations import sigv4
from amclone.notify.integrations.common import Rendered, query_encode, send
from amclone.timeutil import NS_PER_SECOND, Clock

__all__ = ["AssumeRole", "endpoint"]

CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"
DURATION_SECONDS = 900
# aws-sdk-go v1's legacy global STS endpoint covered these regions.
LEGACY_GLOBAL = frozenset({
    "ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global", "ca-central-1",
    "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-east-2",
    "us-west-1", "us-west-2",
})


def endpoint(region: str) -> tuple[str, str]:
    """(URL, signing region) of the STS endpoint for `region`."""
    override = os.environ.get("AWS_ENDPOINT_URL_STS") or os.environ.get("AWS_ENDPOINT_URL")
    if override:
        return override.rstrip("/") + "/", region
    if os.environ.get("AWS_STS_REGIONAL_ENDPOINTS", "").lower() != "regional" and region in LEGACY_GLOBAL:
        return "https://sts.amazonaws.com/", "us-east-1"
    return f"https://sts.{region}.amazonaws.com/", region


def _xml(tag: str, body: bytes) -> str:
    m = re.search(rf"<{tag}>(.*?)</{tag}>".encode(), body, re.DOTALL)
    return m.group(1).decode("utf-8", "replace").strip() if m else ""


class AssumeRole:
    """One receiver's assumed role: `credentials` returns the cached temporary credentials or
    asks STS; an STS error answer is returned as is for the caller's retry rules."""

    def __init__(self, client: HttpClient, role_arn: str, region: str, user_agent: str, clock: Clock) -> None:
        self.client = client
        self.role_arn = role_arn
        self.region = region
        self.user_agent = user_agent
        self.clock = clock
        self._cached: tuple[sigv4.Credentials, int] | None = None

    def request(self, base: sigv4.Credentials) -> Rendered:
        url, signing_region = endpoint(self.region)
        body = query_encode([
            ("Action", "AssumeRole"), ("DurationSeconds", str(DURATION_SECONDS)), ("RoleArn", self.role_arn),
            ("RoleSessionName", str(self.clock.now())), ("Version", "2011-06-15"),
        ]).encode()
        signed = sigv4.sign("POST", url, {"Content-Length": str(len(body)), "Content-Type": CONTENT_TYPE}, body,
                            base, signing_region, "sts", now=self.clock.now() / NS_PER_SECOND)
        return Rendered("POST", url, body, CONTENT_TYPE, {"User-Agent": self.user_agent, **signed})

    async def credentials(self, base: sigv4.Credentials) -> sigv4.Credentials | HttpResult:
        """Raises common.TransportError when STS gave no answer."""
        if self._cached is not None and self.clock.now() < self._cached[1]:
            return self._cached[0]
        resp = await send(self.client, self.request(base))
        if resp.status // 100 != 2:
            return resp
        creds = sigv4.Credentials(_xml("AccessKeyId", resp.body), _xml("SecretAccessKey", resp.body),
                                  _xml("SessionToken", resp.body))
        try:
            expires = int(datetime.fromisoformat(_xml("Expiration", resp.body)).timestamp() * NS_PER_SECOND)
        except ValueError:
            expires = 0  # unreadable: use once, ask again next time
        if not creds.access_key or not creds.secret_key:
            return HttpResult(500, b"<Error><Code>InvalidResponse</Code>"
                                   b"<Message>STS answer without credentials</Message></Error>")
        self._cached = (creds, expires)
        return creds
