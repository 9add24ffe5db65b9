"""Istio JSON Schemas, in one place: validation of Istio resources and the CRDs ``install`` applies.

- ``registry``: the schemas (built from the shared pieces in ``common`` and the per-area modules),
  served and storage versions per kind.
- ``validate``: ``validate_resource`` / ``validate_spec`` -> ``Issue`` list (IST0106, IST0133,
  IST0130, IST0131) with field paths; imports ``jsonschema`` lazily.
- ``openapi``: OpenAPI v3 structural schema <-> JSON Schema.
- ``crds``: ``istio_crds(labels)``, one CustomResourceDefinition per Istio kind.
"""
