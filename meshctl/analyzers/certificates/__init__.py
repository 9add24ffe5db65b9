"""Certificate analyzers: the mesh root CA and gateway credentials."""
