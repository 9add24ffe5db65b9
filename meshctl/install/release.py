"""The release record: what one install (namespace + revision) applied, with the values it used.

As Helm keeps a release in a Secret, meshctl keeps one Secret per release in the Istio namespace,
``meshctl-release-<release>``: the configuration (the merged IstioOperator spec), the charts and
their versions, the rendered manifest, and which objects the release owns (it created them) or only
updated. :func:`encode`/:func:`decode` are pure; reading and writing go through the cluster client.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from meshctl.conventions.labels import MANAGED_BY, REVISION
from meshctl.errors import ClusterError
from meshctl.install.meta import MANAGER, RECORD_LABEL, RECORD_SELECTOR, RECORD_TYPE, Obj, release_id

Ref = dict[str, str]


@dataclass
class Record:
    """One release as recorded in the cluster."""

    name: str
    namespace: str
    revision: str
    spec: dict[str, Any]
    charts: list[dict[str, Any]]
    manifest: list[Obj]
    owned: list[Ref] = field(default_factory=list)
    generation: int = 1
    created_namespace: bool = False

    @property
    def owner(self) -> str:
        """The value of the release annotation on its objects."""
        return release_id(self.namespace, self.name)


def read(client: Any, namespace: str, release: str) -> tuple[Record, Obj] | None:
    """The record of ``release`` in ``namespace`` and its Secret, or None when there is none."""
    secret = client.get("Secret", secret_name(release), namespace)
    if secret is None:
        return None
    return decode(secret), secret


def others(client: Any, record: Record) -> list[Record]:
    """The other releases recorded in the same namespace (the default revision's first)."""
    secrets = client.list("Secret", namespace=record.namespace, label_selector=RECORD_SELECTOR)
    found = [decode(s) for s in secrets]
    return sorted((r for r in found if r.name != record.name), key=lambda r: (r.name != "istio", r.name))


def write(client: Any, record: Record) -> None:
    """Store the record (server-side apply as meshctl)."""
    client.apply(encode(record), force=True)


def secret_name(release: str) -> str:
    """The record's Secret name."""
    return f"meshctl-release-{release}"


def ref(obj: Obj) -> Ref:
    meta = obj.get("metadata") or {}
    return {"apiVersion": str(obj.get("apiVersion")), "kind": str(obj.get("kind")),
            "namespace": meta.get("namespace") or "", "name": meta.get("name") or ""}


_REF_FIELDS = ("apiVersion", "kind", "namespace", "name")


def _ref_of(doc: dict[str, Any]) -> Ref:
    out = {k: str(doc[k]) for k in _REF_FIELDS}
    if doc.get("component"):
        out["component"] = str(doc["component"])
    return out


def _ref_key(ref: Ref) -> tuple[str, ...]:
    return (ref["kind"], ref["namespace"], ref["name"], ref["apiVersion"])


def encode(record: Record) -> Obj:
    """The record as a Secret (payload gzip-compressed JSON, as Helm compresses its releases)."""
    doc = {"name": record.name, "namespace": record.namespace, "revision": record.revision, "spec": record.spec,
           "charts": record.charts, "manifest": record.manifest, "owned": sorted(record.owned, key=_ref_key),
           "generation": record.generation, "createdNamespace": record.created_namespace}
    payload = base64.b64encode(gzip.compress(json.dumps(doc, sort_keys=True).encode(), mtime=0)).decode()
    return {"apiVersion": "v1", "kind": "Secret", "type": RECORD_TYPE,
            "metadata": {"name": secret_name(record.name), "namespace": record.namespace,
                         "labels": {RECORD_LABEL: "true", MANAGED_BY: MANAGER,
                                    REVISION: record.revision or "default"}},
            "data": {"release": base64.b64encode(payload.encode()).decode()}}


def decode(secret: Obj) -> Record:
    """A record from its Secret; ClusterError when it is not one meshctl can read."""
    try:
        payload = base64.b64decode(base64.b64decode((secret.get("data") or {})["release"]))
        doc = json.loads(gzip.decompress(payload))
        return Record(name=doc["name"], namespace=doc["namespace"], revision=doc.get("revision") or "",
                      spec=doc["spec"], charts=doc["charts"], manifest=doc["manifest"],
                      owned=[_ref_of(r) for r in doc["owned"]],
                      generation=int(doc["generation"]),
                      created_namespace=bool(doc.get("createdNamespace")))
    except (KeyError, ValueError, TypeError, OSError, IndexError):
        name = (secret.get("metadata") or {}).get("name")
        raise ClusterError(f"the release record {name} is damaged; meshctl cannot tell what it installed") from None


def refs(objects: Sequence[Obj]) -> list[Ref]:
    """``{apiVersion, kind, namespace, name}`` of each object."""
    return [ref(o) for o in objects]
