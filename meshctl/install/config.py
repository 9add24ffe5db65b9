"""Profiles, ``-f`` files and ``--set``: merged into one install configuration (IstioOperator-shaped).

Precedence, lowest first: the selected profile (which components it installs, and the chart
``profile`` value it selects), each ``-f`` file in order (an IstioOperator, or a Helm values file
taken as ``spec.values``), each ``--set`` in order, then ``--revision``. ``--set`` paths starting with an
IstioOperator field (``values.``, ``meshConfig.``, ``components.``, ``profile``, ``revision``, ``hub``,
``tag``, ``namespace``) set that field, as istioctl does; any other path is a Helm value
(``--set pilot.autoscaleEnabled=false`` is ``values.pilot.autoscaleEnabled``). The profile is chosen by
``--profile``, else the last ``--set profile=``, else the last file's ``spec.profile``.
:mod:`meshctl.install.plan` turns the result into values for each of Istio's charts.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from meshctl import ISTIO_HUB, ISTIO_VERSION
from meshctl.errors import InputError, UsageError

Tree = dict[str, Any]
API_VERSION = "install.istio.io/v1alpha1"
KIND = "IstioOperator"
_INDEX = re.compile(r"^([^\[\]]+)((?:\[\d+\])*)$")
_STRING_KEYS = {"hub", "tag", "revision", "profile", "name", "namespace"}


#: Which components each profile installs, and the chart ``profile`` value it selects (Istio's
#: IstioOperator profiles: ``default`` and ``minimal`` select no chart profile file).
PROFILES: dict[str, tuple[tuple[str, ...], str | None]] = {
    "default": (("base", "pilot", "istio-ingressgateway"), None),
    "demo": (("base", "pilot", "istio-ingressgateway", "istio-egressgateway"), "demo"),
    "minimal": (("base", "pilot"), None),
    "empty": ((), None),
    "ambient": (("base", "pilot", "cni", "ztunnel"), "ambient"),
    "remote": (("base", "pilot"), "remote"),
    "preview": (("base", "pilot", "istio-ingressgateway"), "preview"),
    "stable": (("base", "pilot", "istio-ingressgateway"), "stable"),
}
SINGLETONS = ("base", "pilot", "cni", "ztunnel")
GATEWAYS = {"ingressGateways": "istio-ingressgateway", "egressGateways": "istio-egressgateway"}
SPEC_KEYS = {"profile", "revision", "hub", "tag", "namespace", "meshConfig", "components", "values",
             "installPackagePath"}


def profile_names() -> tuple[str, ...]:
    """The profiles meshctl installs, sorted."""
    return tuple(sorted(PROFILES))


def _profile_doc(name: str) -> Tree:
    """The IstioOperator document of a profile: its components, and its chart profile as ``values.profile``."""
    if name not in PROFILES:
        raise UsageError(f"unknown profile {name!r}; use one of {', '.join(profile_names())}")
    enabled, chart_profile = PROFILES[name]
    components: Tree = {c: {"enabled": c in enabled} for c in SINGLETONS}
    for key, gateway in GATEWAYS.items():
        components[key] = [{"name": gateway, "enabled": gateway in enabled}]
    spec: Tree = {"components": components, "values": {"profile": chart_profile} if chart_profile else {}}
    return {"apiVersion": API_VERSION, "kind": KIND, "spec": spec}


def parse_scalar(text: str, key: str = "") -> Any:
    """A ``--set`` value typed: true/false, integers and decimals; strings otherwise."""
    if key in _STRING_KEYS:
        return text
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    return text


def _path_parts(path: str) -> list[str | int]:
    """``components.ingressGateways[0].enabled`` -> ["components", "ingressGateways", 0, "enabled"]."""
    parts: list[str | int] = []
    for segment in path.split("."):
        match = _INDEX.match(segment)
        if not match:
            raise UsageError(f"--set: bad path {path!r}")
        parts.append(match.group(1))
        parts.extend(int(i) for i in re.findall(r"\d+", match.group(2)))
    return parts


def set_path(tree: Tree, path: str, value: Any) -> None:
    """Set ``path`` (dots, ``[n]`` list indices) in ``tree``, creating maps on the way."""
    parts = _path_parts(path.removeprefix("spec."))
    node: Any = tree
    for here, nxt in zip(parts, parts[1:], strict=False):
        if isinstance(here, int):
            if not isinstance(node, list) or here >= len(node):
                raise UsageError(f"--set {path}: index {here} is out of range")
            node = node[here]
            continue
        if not isinstance(node, dict):
            raise UsageError(f"--set {path}: {here!r} is not inside a map")
        node = node.setdefault(here, [] if isinstance(nxt, int) else {})
    last = parts[-1]
    if isinstance(last, int):
        if not isinstance(node, list) or last >= len(node):
            raise UsageError(f"--set {path}: index {last} is out of range")
        node[last] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise UsageError(f"--set {path}: {last!r} is not inside a map")


def parse_set(item: str) -> tuple[str, Any]:
    """``path=value`` -> (path, typed value)."""
    path, sep, raw = item.partition("=")
    if not sep or not path.strip():
        raise UsageError(f"--set {item!r}: use path=value")
    path = path.strip()
    return path, parse_scalar(raw, path.rsplit(".", 1)[-1])


def _merge_named(base: list[Any], over: list[Any]) -> list[Any]:
    """Gateways merge by ``name``; other lists are replaced."""
    if not all(isinstance(i, dict) and "name" in i for i in [*base, *over]):
        return copy.deepcopy(over)
    out = [copy.deepcopy(i) for i in base]
    for item in over:
        match = next((o for o in out if o["name"] == item["name"]), None)
        if match is None:
            out.append(copy.deepcopy(item))
        else:
            out[out.index(match)] = merge(match, item)
    return out


def merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> Tree:
    """Deep merge: maps merge, named lists merge by name, everything else is replaced."""
    out: Tree = copy.deepcopy(dict(base))
    for key, value in over.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            out[key] = _merge_named(old, value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def load_overlay(path: str) -> Tree:
    """Read one ``-f`` file (``-`` is stdin): an IstioOperator, or a Helm values file (as ``spec.values``)."""
    from meshctl.sources.loading import read_mapping

    doc = read_mapping(path, "an IstioOperator or Helm values file")  # bounded and guarded
    if doc.get("kind") == KIND:
        return doc
    if "kind" in doc and "apiVersion" in doc:
        raise InputError(f"{path}: a {doc['kind']} is neither an IstioOperator nor a Helm values file")
    return {"apiVersion": API_VERSION, "kind": KIND, "spec": {"values": doc}}


def validate(doc: Mapping[str, Any], source: str) -> None:
    """Raise InputError (exit 65) naming the first field meshctl cannot translate for Helm."""
    spec = doc.get("spec")
    if spec is None:
        return
    if not isinstance(spec, dict):
        raise InputError(f"{source}: spec: expected a mapping")
    unknown = sorted(set(spec) - SPEC_KEYS)
    if unknown:
        raise InputError(f"{source}: spec: unknown field{'s' if len(unknown) > 1 else ''} "
                         f"{', '.join(map(repr, unknown))}")
    for key in ("meshConfig", "values", "components"):
        if spec.get(key) is not None and not isinstance(spec[key], dict):
            raise InputError(f"{source}: spec.{key}: expected a mapping")
    for name, comp in (spec.get("components") or {}).items():
        if name in GATEWAYS:
            if not isinstance(comp, list) or not all(isinstance(g, dict) and g.get("name") for g in comp):
                raise InputError(f"{source}: spec.components.{name}: expected a list of gateways with names")
        elif name in SINGLETONS:
            if comp is not None and not isinstance(comp, dict):
                raise InputError(f"{source}: spec.components.{name}: expected a mapping")
        else:
            raise InputError(f"{source}: spec.components: unknown component {name!r}")


@dataclass(frozen=True)
class InstallConfig:
    """The merged, validated configuration, with the derived names builders need."""

    spec: Tree

    @property
    def untranslated(self) -> list[str]:
        """IstioOperator fields meshctl does not translate into chart values (they have no effect)."""
        out: list[str] = []
        for name, comp in sorted((self.spec.get("components") or {}).items()):
            items = comp if isinstance(comp, list) else [comp]
            allowed = {"name", "enabled", "label"} if name in GATEWAYS else {"enabled"}
            for index, item in enumerate(items):
                where = f"components.{name}[{index}]" if name in GATEWAYS else f"components.{name}"
                out += [f"{where}.{key}" for key in sorted(set(item or {}) - allowed)]
        return out

    @property
    def profile(self) -> str:
        """The selected profile."""
        return str(self.spec.get("profile") or "default")

    @property
    def revision(self) -> str:
        """The revision, empty for the default revision."""
        return str(self.spec.get("revision") or "")

    @property
    def rev_label(self) -> str:
        """The revision as labels spell it: ``default`` when unset."""
        return self.revision or "default"

    @property
    def namespace(self) -> str:
        """The control plane's namespace."""
        return str(self.spec.get("namespace") or self.value("global", "istioNamespace") or "istio-system")

    @property
    def hub(self) -> str:
        """The image registry."""
        return str(self.spec.get("hub") or self.value("global", "hub") or ISTIO_HUB)

    @property
    def tag(self) -> str:
        """The image tag, the pinned Istio release unless overridden."""
        return str(self.spec.get("tag") or self.value("global", "tag") or ISTIO_VERSION)

    def image(self, name: str) -> str:
        """``<hub>/<name>:<tag>``; a name containing ``/`` is used as given."""
        return name if "/" in name else f"{self.hub}/{name}:{self.tag}"

    def value(self, *path: str) -> Any:
        """A ``values`` entry by path, or None."""
        node: Any = self.spec.get("values") or {}
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        return node

    def component(self, name: str) -> Tree:
        """A component's settings (empty when absent)."""
        return dict((self.spec.get("components") or {}).get(name) or {})

    def enabled(self, name: str) -> bool:
        """Whether a singleton component (base, pilot, cni, ztunnel) is enabled."""
        return bool(self.component(name).get("enabled"))

    def gateways(self, kind: str) -> list[Tree]:
        """Enabled gateways of ``ingressGateways`` or ``egressGateways``."""
        items = (self.spec.get("components") or {}).get(kind) or []
        return [dict(g) for g in items if g.get("enabled")]

    @property
    def release(self) -> str:
        """The name meshctl records this install under: ``istio``, or ``istio-<revision>``."""
        return f"istio-{self.revision}" if self.revision else "istio"


