"""Host names as Istio matches them: ``*`` alone, or a leading ``*`` wildcard (``*.example.com``)."""

from __future__ import annotations


def is_wildcard(host: str) -> bool:
    """Whether a host name starts with ``*``."""
    return host.startswith("*")


def hosts_overlap(a: str, b: str) -> bool:
    """Whether some name is matched by both ``a`` and ``b`` (either may be a wildcard)."""
    a_wild, b_wild = is_wildcard(a), is_wildcard(b)
    if a_wild and b_wild:
        shorter, longer = (a, b) if len(a) < len(b) else (b, a)
        return longer[1:].endswith(shorter[1:])
    if a_wild:
        return b.endswith(a[1:])
    if b_wild:
        return a.endswith(b[1:])
    return a == b
