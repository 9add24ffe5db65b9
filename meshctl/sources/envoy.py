"""Where a config dump comes from: a file or stdin, an admin URL, or a pod through a port-forward."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from meshctl.errors import ExitCode, InputError, MeshctlError, UsageError
from meshctl.record import Record

DEFAULT_ADMIN_PORT = 15000
SIDECAR = "istio-proxy"
#: What Envoy answers (HTTP 200, text) when a resource in the dump cannot be printed as JSON.
CONVERSION_FAILURE = "Failed to convert protobuf message to JSON string"
#: Envoy's 400 answer to a mask that matches no section.
NO_SUCH_SECTION = "could not be successfully applied to any configs"
#: The ``?mask=`` of each section, in the order Envoy dumps them.
SECTION_MASKS: dict[str, str] = {
    "bootstrap": "bootstrap,last_updated",
    "clusters": "version_info,static_clusters,dynamic_active_clusters,dynamic_warming_clusters",
    "ecds": "ecds_filters",
    "listeners": "version_info,static_listeners,dynamic_listeners",
    "scoped-routes": "inline_scoped_route_configs,dynamic_scoped_route_configs",
    "routes": "static_route_configs,dynamic_route_configs",
    "secrets": "static_secrets,dynamic_active_secrets,dynamic_warming_secrets",
    "endpoints": "static_endpoint_configs,dynamic_endpoint_configs",
}


class EnvoyUnreachable(MeshctlError):
    """The Envoy admin endpoint did not answer."""

    exit_code = ExitCode.FAILURE


class NotEnvoy(MeshctlError):
    """Something answered, but not an Envoy admin endpoint, or the pod has no Envoy."""

    exit_code = ExitCode.FAILURE


class Target(Record):
    """What to read: ``file`` (path or ``-``), ``url``, ``pod`` or ``deploy`` (with namespace)."""

    __slots__ = ("kind", "value", "namespace")

    def __init__(self, kind: str, value: str, namespace: str | None = None) -> None:
        self.kind = kind
        self.value = value
        self.namespace = namespace

    @property
    def live(self) -> bool:
        """True for targets that talk to a running Envoy."""
        return self.kind != "file"


def parse_target(
    name: str | None, admin_url: str | None, filename: str | None, namespace: str | None = None
) -> Target:
    """Exactly one of ``POD[.NS]``/``deploy/NAME[.NS]``, ``--admin-url`` or ``-f``."""
    given = [x for x in (name, admin_url, filename) if x]
    if len(given) != 1:
        raise UsageError(
            "give exactly one target: POD[.NAMESPACE], deploy/NAME[.NAMESPACE], --admin-url URL or -f FILE"
        )
    if filename:
        return Target("file", filename)
    if admin_url:
        url = admin_url if "://" in admin_url else f"http://{admin_url}"
        return Target("url", url.rstrip("/"))
    assert name is not None
    kind = "pod"
    for prefix in ("deploy/", "deployment/", "deployments/"):
        if name.startswith(prefix):
            kind, name = "deploy", name[len(prefix) :]
    if name.startswith("pod/"):
        name = name[4:]
    base, dot, ns = name.partition(".")
    if not base:
        raise UsageError(f"{name!r} is not POD[.NAMESPACE] or deploy/NAME[.NAMESPACE]")
    return Target(kind, base, ns if dot else namespace)


def read_text(filename: str) -> str:
    """A file's text, or stdin for ``-``, through the loading layer's bounds; InputError when unreadable."""
    from meshctl.sources.loading import read_text as bounded_text

    return bounded_text(filename)


class FileReader:
    """A saved config_dump: no live endpoints."""

    def __init__(self, filename: str) -> None:
        self.label = "stdin" if filename == "-" else filename
        self._filename = filename

    def config_dump(self, include_eds: bool = False) -> str:
        """The file's text."""
        return read_text(self._filename)

    def clusters_json(self) -> str | None:
        """None: a file has only the EDS in its dump."""
        return None


