"""docs/precheck.md from the check registry and the catalogue; written with the other rule docs by
``python -m meshctl.analysis.docs`` (``python -m meshctl.precheck.docs`` does the same)."""

from __future__ import annotations

import sys
from pathlib import Path

from meshctl.catalogue import message_type
from meshctl.precheck.registry import CATEGORIES, all_checks

INTRO = """\
# meshctl precheck

`meshctl precheck` checks, before `meshctl install` changes anything, that Istio can be installed
or upgraded: against the cluster (the current kubeconfig context), or offline against manifests
with `-f manifests/`. It reads the cluster once (version, nodes, namespaces, CRDs, webhook
configurations, Deployments, Pods and Services in the Istio namespace, Pods in namespaces labelled
for injection, SelfSubjectAccessReviews) and runs every check on that snapshot.

Output and exit status are the ones of `meshctl analyze`: `-o log|table|json|yaml|sarif|junit`,
`--failure-threshold` (exit 79 when a finding reaches it, whatever the format),
`--output-threshold`, `-S CODE=Kind ns/name`. On a terminal `-o log` groups checks by category
with ✔ / ⚠ / ✖ (no colour with `--no-color` or `NO_COLOR`); otherwise it prints one line per
finding. `meshctl precheck --list` lists the checks; `--check NAME` runs only some.

Options that change what is checked: `--profile default|demo|minimal|empty|ambient|remote`
(the profiles of `meshctl install`),
`--revision` (the revision being installed; a new name is a canary), `--from-version`
(the version being upgraded from, instead of the one running), `--istioNamespace`.

A token without rights gets one IST0141 naming every missing permission, and exit 79.
Reads that fail although permitted become MSH0801 and the checks that need them are skipped.

## Profile requirements

| profile | cluster-wide requests | on every node |
|---|---|---|
| minimal | istiod 500m CPU, 2048Mi | - |
| default | istiod 500m / 2048Mi + ingress gateway 100m / 128Mi | - |
| demo | istiod 10m / 100Mi + ingress and egress gateways 10m / 40Mi each | - |
| ambient | istiod 500m / 2048Mi | istio-cni 100m / 100Mi + ztunnel 200m / 512Mi |
| empty | - | - |
| remote | - (istiod runs in another cluster) | - |

The sum of allocatable resources of Ready, schedulable nodes must cover the total, the largest
node must fit istiod, and (ambient) every node must fit the per-node DaemonSets. Requests of pods
already running are not subtracted.
"""


def _codes(codes: tuple[str, ...]) -> str:
    return ", ".join(f"[{c}](messages.md#{c.lower()}) {message_type(c).name}" for c in codes)


def render_docs() -> str:
    """The Markdown page: the intro, then a section per check, by category."""
    out = [INTRO]
    checks = all_checks()
    for category in CATEGORIES:
        out.append(f"## Checks: {category}\n")
        for chk in (c for c in checks if c.category == category):
            doc = (chk.func.__doc__ or "").strip().splitlines()[0]
            out.append(f"### {chk.name}\n\n{chk.hint}\n\n- Reports: {_codes(chk.codes)}\n- How: {doc}\n")
    return "\n".join(out)


def main() -> None:
    """Write the rule docs (this page among them) under the directory given (default: ./docs)."""
    from meshctl.analysis.docs import write_docs

    write_docs(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))


if __name__ == "__main__":
    main()
