"""Amazon SNS ``Publish`` (0.25 ``notify/sns``, which uses aws-sdk-go v1), signed by `sigv4`.

The body is the SDK's query-protocol form (sorted keys, ``MessageAttributes.entry.N`` in key
order, ``Version=2010-03-31``) posted to ``<api_url>/`` or the regional endpoint. FIFO topics
get the group key hash as MessageGroupId and MessageDeduplicationId. Messages are cut to
256 KiB (1600 bytes for SMS) and flagged with a ``truncated`` attribute; non-UTF-8 messages fail.

Retries happen at two levels, as in 0.25: the SDK's own (up to 3 more tries for 5xx other than
501, throttling and transport errors, after 2^n x [30, 60) ms, or [500, 1000) ms when
throttled), then Alertmanager's retrier on the final status. With ``sigv4.role_arn`` each try signs with
the role's temporary credentials from STS AssumeRole (`sts`); an STS refusal counts as that
try's answer, as the SDK reports a failed credential refresh for the Publish.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Sequence

from amclone.alerts import Alert
from amclone.notify.http import HttpResult
from amclone.notify.integrations import sigv4, sts
from amclone.notify.integrations.base import HttpNotifier
from amclone.notify.integrations.common import (
    NotifyFailure,
    Rendered,
    TransportError,
    check,
    key_hash,
    query_encode,
    secret,
    send,
)
from amclone.notify.reason import CLIENT_ERROR
from amclone.notify.stage import NotifyContext

CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"
SDK_USER_AGENT = "aws-sdk-go/1.44.133 (go1.19.8; linux; amd64)"
SDK_MAX_RETRIES = 3
THROTTLE_CODES = frozenset({"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
                            "TooManyRequestsException", "ProvisionedThroughputExceededException",
                            "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
                            "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
                            "EC2ThrottledException"})
THROTTLE_STATUSES = frozenset({429, 502, 503, 509})


def _xml(tag: str, body: bytes) -> str:
    m = re.search(rf"<{tag}>(.*?)</{tag}>".encode(), body, re.DOTALL)
    return m.group(1).decode("utf-8", "replace") if m else ""


class SNSNotifier(HttpNotifier):
    name = "sns"
    _role: sts.AssumeRole | None = None

    def _region(self) -> str:
        return self.conf.sigv4.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", "")

    def requests(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> list[Rendered]:
        c = self.conf
        t = self.templater(ctx, alerts)
        region = self._region()
        endpoint = t.text(c.api_url)
        if not region:
            raise NotifyFailure("region not configured in sns.sigv4.region or in default credentials chain",
                                retry=True)
        params: list[tuple[str, str]] = [("Action", "Publish"), ("Version", "2010-03-31")]
        attrs = {t.text(k): t.text(v) for k, v in (c.attributes or {}).items()}
        limit = 256 * 1024
        if c.topic_arn:
            topic = t.text(c.topic_arn)
            params.append(("TopicArn", topic))
            if topic.endswith(".fifo"):
                h = key_hash(ctx.group_key)
                params += [("MessageDeduplicationId", h), ("MessageGroupId", h)]
        if c.phone_number:
            params.append(("PhoneNumber", t.text(c.phone_number)))
            limit = 1600
        if c.target_arn:
            params.append(("TargetArn", t.text(c.target_arn)))
        message = t.text(c.message)
        raw = message.encode("utf-8", "surrogateescape")
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            raise NotifyFailure("non utf8 encoded message string", retry=True) from None
        if len(raw) > limit:
            # 0.25 copies the first `limit` bytes, even through a rune
            message = raw[:limit].decode("utf-8", "surrogateescape")
            attrs["truncated"] = "true"
            self.truncated("message", level=None)  # 0.25 only sets the attribute
        params.append(("Message", message))
        for i, k in enumerate(sorted(attrs), 1):
            pre = f"MessageAttributes.entry.{i}"
            params += [(f"{pre}.Name", k), (f"{pre}.Value.DataType", "String"),
                       (f"{pre}.Value.StringValue", attrs[k])]
        if c.subject:
            params.append(("Subject", t.text(c.subject)))
        if t.error is not None:
            raise NotifyFailure(str(t.error), retry=True, reason=CLIENT_ERROR)
        url = (endpoint.rstrip("/") if endpoint else f"https://sns.{region}.amazonaws.com") + "/"
        body = query_encode(params).encode("utf-8", "surrogateescape")
        return [Rendered("POST", url, body, CONTENT_TYPE, {"User-Agent": SDK_USER_AGENT})]

    async def _signed(self, req: Rendered) -> Rendered | HttpResult:
        """The request signed for this try, or STS's refusal of the role."""
        c = self.conf
        creds = sigv4.resolve_credentials(c.sigv4.access_key, secret(c.sigv4.secret_key), c.sigv4.profile)
        if creds is None:
            raise NotifyFailure("NoCredentialProviders: no valid providers in chain. Deprecated.\n"
                                "\tFor verbose messaging see aws.Config.CredentialsChainVerboseErrors", retry=True)
        if c.sigv4.role_arn:
            if self._role is None:
                self._role = sts.AssumeRole(self.client, c.sigv4.role_arn, self._region(), SDK_USER_AGENT, self.clock)
            got = await self._role.credentials(creds)
            if isinstance(got, HttpResult):
                return got
            creds = got
        extra = sigv4.sign(req.method, req.url, {"Content-Length": str(len(req.body)),
                                                 "Content-Type": CONTENT_TYPE}, req.body, creds, self._region(),
                           "sns")
        return Rendered(req.method, req.url, req.body, req.content_type, {**(req.headers or {}), **extra})

    async def notify(self, ctx: NotifyContext, alerts: Sequence[Alert]) -> tuple[bool, Exception | None]:
        try:
            req = self.requests(ctx, alerts)[0]
        except NotifyFailure as e:
            return e.retry, e
        for n in range(SDK_MAX_RETRIES + 1):
            throttled = False
            try:
                signed = await self._signed(req)  # re-signed per try, as the SDK does
                resp: HttpResult | None = signed if isinstance(signed, HttpResult) else await send(self.client, signed)
                err: Exception | None = None
            except NotifyFailure as e:
                return e.retry, e
            except TransportError as e:
                resp, err = None, e
            if resp is not None:
                if resp.status // 100 == 2:
                    return False, None
                code = _xml("Code", resp.body)
                throttled = resp.status in THROTTLE_STATUSES or code in THROTTLE_CODES
                retryable = throttled or (resp.status >= 500 and resp.status != 501)
                if not retryable or n == SDK_MAX_RETRIES:
                    return check(resp.status, _xml("Message", resp.body).encode())
            elif n == SDK_MAX_RETRIES:
                return True, err
            base = 0.5 if throttled else 0.03
            await self.clock.sleep((1 << n) * (base + random.random() * base))
        return True, NotifyFailure("unreachable", retry=True)
