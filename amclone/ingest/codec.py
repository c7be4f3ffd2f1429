"""The HTTP framing of remote write: content type negotiation and snappy block decompression.

Texts and status codes are those of Prometheus 3's receiver (client_golang's remote API
handler): an unknown ``proto=`` message or a compression other than snappy is 415 (so senders
such as vmagent fall back), a body over the limit 413, anything that does not decode 400.
"""

from __future__ import annotations

import cramjam

APP_PROTOBUF = "application/x-protobuf"
V1_MESSAGE = "prometheus.WriteRequest"
V2_MESSAGE = "io.prometheus.write.v2.Request"
MAX_DECODED_SIZE = 32 * 1024 * 1024


class WriteError(Exception):
    """A request refused with ``status`` and Prometheus's message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def parse_content_type(content_type: str, accepted: tuple[str, ...] = (V1_MESSAGE, V2_MESSAGE)) -> str:
    """The protobuf message a request carries (``proto=`` parameter; 1.0 when absent)."""
    content_type = (content_type or APP_PROTOBUF).strip()
    parts = content_type.split(";")
    if parts[0] != APP_PROTOBUF:
        raise WriteError(415, f"expected {APP_PROTOBUF} as the first (media) part, got {content_type} content-type")
    msg = V1_MESSAGE
    for p in parts[1:]:
        pair = p.split("=")
        if len(pair) != 2:
            raise WriteError(415, "as per https://www.rfc-editor.org/rfc/rfc9110#parameter expected parameters "
                                  f"to be key-values, got {p} in {content_type} content-type")
        if pair[0] == "proto":
            msg = pair[1]
            if msg not in (V1_MESSAGE, V2_MESSAGE):
                raise WriteError(415, f"got {content_type} content type; unknown type for remote write protobuf "
                                      f"message {msg}, supported: {V1_MESSAGE}, {V2_MESSAGE}")
            break
    if msg not in accepted:
        raise WriteError(415, f"{msg} protobuf message is not accepted by this server; only accepts "
                              f"{', '.join(accepted)}")
    return msg


def check_encoding(encoding: str) -> None:
    if encoding and encoding != "snappy":
        raise WriteError(415, f"{encoding} encoding (compression) is not accepted by this server; only snappy "
                              "is acceptable")


def decompress(body: bytes, max_decoded: int = MAX_DECODED_SIZE) -> bytes:
    """Snappy block format (not framed), refusing oversized bodies before decompressing."""
    if len(body) > max_decoded:
        raise WriteError(413, f"request body exceeds the {max_decoded} bytes limit")
    try:
        size = cramjam.snappy.decompress_raw_len(body)
    except Exception:  # noqa: BLE001 - cramjam raises its own error types
        raise WriteError(400, "snappy: corrupt input") from None
    if size > max_decoded:
        raise WriteError(400, f"decoded size exceeds the {max_decoded} bytes limit")
    try:
        return bytes(cramjam.snappy.decompress_raw(body))
    except Exception:  # noqa: BLE001
        raise WriteError(400, "snappy: corrupt input") from None


def compress(data: bytes) -> bytes:
    """Snappy block compression, for clients and tests."""
    return bytes(cramjam.snappy.compress_raw(data))
