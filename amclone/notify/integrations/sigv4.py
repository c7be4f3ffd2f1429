"""AWS Signature Version 4 for the SNS query API, written from AWS's published algorithm (no
SDK): the canonical request over method, path, query, the signed headers and the body hash,
then the HMAC chain date -> region -> service -> ``aws4_request``.

Credentials come from the sigv4 block, else the environment (``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``), else the shared credentials file
(``AWS_SHARED_CREDENTIALS_FILE`` or ``~/.aws/credentials``, profile ``AWS_PROFILE`` or the
block's ``profile``): aws-sdk-go's default chain without the instance-metadata providers.
"""

from __future__ import annotations

import configparser
import hashlib
import hmac
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

__all__ = ["Credentials", "resolve_credentials", "sign"]


@dataclass(frozen=True)
class Credentials:
    access_key: str
    secret_key: str
    session_token: str = ""


def resolve_credentials(access_key: str, secret_key: str, profile: str) -> Credentials | None:
    if access_key and secret_key:
        return Credentials(access_key, secret_key)
    env_id = os.environ.get("AWS_ACCESS_KEY_ID") or os.environ.get("AWS_ACCESS_KEY", "")
    env_secret = os.environ.get("AWS_SECRET_ACCESS_KEY") or os.environ.get("AWS_SECRET_KEY", "")
    if env_id and env_secret:
        return Credentials(env_id, env_secret, os.environ.get("AWS_SESSION_TOKEN", ""))
    path = os.environ.get("AWS_SHARED_CREDENTIALS_FILE") or os.path.expanduser("~/.aws/credentials")
    name = profile or os.environ.get("AWS_PROFILE") or "default"
    cp = configparser.ConfigParser()
    try:
        cp.read(path)
    except configparser.Error:
        return None
    if cp.has_section(name):
        sec = cp[name]
        if sec.get("aws_access_key_id") and sec.get("aws_secret_access_key"):
            return Credentials(sec["aws_access_key_id"], sec["aws_secret_access_key"],
                               sec.get("aws_session_token", ""))
    return None


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def _canonical_query(query: str) -> str:
    pairs = []
    for part in query.split("&") if query else []:
        k, _, v = part.partition("=")
        pairs.append((quote(k, safe="-_.~"), quote(v, safe="-_.~")))
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


def sign(method: str, url: str, headers: Mapping[str, str], body: bytes, creds: Credentials, region: str,
         service: str, now: float | None = None) -> dict[str, str]:
    """The headers to add (X-Amz-Date, Authorization and, with a session, X-Amz-Security-Token).
    `headers` are those sent besides Host, which is derived from `url`."""
    t = time.gmtime(now if now is not None else time.time())
    amz_date = time.strftime("%Y%m%dT%H%M%SZ", t)
    day = amz_date[:8]
    u = urlsplit(url)
    signed = {k.lower(): " ".join(v.split()) for k, v in headers.items()}
    signed["host"] = u.netloc.rsplit("@", 1)[-1]
    signed["x-amz-date"] = amz_date
    if creds.session_token:
        signed["x-amz-security-token"] = creds.session_token
    names = sorted(signed)
    canonical = "\n".join([
        method,
        quote(u.path or "/", safe="/-_.~"),
        _canonical_query(u.query),
        "".join(f"{n}:{signed[n]}\n" for n in names),
        ";".join(names),
        hashlib.sha256(body).hexdigest(),
    ])
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(_hmac(("AWS4" + creds.secret_key).encode(), day), region), service), "aws4_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    out = {"X-Amz-Date": amz_date,
           "Authorization": f"AWS4-HMAC-SHA256 Credential={creds.access_key}/{scope}, "
                            f"SignedHeaders={';'.join(names)}, Signature={signature}"}
    if creds.session_token:
        out["X-Amz-Security-Token"] = creds.session_token
    return out
