"""Value checks for the annotations whose values istiod parses (named in ``known.tsv``)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

UINT = re.compile(r"[0-9]+")
BOOLS = frozenset({"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"})
DURATION = re.compile(r"([0-9]+(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+")


def _uint(value: str, bits: int) -> bool:
    return bool(UINT.fullmatch(value)) and int(value) < 2 ** bits


def check_uint32(value: str) -> str | None:
    """A non-negative 32-bit integer."""
    return None if _uint(value, 32) else f"{value!r} is not a non-negative 32-bit integer"


def check_bool(value: str) -> str | None:
    """A boolean as Go parses one."""
    return None if value in BOOLS else f"{value!r} is not a boolean"


def check_interception_mode(value: str) -> str | None:
    """REDIRECT, TPROXY or NONE."""
    return None if value in ("REDIRECT", "TPROXY", "NONE") else \
        f"interception mode {value!r} is not one of REDIRECT, TPROXY, NONE"


def _port_problem(text: str) -> str | None:
    return None if _uint(text.strip(), 16) else f"{text!r} is not a port number"


def check_port_list(value: str) -> str | None:
    """A comma-separated list of ports (may be empty)."""
    if not value.strip():
        return None
    for part in value.strip().split(","):
        if problem := _port_problem(part):
            return problem
    return None


def check_cidr_list(value: str) -> str | None:
    """A comma-separated list of CIDR prefixes (may be empty)."""
    if not value:
        return None
    for part in value.split(","):
        address, slash, bits = part.partition("/")
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return f"{part!r} is not a CIDR prefix"
        if not slash or not UINT.fullmatch(bits) or int(bits) > ip.max_prefixlen:
            return f"{part!r} is not a CIDR prefix"
    return None


def _or_wildcard(check: Callable[[str], str | None]) -> Callable[[str], str | None]:
    return lambda value: None if value == "*" else check(value)


def _valid_address(address: object) -> bool:
    host, sep, port = str(address).rpartition(":")
    return bool(sep and host and _uint(port, 16) and int(port) > 0)


def check_proxy_config(value: str) -> str | None:
    """A ProxyConfig override in YAML or JSON, with the values istiod validates."""
    from meshctl.errors import InputError
    from meshctl.sources.loading import parse_value

    try:
        config = parse_value(value, "value") if value.strip() else {}
    except InputError as exc:
        return f"not valid YAML: {str(exc).removeprefix('value').lstrip(':0123456789 ')}"
    if not isinstance(config, dict):
        return "not a ProxyConfig mapping"
    for key in ("concurrency", "statNameLength"):
        if key in config and not (isinstance(config[key], int) and config[key] >= 0):
            return f"{key} must be a non-negative integer"
    for key in ("proxyAdminPort", "statusPort"):
        if key in config and not (isinstance(config[key], int) and 0 < config[key] < 65536):
            return f"{key} must be a port number"
    for key in ("drainDuration", "terminationDrainDuration"):
        if key in config and not DURATION.fullmatch(str(config[key])):
            return f"{key} must be a duration such as 5s"
    if "discoveryAddress" in config and not _valid_address(config["discoveryAddress"]):
        return "discoveryAddress must be host:port"
    return None


CHECKS: dict[str, Callable[[str], str | None]] = {
    "uint32": check_uint32,
    "bool": check_bool,
    "interception_mode": check_interception_mode,
    "status_port": lambda v: _port_problem(v),
    "include_ip_ranges": _or_wildcard(check_cidr_list),
    "exclude_ip_ranges": check_cidr_list,
    "include_inbound_ports": _or_wildcard(check_port_list),
    "exclude_inbound_ports": check_port_list,
    "exclude_outbound_ports": check_port_list,
    "proxy_config": check_proxy_config,
}


def value_problem(validation: str, value: str) -> str | None:
    """Why ``value`` is invalid for a validation name from the table (None when valid)."""
    check = CHECKS.get(validation)
    return check(str(value)) if check else None
