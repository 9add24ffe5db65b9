"""Names precheck and install share, cheap to import (the CLI's help text uses them)."""

from __future__ import annotations

#: The profiles ``meshctl install`` ships (``meshctl.install.config.profile_names()``, tested equal).
PROFILES = ("default", "demo", "minimal", "empty", "ambient", "remote", "preview", "stable")
