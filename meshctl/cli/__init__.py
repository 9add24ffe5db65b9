"""The thin CLI layer: one module per command group. Never imports kubernetes at module level."""
