"""istio-iptables: the istio-init arguments and the nat rules they install.

One ``CaptureConfig`` produces both the argument list kube-inject writes into
``istio-init`` and the rules preview, so the two cannot disagree. ``from_args``
reads the arguments back from an injected pod.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from meshctl.errors import InputError
from meshctl.inject import annotations as a
from meshctl.inject.values import InjectionValues

TUNNEL_PORT = "15008"
BUILTIN_CHAINS = ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING")
ISTIO_CHAINS = ("ISTIO_INBOUND", "ISTIO_REDIRECT", "ISTIO_IN_REDIRECT", "ISTIO_OUTPUT")
_FLAGS = {"-p": "outbound_port", "-z": "inbound_port", "-u": "proxy_uid", "-g": "proxy_gid",
          "-m": "mode", "-i": "include_ip_ranges", "-x": "exclude_ip_ranges",
          "-b": "include_inbound_ports", "-d": "exclude_inbound_ports",
          "-o": "exclude_outbound_ports", "-q": "include_outbound_ports", "-k": "kubevirt_interfaces",
          "-c": "exclude_interfaces"}
EXCLUDE_INTERFACES = "traffic.sidecar.istio.io/excludeInterfaces"
REROUTE_INTERFACES = "istio.io/reroute-virtual-interfaces"


@dataclass(frozen=True)
class CaptureConfig:
    """The istio-iptables settings for one pod."""

    outbound_port: str = "15001"
    inbound_port: str = "15006"
    proxy_uid: str = "1337"
    proxy_gid: str = ""
    mode: str = "REDIRECT"
    include_ip_ranges: str = "*"
    exclude_ip_ranges: str = ""
    include_inbound_ports: str = "*"
    exclude_inbound_ports: str = "15090,15021,15020"
    exclude_outbound_ports: str | None = None
    include_outbound_ports: str | None = None
    kubevirt_interfaces: str | None = None
    exclude_interfaces: str | None = None
    log_output_level: str = "default:info"
    user_excluded_inbound: str = ""

    def to_args(self) -> list[str]:
        """The istio-init container's ``args``, in Istio's order."""
        args = ["istio-iptables", "-p", self.outbound_port, "-z", self.inbound_port, "-u", self.proxy_uid,
                "-m", self.mode, "-i", self.include_ip_ranges, "-x", self.exclude_ip_ranges,
                "-b", self.include_inbound_ports, "-d", self.exclude_inbound_ports]
        for flag, value in (("-o", self.exclude_outbound_ports), ("-q", self.include_outbound_ports),
                            ("-k", self.kubevirt_interfaces), ("-c", self.exclude_interfaces)):
            if value is not None:
                args += [flag, value]
        return [*args, f"--log_output_level={self.log_output_level}"]

    @property
    def gid(self) -> str:
        """The proxy group id (the uid unless ``-g`` says otherwise)."""
        return self.proxy_gid or self.proxy_uid


def user_excluded(status_port: str, user_ports: str) -> str:
    """The user's excluded inbound ports, then the status port once (unless 0)."""
    ports = split(user_ports)
    if status_port and status_port != "0" and status_port not in ports:
        ports.append(status_port)
    return ",".join(ports)


def excluded_inbound(status_port: str, user_ports: str) -> str:
    """``-d``: Envoy's 15090 and 15021, the user's ports, then the status port once."""
    return ",".join(["15090", "15021", *split(user_excluded(status_port, user_ports))])


def for_pod(annotations: Mapping[str, str], values: InjectionValues,
            interception_mode: str = "REDIRECT", proxy_uid: str = "1337",
            status: int | None = None) -> CaptureConfig:
    """The capture settings for a pod: its annotations over the mesh's values."""
    ann = annotations
    status_port = str(ann.get(a.STATUS_PORT, values.status_port) if status is None else status)
    exclude_out = ann.get(a.EXCLUDE_OUTBOUND_PORTS, values.exclude_outbound_ports or None)
    user_in = str(ann.get(a.EXCLUDE_INBOUND_PORTS, values.exclude_inbound_ports))
    return CaptureConfig(
        proxy_uid=proxy_uid,
        user_excluded_inbound=user_excluded(status_port, user_in),
        exclude_interfaces=ann.get(EXCLUDE_INTERFACES) or None,
        mode=str(ann.get(a.INTERCEPTION_MODE, interception_mode)),
        include_ip_ranges=str(ann.get(a.INCLUDE_OUTBOUND_IP_RANGES, values.include_ip_ranges)),
        exclude_ip_ranges=str(ann.get(a.EXCLUDE_OUTBOUND_IP_RANGES, values.exclude_ip_ranges)),
        include_inbound_ports=str(ann.get(a.INCLUDE_INBOUND_PORTS, values.include_inbound_ports)),
        exclude_inbound_ports=excluded_inbound(status_port, user_in),
        exclude_outbound_ports=None if exclude_out is None else str(exclude_out),
        include_outbound_ports=ann.get(a.INCLUDE_OUTBOUND_PORTS),
        kubevirt_interfaces=ann.get(REROUTE_INTERFACES) or ann.get(a.KUBEVIRT_INTERFACES),
        log_output_level=values.log_output_level,
    )


def from_args(args: list[str]) -> CaptureConfig:
    """Read istio-init's arguments back (the inverse of ``to_args``)."""
    items = list(args)
    if items and items[0] == "istio-iptables":
        items = items[1:]
    cfg = CaptureConfig(exclude_inbound_ports="")
    index = 0
    while index < len(items):
        flag = items[index]
        if flag.startswith("--log_output_level="):
            cfg = replace(cfg, log_output_level=flag.partition("=")[2])
        elif flag in _FLAGS:
            if index + 1 >= len(items):
                raise InputError(f"istio-init argument {flag} has no value")
            cfg = replace(cfg, **{_FLAGS[flag]: items[index + 1]})
            index += 1
        index += 1
    return cfg


