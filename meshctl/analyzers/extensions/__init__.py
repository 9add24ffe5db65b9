"""WasmPlugin analyzers (meshctl's own codes)."""
