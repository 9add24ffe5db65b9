"""Where a ztunnel config dump comes from: a file or stdin, an admin URL, or a ztunnel pod (port-forward)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from meshctl.errors import ExitCode, InputError, MeshctlError, UsageError

ADMIN_PORT = 15000
ZTUNNEL_LABEL = "app=ztunnel"
DEFAULT_NAMESPACE = "istio-system"


class ZtunnelUnreachable(MeshctlError):
    """The ztunnel admin endpoint did not answer, or no ztunnel pod was found."""

    exit_code = ExitCode.FAILURE


@dataclass(frozen=True)
class ZtunnelTarget:
    """What to read: ``file`` (path or ``-``), ``url``, or ``pod`` (a name, or empty: pick one, by node)."""

    kind: str
    value: str = ""
    namespace: str = DEFAULT_NAMESPACE
    node: str = ""


def parse_target(pod: str | None, admin_url: str | None, filename: str | None,
                 namespace: str | None = None, node: str = "") -> ZtunnelTarget:
    """At most one of ``POD[.NS]``, ``--admin-url`` or ``-f``; none: a ztunnel pod of the cluster."""
    given = [x for x in (pod, admin_url, filename) if x]
    if len(given) > 1:
        raise UsageError("give at most one target: a ztunnel POD[.NAMESPACE], --admin-url URL or -f FILE")
    if filename:
        return ZtunnelTarget("file", filename)
    if admin_url:
        url = admin_url if "://" in admin_url else f"http://{admin_url}"
        return ZtunnelTarget("url", url.rstrip("/"))
    name, dot, ns = (pod or "").removeprefix("pod/").partition(".")
    return ZtunnelTarget("pod", name, (ns if dot else namespace) or DEFAULT_NAMESPACE, node)


def fetch(url: str, label: str, timeout: float) -> str:
    """GET ``<url>/config_dump``; ZtunnelUnreachable or InputError with one sentence on failure."""
    import httpx

    try:
        resp = httpx.get(f"{url}/config_dump", timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)))
    except httpx.TimeoutException:
        raise ZtunnelUnreachable(f"the ztunnel admin endpoint at {label} timed out after {timeout:g}s") from None
    except httpx.HTTPError as exc:
        raise ZtunnelUnreachable(f"cannot reach the ztunnel admin endpoint at {label}: "
                                 f"{exc or type(exc).__name__}") from None
    if resp.status_code != 200:
        raise InputError(f"{label}/config_dump answered HTTP {resp.status_code}; is this a ztunnel admin port?")
    return str(resp.text)


def choose_pod(pods: list[dict[str, Any]], node: str) -> dict[str, Any] | None:
    """The ztunnel pod to read: the one on ``node`` (if given), Running first, then by name."""
    if node:
        pods = [p for p in pods if (p.get("spec") or {}).get("nodeName") == node]
    running = [p for p in pods if (p.get("status") or {}).get("phase") == "Running"]
    ordered = sorted(running or pods, key=lambda p: str((p.get("metadata") or {}).get("name", "")))
    return ordered[0] if ordered else None


def read_dump_text(target: ZtunnelTarget, cluster: Any = None, admin_port: int = ADMIN_PORT,
                   timeout: float = 10.0) -> tuple[str, str]:
    """(label, dump text) of the target."""
    if target.kind == "file":
        from meshctl.sources.loading import read_text

        return ("stdin" if target.value == "-" else target.value), read_text(target.value)
    if target.kind == "url":
        return target.value, fetch(target.value, target.value, timeout)
    from meshctl.cluster.client import get_client
    from meshctl.cluster.portforward import port_forward

    client = get_client(cluster)
    name = target.value
    if not name:
        pod = choose_pod(list(client.list("Pod", target.namespace, label_selector=ZTUNNEL_LABEL)), target.node)
        if pod is None:
            where = f" on node {target.node}" if target.node else ""
            raise ZtunnelUnreachable(f"no ztunnel pod ({ZTUNNEL_LABEL}) in namespace {target.namespace}{where}")
        name = str(pod["metadata"]["name"])
    elif client.get("Pod", name, target.namespace) is None:
        raise ZtunnelUnreachable(f"pod {target.namespace}/{name} not found")
    label = f"pod {target.namespace}/{name}"
    with port_forward(client, target.namespace, name, admin_port) as local_port:
        return label, fetch(f"http://127.0.0.1:{local_port}", label, timeout)