def split(text: str | None) -> list[str]:
    """A comma-separated list without blanks."""
    return [p.strip() for p in (text or "").split(",") if p.strip()]


def _inbound(cfg: CaptureConfig) -> list[tuple[str, str]]:
    include = cfg.include_inbound_ports.strip()
    if not include:
        return []
    rules = [("PREROUTING", "-p tcp -j ISTIO_INBOUND")]
    if include == "*":
        rules += [("ISTIO_INBOUND", f"-p tcp --dport {p} -j RETURN")
                  for p in split(cfg.exclude_inbound_ports)]
        rules.append(("ISTIO_INBOUND", "-p tcp -j ISTIO_IN_REDIRECT"))
    else:
        rules += [("ISTIO_INBOUND", f"-p tcp --dport {p} -j ISTIO_IN_REDIRECT") for p in split(include)]
    return rules


def _owner(kind: str, ident: str) -> list[tuple[str, str]]:
    return [
        ("ISTIO_OUTPUT", f"-o lo ! -d 127.0.0.1/32 -p tcp ! --dport {TUNNEL_PORT} "
                         f"-m owner --{kind}-owner {ident} -j ISTIO_IN_REDIRECT"),
        ("ISTIO_OUTPUT", f"-o lo -m owner ! --{kind}-owner {ident} -j RETURN"),
        ("ISTIO_OUTPUT", f"-m owner --{kind}-owner {ident} -j RETURN"),
    ]


def _outbound_ranges(cfg: CaptureConfig) -> list[tuple[str, str]]:
    include = cfg.include_ip_ranges.strip()
    rules = [("ISTIO_OUTPUT", f"-d {r} -j RETURN") for r in split(cfg.exclude_ip_ranges)]
    if include == "*":
        return [*rules, ("ISTIO_OUTPUT", "-j ISTIO_REDIRECT")]
    ranges = split(include)
    if not ranges:
        return rules
    rules += [("ISTIO_OUTPUT", f"-d {r} -j ISTIO_REDIRECT") for r in ranges]
    return [*rules, ("ISTIO_OUTPUT", "-j RETURN")]


def _outbound(cfg: CaptureConfig) -> list[tuple[str, str]]:
    rules = [("OUTPUT", "-p tcp -j ISTIO_OUTPUT")]
    rules += [("ISTIO_OUTPUT", f"-p tcp --dport {p} -j RETURN") for p in split(cfg.exclude_outbound_ports)]
    rules.append(("ISTIO_OUTPUT", "-o lo -s 127.0.0.6/32 -j RETURN"))
    rules += _owner("uid", cfg.proxy_uid)
    rules += _owner("gid", cfg.gid)
    rules.append(("ISTIO_OUTPUT", "-d 127.0.0.1/32 -j RETURN"))
    rules += [("ISTIO_OUTPUT", f"-p tcp --dport {p} -j ISTIO_REDIRECT")
              for p in split(cfg.include_outbound_ports)]
    return rules + _outbound_ranges(cfg)


def nat_rules(cfg: CaptureConfig) -> list[tuple[str, str]]:
    """The nat-table rules as (chain, rule) in the order istio-iptables appends them."""
    if cfg.mode.upper() == "NONE":
        return []
    if cfg.mode.upper() != "REDIRECT":
        raise InputError(f"interception mode {cfg.mode} is not previewed; meshctl shows REDIRECT rules only")
    rules = [("ISTIO_INBOUND", f"-p tcp --dport {TUNNEL_PORT} -j RETURN"),
             ("ISTIO_REDIRECT", f"-p tcp -j REDIRECT --to-ports {cfg.outbound_port}"),
             ("ISTIO_IN_REDIRECT", f"-p tcp -j REDIRECT --to-ports {cfg.inbound_port}")]
    for iface in split(cfg.kubevirt_interfaces):
        rules.append(("PREROUTING", f"-i {iface} -j ISTIO_REDIRECT"))
    return rules + _inbound(cfg) + _outbound(cfg)


def render_restore(cfg: CaptureConfig) -> str:
    """What istio-init feeds iptables-restore (and logs): chains, then rules in order."""
    rules = nat_rules(cfg)
    if not rules:
        return ""
    lines = ["* nat", *(f"-N {c}" for c in ISTIO_CHAINS), *(f"-A {c} {r}" for c, r in rules), "COMMIT"]
    return "\n".join(lines) + "\n"


def render_save(cfg: CaptureConfig) -> str:
    """iptables-save's form: chain declarations, then each chain's rules, built-ins first."""
    rules = nat_rules(cfg)
    if not rules:
        return ""
    chains = [*BUILTIN_CHAINS, *sorted(ISTIO_CHAINS)]
    lines = ["*nat"]
    lines += [f":{c} ACCEPT [0:0]" for c in BUILTIN_CHAINS]
    lines += [f":{c} - [0:0]" for c in sorted(ISTIO_CHAINS)]
    lines += [f"-A {c} {r}" for chain in chains for c, r in rules if c == chain]
    return "\n".join([*lines, "COMMIT"]) + "\n"


def not_injected(template_obj: Mapping[str, object]) -> str | None:
    """Why a pod template without istio-init will not get one (so it has no rules), or None."""
    from meshctl.inject.engine import not_injected_reason

    return not_injected_reason(dict(template_obj))
