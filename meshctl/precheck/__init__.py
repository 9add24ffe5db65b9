"""Pre-install and pre-upgrade checks: ``meshctl precheck`` and the first step of ``meshctl install``.

Flow: gather (cluster, once) or load (manifests) -> PrecheckSnapshot -> checks (pure) -> Result.
The names below are imported on first use, so that ``meshctl --help`` need not load the checks.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from meshctl.precheck.names import PROFILES

if TYPE_CHECKING:
    from meshctl.precheck.model import PrecheckRequest, PrecheckSnapshot
    from meshctl.precheck.runner import run_prechecks

__all__ = ["PROFILES", "PrecheckRequest", "PrecheckSnapshot", "run_prechecks"]

_LAZY = {"PrecheckRequest": "meshctl.precheck.model", "PrecheckSnapshot": "meshctl.precheck.model",
         "run_prechecks": "meshctl.precheck.runner"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
