"""Pre-install and pre-upgrade checks: ``meshctl precheck`` and the first step of ``meshctl install``.

Flow: gather (cluster, once) or load (manifests) -> PrecheckSnapshot -> checks (pure) -> Result.
"""

from __future__ import annotations

from meshctl.precheck.model import PROFILES, PrecheckRequest, PrecheckSnapshot
from meshctl.precheck.runner import run_prechecks

__all__ = ["PROFILES", "PrecheckRequest", "PrecheckSnapshot", "run_prechecks"]