class AdminReader:
    """Envoy's admin API over HTTP with short timeouts."""

    what = "the Envoy admin endpoint"

    def __init__(self, base_url: str, timeout: float = 10.0, label: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.label = label or self.base_url
        self.timeout = timeout

    def request(self, path: str, params: dict[str, str] | None = None) -> Any:
        """GET ``path``: the httpx response; EnvoyUnreachable with one clear sentence when none came."""
        import httpx

        url = self.base_url + path
        try:
            return httpx.get(
                url, params=params, timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 5.0))
            )
        except httpx.TimeoutException:
            raise EnvoyUnreachable(f"{self.what} at {self.label} timed out after {self.timeout:g}s") from None
        except httpx.HTTPError as exc:
            raise EnvoyUnreachable(
                f"cannot reach {self.what} at {self.label}: {exc or type(exc).__name__}"
            ) from None

    def text(self, resp: Any, path: str) -> str:
        """The body as UTF-8, whatever charset the response claims (JSON is UTF-8: RFC 8259, section 8.1)."""
        try:
            return bytes(resp.content).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{self.label}{path} answered with a body that is not UTF-8 text ({exc.reason})") from None

    def get(self, path: str, params: dict[str, str] | None = None) -> str:
        """GET ``path``; EnvoyUnreachable or NotEnvoy with one clear sentence on failure."""
        resp = self.request(path, params)
        if resp.status_code != 200:
            raise NotEnvoy(
                f"{self.label}{path} answered HTTP {resp.status_code}; is this an Envoy admin port?"
            )
        return self.text(resp, path)

    def config_dump(self, include_eds: bool = False) -> str:
        """``/config_dump`` (with ``include_eds``): a dump, or Envoy's conversion failure text."""
        text = self.get("/config_dump", {"include_eds": "true"} if include_eds else None)
        if not _looks_like_dump(text) and not unrendered(text):
            raise NotEnvoy(
                f"{self.label} answered /config_dump with something that is not an "
                "Envoy config dump; is this an Envoy admin port?"
            )
        return text

    def section(self, key: str, include_eds: bool = False) -> str | None:
        """``/config_dump?mask=...`` of one section (istioctl's way, a fraction of the full dump): its text,
        Envoy's conversion failure text, or None when Envoy has no such section."""
        params = {"mask": SECTION_MASKS[key]}
        if include_eds or key == "endpoints":
            params["include_eds"] = "true"
        resp = self.request("/config_dump", params)
        text = self.text(resp, "/config_dump")
        if resp.status_code == 400 and NO_SUCH_SECTION in text:
            return None
        if resp.status_code != 200:
            raise NotEnvoy(
                f"{self.label}/config_dump?mask= answered HTTP {resp.status_code}; is this an Envoy admin port?"
            )
        if not _looks_like_dump(text) and not unrendered(text):
            raise NotEnvoy(
                f"{self.label} answered /config_dump with something that is not an "
                "Envoy config dump; is this an Envoy admin port?"
            )
        return text

    def clusters_json(self) -> str | None:
        """``/clusters?format=json`` for live endpoint health."""
        return self.get("/clusters", {"format": "json"})


def unrendered(text: str) -> bool:
    """True for Envoy's answer when it could not print its config as JSON."""
    return not text.lstrip().startswith("{") and CONVERSION_FAILURE in text[:1024]


def _looks_like_dump(text: str) -> bool:
    head = text[:512].lstrip()
    return head.startswith("{") and '"configs"' in head


Reader = FileReader | AdminReader


@contextmanager
def open_target(
    target: Target, cluster: Any = None, admin_port: int = DEFAULT_ADMIN_PORT, timeout: float = 10.0
) -> Iterator[Reader]:
    """A reader for ``target``; pods and deployments are reached through a port-forward."""
    if target.kind == "file":
        yield FileReader(target.value)
        return
    if target.kind == "url":
        yield AdminReader(target.value, timeout)
        return
    from meshctl.cluster.client import get_client
    from meshctl.cluster.portforward import port_forward

    client = get_client(cluster)
    namespace = target.namespace or client.default_namespace
    pod = resolve_pod(client, target, namespace)
    with port_forward(client, namespace, pod, admin_port) as local_port:
        yield AdminReader(f"http://127.0.0.1:{local_port}", timeout, label=f"pod {namespace}/{pod}")


