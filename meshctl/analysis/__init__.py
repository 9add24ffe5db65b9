"""The rule engine: analyzers, their registry, the run, and its result."""
