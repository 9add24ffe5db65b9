"""The iptables preview comes from the same arguments kube-inject writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from meshctl.inject import iptables as ipt
from meshctl.inject.manifests import inject_text
from meshctl.inject.values import build_values

ANNOTATED = """apiVersion: v1
kind: Pod
metadata:
  name: db-client
  annotations:
    traffic.sidecar.istio.io/excludeOutboundPorts: "5432"
    traffic.sidecar.istio.io/excludeOutboundIPRanges: "169.254.169.254/32"
    traffic.sidecar.istio.io/excludeInboundPorts: "9000"
spec:
  containers: [{name: app, image: app}]
"""


def test_args_round_trip() -> None:
    cfg = ipt.CaptureConfig(exclude_outbound_ports="22", include_ip_ranges="10.0.0.0/8")
    assert ipt.from_args(cfg.to_args()) == cfg


def test_default_rules_redirect_all_tcp_to_envoy() -> None:
    text = ipt.render_restore(ipt.CaptureConfig())
    assert "-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001" in text
    assert "-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006" in text
    assert "-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN" in text
    assert text.splitlines()[-2] == "-A ISTIO_OUTPUT -j ISTIO_REDIRECT"
    for port in ("15090", "15021", "15020"):
        assert f"-A ISTIO_INBOUND -p tcp --dport {port} -j RETURN" in text


def test_save_form_groups_rules_by_chain() -> None:
    lines = ipt.render_save(ipt.CaptureConfig()).splitlines()
    assert lines[0] == "*nat" and lines[-1] == "COMMIT"
    chains = [line.split()[1] for line in lines if line.startswith("-A ")]
    assert chains == sorted(chains, key=lambda c: ([*ipt.BUILTIN_CHAINS, *sorted(ipt.ISTIO_CHAINS)].index(c)))


def test_include_ranges_and_ports() -> None:
    text = ipt.render_restore(ipt.CaptureConfig(include_ip_ranges="10.0.0.0/8", include_inbound_ports="80"))
    assert "-A ISTIO_OUTPUT -d 10.0.0.0/8 -j ISTIO_REDIRECT" in text
    assert text.splitlines()[-2] == "-A ISTIO_OUTPUT -j RETURN"
    assert "-A ISTIO_INBOUND -p tcp --dport 80 -j ISTIO_IN_REDIRECT" in text
    assert "-j ISTIO_IN_REDIRECT\n" in text
    empty = ipt.render_restore(ipt.CaptureConfig(include_ip_ranges="", include_inbound_ports=""))
    assert "PREROUTING" not in empty and "-j ISTIO_REDIRECT" not in empty


def test_injected_pod_and_preview_agree(run_cli: Any, tmp_path: Path) -> None:
    injected = inject_text(ANNOTATED, "p.yaml", build_values())
    init = next(c for c in yaml.safe_load(injected)["spec"]["initContainers"] if c["name"] == "istio-init")
    expected = ipt.render_save(ipt.from_args(init["args"]))
    for text in (ANNOTATED, injected):
        src = tmp_path / "pod.yaml"
        src.write_text(text)
        res = run_cli("inject", "iptables", "-f", str(src), "--no-use-kube")
        assert res.exit_code == 0, res.stderr
        assert res.stdout == expected
    assert "-A ISTIO_OUTPUT -p tcp --dport 5432 -j RETURN" in expected
    assert "-A ISTIO_OUTPUT -d 169.254.169.254/32 -j RETURN" in expected
    assert "-A ISTIO_INBOUND -p tcp --dport 9000 -j RETURN" in expected


def test_tproxy_is_refused_in_one_line() -> None:
    with pytest.raises(Exception, match="REDIRECT rules only"):
        ipt.render_save(ipt.CaptureConfig(mode="TPROXY"))
