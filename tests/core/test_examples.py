"""The shipped examples: README command (1) finds their deliberate problems in every format."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from tests.conftest import REPO

EXAMPLES = str(REPO / "examples")
DELIBERATE = {("MSH0101", "VirtualService shop/reviews"), ("MSH0202", "DestinationRule shop/ledger"),
              ("IST0101", "VirtualService shop/reviews"), ("IST0118", "Service shop/reviews"),
              ("IST0102", "Namespace payments"),
              # examples/ambient: an L7 rule ztunnel is asked to enforce, and a waypoint that does not exist.
              ("MSH1701", "AuthorizationPolicy orders/cart-read-only"), ("MSH1702", "Service orders/checkout")}


def test_examples_json_exit_79(run_cli) -> None:
    res = run_cli("analyze", "-f", EXAMPLES, "--use-kube=false", "-o", "json")
    assert res.exit_code == 79, res.stderr
    found = {(m["code"], m["origin"]) for m in json.loads(res.stdout)}
    assert found >= DELIBERATE


def test_examples_sarif_points_at_lines(run_cli) -> None:
    res = run_cli("analyze", "-f", EXAMPLES, "--use-kube=false", "-o", "sarif")
    assert res.exit_code == 79
    results = json.loads(res.stdout)["runs"][0]["results"]
    own = [r for r in results if r["ruleId"].startswith("MSH")]
    assert own and all(r["locations"][0]["physicalLocation"]["region"]["startLine"] > 0 for r in own)
    weights = next(r for r in results if r["ruleId"] == "MSH0101")
    location = weights["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("traffic.yaml") and location["region"]["startLine"] == 13


def test_examples_junit_failures_match_errors(run_cli) -> None:
    as_json = json.loads(run_cli("analyze", "-f", EXAMPLES, "--use-kube=false", "-o", "json").stdout)
    res = run_cli("analyze", "-f", EXAMPLES, "--use-kube=false", "-o", "junit")
    assert res.exit_code == 79
    suites = ET.fromstring(res.stdout)
    errors = [m for m in as_json if m["level"] == "Error"]
    assert int(suites.get("failures", "0")) == len(errors)
    assert {f.get("type") for f in suites.iter("failure")} == {m["code"] for m in errors}


def test_examples_pass_with_suppressions(run_cli) -> None:
    res = run_cli("analyze", "-f", EXAMPLES, "--use-kube=false", "-o", "json", "-S", "IST0101=*",
                  "-S", "MSH01*=*", "-S", "MSH0202=DestinationRule shop/*",
                  "-S", "MSH1702=Service orders/*")
    assert res.exit_code == 0, res.stdout


def test_one_problem_is_reported_once(run_cli) -> None:
    """Two analyzers that find the same problem (a missing mirror host) give one finding, at the field."""
    messages = json.loads(run_cli("analyze", "--use-kube=false", "-f", str(REPO / "examples"), "-o", "json").stdout)
    seen: dict[tuple[str, str, str], list[str]] = {}
    for m in messages:
        seen.setdefault((m["code"], m["origin"], m["message"]), []).append(m.get("path") or "")
    for key, paths in seen.items():
        nested = [(a, b) for a in paths for b in paths if a != b and b.startswith(a + ".")]
        assert not nested, f"{key} reported at a field and at its parent: {nested}"
