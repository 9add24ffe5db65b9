"""check-inject against the webhooks Istio's istiod chart installs (default and a canary revision).

The chart's MutatingWebhookConfigurations (``rev.namespace``, ``rev.object``, ``namespace``,
``object``) are rendered with ``meshctl.install.manifest.render_objects`` from
``../shared/istio/charts``; every combination of namespace and pod labels below goes
through the CLI (``check-inject -f DIR -n NS POD -o json``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import SHARED_ISTIO

CHARTS = SHARED_ISTIO / "charts"
NO_DEFAULT = ("No matching namespace labels (istio.io/rev=default, istio-injection=enabled) "
              "or pod labels (istio.io/rev=default, sidecar.istio.io/inject=true)")


@pytest.fixture(scope="module")
def chart_webhooks() -> list[dict[str, Any]]:
    if not (CHARTS / "istio-control").is_dir():
        pytest.skip(f"{CHARTS} is absent")
    from meshctl.install.manifest import render_objects

    hooks = []
    for revision in (None, "canary"):
        objs = render_objects(charts_dir=CHARTS, revision=revision)
        hooks += [o for o in objs if o.get("kind") == "MutatingWebhookConfiguration"]
    return hooks


def _write(where: Path, hooks: list[dict[str, Any]], ns_labels: dict[str, str],
           pod_labels: dict[str, str]) -> str:
    docs = [*hooks, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop", "labels": ns_labels}},
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "shop", "labels": pod_labels},
             "spec": {"containers": [{"name": "web", "image": "nginx"}]}}]
    path = where / "objects.yaml"
    path.write_text(yaml.safe_dump_all(docs), encoding="utf-8")
    return str(path)


#: (namespace labels, pod labels, default webhook's verdict and reason, canary's verdict)
COMBINATIONS = [
    ({}, {}, (False, NO_DEFAULT), False),
    ({"istio-injection": "enabled"}, {}, (True, "Namespace label istio-injection=enabled matches"), False),
    ({"istio.io/rev": "canary"}, {}, (False, NO_DEFAULT), True),
    ({}, {"istio.io/rev": "default"}, (True, "Pod label istio.io/rev=default matches"), False),
    # a pod label that selects another revision: the default revision's object webhook says why
    ({}, {"istio.io/rev": "canary"}, (False, "Pod has istio.io/rev=canary label, preventing injection"), True),
    # a pod label selecting another revision loses to the namespace's injection label
    ({"istio-injection": "enabled"}, {"istio.io/rev": "canary"},
     (True, "Namespace label istio-injection=enabled matches"), False),
    ({"istio.io/rev": "canary"}, {"istio.io/rev": "default"}, (False, NO_DEFAULT), True),
    # a namespace label that disables injection wins over the pod's opt-in
    ({"istio-injection": "disabled"}, {"sidecar.istio.io/inject": "true"},
     (False, "Namespace has istio-injection=disabled label, preventing injection"), False),
    ({"istio-injection": "enabled"}, {"sidecar.istio.io/inject": "false"},
     (False, "Pod has sidecar.istio.io/inject=false label, preventing injection"), False),
    # both a namespace and a pod label match
    ({"istio-injection": "enabled"}, {"sidecar.istio.io/inject": "true"},
     (True, "Namespace label istio-injection=enabled matches, and pod label sidecar.istio.io/inject=true matches"),
     False),
    ({"istio.io/rev": "default"}, {"istio.io/rev": "default"},
     (True, "Namespace label istio.io/rev=default matches"), False),
    ({}, {"sidecar.istio.io/inject": "true"}, (True, "Pod label sidecar.istio.io/inject=true matches"), False),
    ({"istio.io/rev": "canary"}, {"sidecar.istio.io/inject": "false"}, (False, NO_DEFAULT), False),
]


@pytest.mark.parametrize(("ns_labels", "pod_labels", "default", "canary"), COMBINATIONS)
def test_chart_webhooks_through_the_cli(run_cli: Any, tmp_path: Path, chart_webhooks: list[dict[str, Any]],
                                        ns_labels: dict[str, str], pod_labels: dict[str, str],
                                        default: tuple[bool, str], canary: bool) -> None:
    path = _write(tmp_path, chart_webhooks, ns_labels, pod_labels)
    res = run_cli("check-inject", "-f", path, "-n", "shop", "web", "-o", "json")
    assert res.exit_code == 0, res.stderr
    rows = {r["webhook"]: r for r in json.loads(res.stdout)}
    assert set(rows) == {"istio-sidecar-injector", "istio-sidecar-injector-canary"}
    assert (rows["istio-sidecar-injector"]["injected"], rows["istio-sidecar-injector"]["reason"]) == default
    assert rows["istio-sidecar-injector-canary"]["injected"] is canary
    assert rows["istio-sidecar-injector-canary"]["revision"] == "canary"


def test_chart_table_reads_like_istioctl(run_cli: Any, tmp_path: Path,
                                         chart_webhooks: list[dict[str, Any]]) -> None:
    path = _write(tmp_path, chart_webhooks, {"istio.io/rev": "canary"}, {})
    res = run_cli("check-inject", "-f", path, "-n", "shop", "web")
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["WEBHOOK", "REVISION", "INJECTED", "REASON"]
    assert lines[1].split()[:3] == ["istio-sidecar-injector", "default", "\u2718"]
    assert lines[2].split()[:3] == ["istio-sidecar-injector-canary", "canary", "\u2714"]
    assert lines[2].endswith("Namespace label istio.io/rev=canary matches")
    assert "multiple webhooks" not in res.stdout


def test_two_revisions_selected_at_once_is_an_error(run_cli: Any, tmp_path: Path,
                                                    chart_webhooks: list[dict[str, Any]]) -> None:
    hooks = json.loads(json.dumps(chart_webhooks))
    canary = next(h for h in hooks if h["metadata"]["name"].endswith("canary"))
    canary["webhooks"][0]["namespaceSelector"] = {"matchExpressions": [
        {"key": "istio-injection", "operator": "In", "values": ["enabled"]}]}
    path = _write(tmp_path, hooks, {"istio-injection": "enabled"}, {})
    res = run_cli("check-inject", "-f", path, "-n", "shop", "web")
    assert res.exit_code == 79
    assert "ERROR: multiple webhooks will inject, which can lead to errors" in res.stdout