def resolve_pod(client: Any, target: Target, namespace: str) -> str:
    """The pod name of ``target``, checked for an ``istio-proxy`` sidecar."""
    if target.kind == "deploy":
        pod_obj = _deployment_pod(client, target.value, namespace)
    else:
        pod_obj = client.get("Pod", target.value, namespace)
        if pod_obj is None:
            raise NotEnvoy(f"pod {namespace}/{target.value} not found")
    name = str(pod_obj.get("metadata", {}).get("name", target.value))
    if not has_sidecar(pod_obj):
        raise NotEnvoy(f"pod {namespace}/{name} has no {SIDECAR} sidecar, so there is no Envoy to read")
    return name


def has_sidecar(pod: dict[str, Any]) -> bool:
    """True when the pod runs ``istio-proxy`` (a container or a native-sidecar init container)."""
    spec = pod.get("spec", {})
    names = [c.get("name") for c in spec.get("containers", [])]
    names += [c.get("name") for c in spec.get("initContainers", []) if c.get("restartPolicy") == "Always"]
    return SIDECAR in names


def _deployment_pod(client: Any, name: str, namespace: str) -> dict[str, Any]:
    deploy = client.get("Deployment", name, namespace)
    if deploy is None:
        raise NotEnvoy(f"deployment {namespace}/{name} not found")
    labels = deploy.get("spec", {}).get("selector", {}).get("matchLabels", {})
    selector = ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
    pods = client.list("Pod", namespace, label_selector=selector)
    running = [p for p in pods if p.get("status", {}).get("phase") == "Running"]
    chosen = sorted(running or pods, key=lambda p: p.get("metadata", {}).get("name", ""))
    if not chosen:
        raise NotEnvoy(f"deployment {namespace}/{name} has no pods")
    return dict(chosen[0])


class DumpRead(Record):
    """A config dump and the sections Envoy could not render as JSON (left out)."""

    __slots__ = ("dump", "unrendered")

    def __init__(self, dump: Any, unrendered: tuple[str, ...] = ()) -> None:
        self.dump = dump
        self.unrendered = unrendered


def read_dump(
    reader: Reader, keys: tuple[str, ...] | None = None, include_eds: bool = False,
    keep: frozenset[str] | None = None,
) -> DumpRead:
    """The dump of ``keys`` (every section when None) from ``reader``.

    A live Envoy is asked section by section (``?mask=``) for ``keys``; for every section, the full dump
    is asked first and, when Envoy answers that it could not render it, each section alone, so the
    sections that render are kept and the ones that do not are named.
    """
    from meshctl.envoy.dump import from_document, load

    if isinstance(reader, FileReader):
        return DumpRead(load(reader.config_dump(), reader.label, keep))
    if keys is None:
        text = reader.config_dump(include_eds)
        if not unrendered(text):
            return DumpRead(load(text, reader.label, keep))
        keys = tuple(k for k in SECTION_MASKS if include_eds or k != "endpoints")
    configs: list[Any] = []
    failed: list[str] = []
    for key in keys:
        part = reader.section(key, include_eds)
        if part is None:
            continue
        if unrendered(part):
            failed.append(key)
            continue
        configs += _configs_of(part, key, reader.label, keep)
    return DumpRead(from_document({"configs": configs}, reader.label), tuple(failed))


def _configs_of(text: str, key: str, label: str, keep: frozenset[str] | None) -> list[Any]:
    """The ``configs[]`` elements of section ``key`` in one masked answer."""
    from meshctl.envoy.dump import parse_json, section_key
    from meshctl.envoy.fields import field

    doc = parse_json(text, label, keep)
    configs = field(doc, "configs") if isinstance(doc, dict) else None
    if not isinstance(configs, list):
        raise InputError(f"{label} is not an Envoy config dump (it has no 'configs' list)")
    return [c for c in configs if isinstance(c, dict) and section_key(str(c.get("@type", ""))) == key]


