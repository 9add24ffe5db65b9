"""Istio's schemas, in one place: validation of Istio resources and the CRDs ``install`` applies.

- ``generate``: the generator (``python -m meshctl.schemas.generate``) that writes ``data/`` from
  the OpenAPI v3 schemas of Istio's published CRDs; ``cel`` translates their CEL rules.
- ``registry``: the generated schemas (read lazily, one file per API group), served and storage
  versions per kind.
- ``validate``: ``validate_resource`` / ``validate_spec`` -> ``Issue`` list (IST0106, IST0133,
  IST0130, IST0131) with field paths; imports ``jsonschema`` lazily. ``values`` evaluates the
  translated CEL rules; ``rules`` holds Istio's validation rules beyond the schema (RE2 regexes,
  hosts, routes...).
- ``openapi``: OpenAPI v3 structural schema -> JSON Schema.
- ``crds``: ``istio_crds(labels)``, one CustomResourceDefinition per Istio kind.
"""
