"""Bootstrap version summary and ECDS rows."""

from __future__ import annotations

from meshctl.envoy.dump import ConfigDump
from meshctl.envoy.fields import field, path, short_type
from meshctl.envoy.tables import Row, tabwrite

ECDS_COLUMNS = (("NAME", "name"), ("TYPE", "type"))


def bootstrap_row(dump: ConfigDump) -> Row:
    """``istioVersion``, ``proxyVersion`` and ``envoyVersion`` as istioctl derives them."""
    entries = dump.entries("bootstrap")
    node = field(entries[0].resource, "node") if entries else {}
    meta = field(node, "metadata")
    meta = meta if isinstance(meta, dict) else {}
    proxy_sha = str(meta.get("ISTIO_PROXY_SHA", ""))
    build = field(node, "user_agent_build_version") or {}
    version = field(build, "version") or {}
    envoy = ".".join(str(field(version, k) or 0) for k in ("major_number", "minor_number", "patch"))
    build_meta = field(build, "metadata")
    build_meta = build_meta if isinstance(build_meta, dict) else {}
    for key in ("revision.status", "build.type", "ssl.version"):
        if build_meta.get(key):
            envoy += f"/{build_meta[key]}"
    return {
        "istioVersion": str(meta.get("ISTIO_VERSION", "")),
        "proxyVersion": proxy_sha.removeprefix("istio-proxy:"),
        "envoyVersion": envoy,
    }


def bootstrap_summary(row: Row) -> str:
    """The three ``Label: value`` lines of ``istioctl proxy-config bootstrap -o short``."""
    return tabwrite(
        [
            ["Istio Version:", row["istioVersion"]],
            ["Istio Proxy Version:", row["proxyVersion"]],
            ["Envoy Version:", row["envoyVersion"]],
        ],
        1,
    )


def ecds_rows(dump: ConfigDump) -> list[Row]:
    """One row per extension config: its name and the type of its typed_config."""
    rows: list[Row] = []
    for entry in dump.entries("ecds"):
        type_url = path(entry.resource, "typed_config", "@type") or ""
        row: Row = {
            "name": entry.name or str(field(entry.resource, "name", "")),
            "type": short_type(type_url),
        }
        if entry.version is not None:
            row["versionInfo"] = entry.version.raw
        rows.append(row)
    return rows