def read_endpoint_slices(client: Any, namespaces: list[str]) -> tuple[list[Any], list[Any]]:
    """(EndpointSlices, Services) for ``--compare-k8s``: one namespaced LIST each, else cluster-wide."""
    if not namespaces:
        return [], []
    namespace = namespaces[0] if len(namespaces) == 1 else None
    slices = client.list("EndpointSlice", namespace, label_selector="kubernetes.io/service-name")
    services = client.list("Service", namespace)
    return slices, services


#: istiod's debug endpoints are served on its monitoring port (the container port of this name).
ISTIOD_DEBUG_PORT = 15014
ISTIOD_PORT_NAME = "http-monitoring"
ISTIOD_SELECTOR = "app=istiod"


class IstiodReader(AdminReader):
    """istiod's HTTP debug endpoints (``/debug/syncz``, ``/debug/config_dump?proxyID=``)."""

    what = "istiod's debug endpoint"
    #: istiod's version when known (the tag of its discovery container's image).
    version = ""

    def json(self, path: str, params: dict[str, str] | None = None) -> Any:
        """GET ``path`` as JSON; InputError (65) when the answer is not JSON."""
        from meshctl.sources.loading import json_value

        resp = self.request(path, params)
        if resp.status_code != 200:
            raise InputError(
                f"{self.label}{path} answered HTTP {resp.status_code}: "
                f"{' '.join(self.text(resp, path).split())[:200]}; is this istiod's debug port?"
            )
        return json_value(self.text(resp, path), f"{self.label}{path}")


def istiod_debug_port(pod: dict[str, Any]) -> int:
    """The pod's ``http-monitoring`` container port, else 15014 (as istioctl finds it)."""
    for container in pod.get("spec", {}).get("containers", []) or []:
        for port in container.get("ports", []) or []:
            if port.get("name") == ISTIOD_PORT_NAME and isinstance(port.get("containerPort"), int):
                return int(port["containerPort"])
    return ISTIOD_DEBUG_PORT


def istiod_image_tag(pod: dict[str, Any]) -> str:
    """The tag of the pod's ``discovery`` container image (else its first container's), or ""."""
    containers = pod.get("spec", {}).get("containers", []) or []
    chosen = next((c for c in containers if c.get("name") == "discovery"), containers[0] if containers else {})
    image = str(chosen.get("image", "")).split("@", 1)[0]
    name, _, tag = image.rpartition(":")
    return tag if name and "/" not in tag else ""


@contextmanager
def open_istiods(
    cluster: Any, namespace: str, url: str | None = None, timeout: float = 10.0
) -> Iterator[list[IstiodReader]]:
    """A reader for ``url``, or one per running istiod pod of ``namespace`` through port-forwards."""
    from contextlib import ExitStack

    if url:
        yield [IstiodReader(url if "://" in url else f"http://{url}", timeout)]
        return
    from meshctl.cluster.client import get_client
    from meshctl.cluster.portforward import port_forward

    client = get_client(cluster)
    pods = client.list("Pod", namespace, label_selector=ISTIOD_SELECTOR)
    running = sorted((p for p in pods if p.get("status", {}).get("phase") == "Running"),
                     key=lambda p: str(p.get("metadata", {}).get("name", "")))
    if not running:
        raise MeshctlError(f"no running istiod pod ({ISTIOD_SELECTOR}) in namespace {namespace}")
    with ExitStack() as stack:
        readers = []
        for pod in running:
            name = str(pod["metadata"]["name"])
            local = stack.enter_context(port_forward(client, namespace, name, istiod_debug_port(pod)))
            reader = IstiodReader(f"http://127.0.0.1:{local}", timeout, label=name)
            reader.version = istiod_image_tag(pod)
            readers.append(reader)
        yield readers
