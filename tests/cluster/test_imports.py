"""``import meshctl.cli.app`` must not import ``kubernetes`` (start-up time of every command)."""

from __future__ import annotations

import subprocess
import sys


def test_cli_app_does_not_import_kubernetes() -> None:
    code = ("import sys, meshctl.cli.app, meshctl.cluster.client, meshctl.sources.live, "
            "meshctl.cluster.portforward; "
            "print(sorted(m for m in sys.modules if m == 'kubernetes' or m.startswith('kubernetes.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
