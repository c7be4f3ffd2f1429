"""Go's net.SplitHostPort, which Alertmanager applies to every address flag; kept free of heavy
imports so the command line can check addresses before the server is loaded."""

from __future__ import annotations


def split_host_port(addr: str) -> tuple[str, str]:
    """Go's net.SplitHostPort, with its error texts."""
    if addr.startswith("["):
        end = addr.find("]")
        if end < 0:
            raise ValueError(f"address {addr}: missing ']' in address")
        host, rest = addr[1:end], addr[end + 1:]
        if not rest.startswith(":"):
            raise ValueError(f"address {addr}: missing port in address")
        return host, rest[1:]
    i = addr.rfind(":")
    if i < 0:
        raise ValueError(f"address {addr}: missing port in address")
    host, port = addr[:i], addr[i + 1:]
    if ":" in host:
        raise ValueError(f"address {addr}: too many colons in address")
    return host, port