def _chosen_profile(profile: str | None, overlays: Sequence[tuple[Tree, str]],
                    sets: Sequence[tuple[str, Any]]) -> tuple[str, str | None]:
    """The profile, and the file that chose it (None: the command line, or the default)."""
    if profile:
        return profile, None
    for path, value in reversed(sets):
        if path.removeprefix("spec.") == "profile":
            return str(value), None
    for doc, where in reversed(overlays):
        spec = doc.get("spec")
        if isinstance(spec, dict) and spec.get("profile"):
            return str(spec["profile"]), where
    return "default", None


def build_config(profile: str | None = None, overlay_files: Sequence[str] = (), sets: Sequence[str] = (),
                 revision: str | None = None, overlays: Sequence[Tree] | None = None) -> InstallConfig:
    """Merge profile, overlays and ``--set`` values; validate each input and the result."""
    sources: list[tuple[Tree, str]] = [(doc, "") for doc in overlays or []]  # (overlay, its file)
    for path in overlay_files:
        doc = load_overlay(path)
        validate(doc, path)
        sources.append((doc, path))
    docs = [doc for doc, _ in sources]
    parsed = [parse_set(s) for s in sets]
    name, chosen_by = _chosen_profile(profile, sources, parsed)
    if chosen_by and name not in PROFILES:  # the file is bad input; a bad --profile or --set is usage
        raise InputError(f"{chosen_by}: unknown profile {name!r} in spec.profile; use one of "
                         f"{', '.join(profile_names())}")
    merged = _profile_doc(name)
    for doc in docs:
        merged = merge(merged, {"spec": doc.get("spec") or {}})
    spec = merged.setdefault("spec", {})
    for path, value in parsed:
        path = path.removeprefix("spec.")
        head = re.split(r"[.\[]", path, maxsplit=1)[0]
        set_path(spec, path if head in SPEC_KEYS else f"values.{path}", value)
    spec["profile"] = name
    if revision is not None:
        spec["revision"] = "" if revision == "default" else revision  # the default revision has no name
    validate(merged, "--set" if parsed else "configuration")
    return InstallConfig(spec=spec)
