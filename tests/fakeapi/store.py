"""The object store: versioned, thread-safe, with an event log for watches."""

from __future__ import annotations

import copy
import datetime as dt
import random
import re
import string
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .resources import CRD_KEY, Registry, ResourceType
from .status import ApiError, already_exists, bad_request, conflict, invalid, not_found

Obj = dict[str, Any]
_NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")


@dataclass(frozen=True)
class Event:
    """One change, as a watch reports it."""

    rv: int
    type: str
    group: str
    plural: str
    namespace: str
    obj: Obj


def now() -> str:
    """RFC 3339 UTC timestamp, second precision, as Kubernetes writes them."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _meta(obj: Obj) -> dict[str, Any]:
    return obj.setdefault("metadata", {})


def _body(obj: Obj) -> Obj:
    return {k: v for k, v in obj.items() if k not in ("metadata", "status", "apiVersion", "kind")}


class Store:
    """All objects, keyed by (group, plural) then (namespace, name)."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._cond = threading.Condition()
        self._rv = 0
        self._data: dict[tuple[str, str], dict[tuple[str, str], Obj]] = {}
        self._events: list[Event] = []

    @property
    def resource_version(self) -> int:
        """The latest resourceVersion handed out."""
        with self._cond:
            return self._rv

    # ---- reads -------------------------------------------------------------------------------

    def _bucket(self, rt: ResourceType) -> dict[tuple[str, str], Obj]:
        return self._data.setdefault((rt.group, rt.plural), {})

    def _shown(self, rt: ResourceType, obj: Obj) -> Obj:
        out = copy.deepcopy(obj)
        out["apiVersion"], out["kind"] = rt.group_version, rt.kind
        return out

    def get(self, rt: ResourceType, namespace: str, name: str) -> Obj:
        """A copy of one object, or 404."""
        with self._cond:
            obj = self._bucket(rt).get((namespace if rt.namespaced else "", name))
            if obj is None:
                raise not_found(rt.plural, rt.group, name)
            return self._shown(rt, obj)

    def find(self, rt: ResourceType, namespace: str, name: str) -> Obj | None:
        """A copy of one object, or None."""
        try:
            return self.get(rt, namespace, name)
        except ApiError:
            return None

    def list(self, rt: ResourceType, namespace: str | None, copies: bool = True) -> tuple[list[Obj], int]:
        """The objects (in one namespace, or all), sorted by namespace/name, and the list RV.

        With ``copies=False`` the stored dicts themselves come back: read them, never mutate them
        (the store replaces objects on every write, so they stay consistent), and ``shown()`` the ones kept.
        """
        with self._cond:
            items = [
                obj for key, obj in sorted(self._bucket(rt).items())
                if not namespace or not rt.namespaced or key[0] == namespace
            ]
            if copies:
                items = [self._shown(rt, obj) for obj in items]
            return items, self._rv

    def shown(self, rt: ResourceType, obj: Obj) -> Obj:
        """A deep copy of a stored object as served at ``rt``'s version."""
        return self._shown(rt, obj)

    # ---- writes ------------------------------------------------------------------------------

    def _emit(self, rt: ResourceType, kind: str, obj: Obj) -> None:
        ns = _meta(obj).get("namespace", "")
        self._events.append(Event(self._rv, kind, rt.group, rt.plural, ns, self._shown(rt, obj)))
        self._cond.notify_all()

    def _bump(self, obj: Obj) -> None:
        self._rv += 1
        _meta(obj)["resourceVersion"] = str(self._rv)

    def _validate_new(self, rt: ResourceType, obj: Obj, namespace: str) -> None:
        meta = _meta(obj)
        if not meta.get("name") and meta.get("generateName"):
            suffix = "".join(random.choices(string.ascii_lowercase + string.digits, k=5))
            meta["name"] = meta["generateName"] + suffix
        name = meta.get("name") or ""
        if not name:
            raise invalid(rt.kind, rt.group, "", "metadata.name",
                          "Required value: name or generateName is required")
        if not _NAME_RE.match(name) or len(name) > 253:
            why = (f'Invalid value: "{name}": a lowercase RFC 1123 subdomain must consist of lower '
                   "case alphanumeric characters, '-' or '.', and must start and end with an "
                   "alphanumeric character")
            raise invalid(rt.kind, rt.group, name, "metadata.name", why, name)
        if rt.namespaced and namespace:
            ns_rt = self.registry.get("", "v1", "namespaces")
            if ns_rt and (("", namespace) not in self._bucket(ns_rt)):
                raise not_found("namespaces", "", namespace)

    def _check_identity(self, rt: ResourceType, obj: Obj, namespace: str) -> None:
        api_version = obj.get("apiVersion")
        if api_version and api_version != rt.group_version:
            raise bad_request(f"the API version in the data ({api_version}) does not match the expected "
                              f"API version ({rt.group_version})")
        if obj.get("kind") and obj["kind"] != rt.kind:
            raise bad_request(f"the kind in the data ({obj['kind']}) does not match the expected "
                              f"kind ({rt.kind})")
        body_ns = _meta(obj).get("namespace")
        if rt.namespaced and body_ns and namespace and body_ns != namespace:
            raise bad_request("the namespace of the provided object does not match the namespace sent on "
                              "the request")

    def create(self, rt: ResourceType, obj: Obj, namespace: str, dry_run: bool = False) -> Obj:
        """Store a new object (201), filling in uid, resourceVersion, timestamps and defaults."""
        obj = copy.deepcopy(obj)
        with self._cond:
            self._check_identity(rt, obj, namespace)
            self._validate_new(rt, obj, namespace)
            meta = _meta(obj)
            obj["apiVersion"], obj["kind"] = rt.group_version, rt.kind
            if rt.namespaced:
                meta["namespace"] = namespace or meta.get("namespace") or "default"
            else:
                meta.pop("namespace", None)
            key = (meta.get("namespace", ""), meta["name"])
            if key in self._bucket(rt):
                raise already_exists(rt.plural, rt.group, meta["name"])
            meta.update(uid=str(uuid.uuid4()), creationTimestamp=now(), generation=1)
            for field in ("deletionTimestamp", "selfLink"):
                meta.pop(field, None)
            _defaults(rt, obj)
            if dry_run:
                meta["resourceVersion"] = ""
                return self._shown(rt, obj)
            self._bump(obj)
            self._bucket(rt)[key] = obj
            self._after_write(rt, obj)
            self._emit(rt, "ADDED", obj)
            return self._shown(rt, obj)

    def update(self, rt: ResourceType, obj: Obj, namespace: str, name: str, dry_run: bool = False,
               only_status: bool = False) -> Obj:
        """Replace an object (PUT); 409 when a given resourceVersion is stale."""
        obj = copy.deepcopy(obj)
        self._check_identity(rt, obj, namespace)
        body_name = _meta(obj).get("name")
        if body_name and body_name != name:
            raise bad_request(f"the name of the object ({body_name}) does not match the name on the URL "
                              f"({name})")
        _meta(obj)["name"] = name

        def change(current: Obj) -> Obj:
            given = _meta(obj).get("resourceVersion")
            if given and given != current["metadata"]["resourceVersion"]:
                raise conflict(rt.plural, rt.group, name, "the object has been modified; please apply "
                               "your changes to the latest version and try again")
            if only_status:
                return {**current, "status": obj.get("status", {})}
            if "status" in rt.subresources:
                return {**{k: v for k, v in obj.items() if k != "status"},
                        **({"status": current["status"]} if "status" in current else {})}
            return obj

        return self.modify(rt, namespace, name, change, dry_run)

    def modify(self, rt: ResourceType, namespace: str, name: str, change: Callable[[Obj], Obj],
               dry_run: bool = False, create: Callable[[], Obj] | None = None) -> Obj:
        """Atomically replace an object by ``change(current)``; with ``create``, make it when absent."""
        with self._cond:
            key = (namespace if rt.namespaced else "", name)
            current = self._bucket(rt).get(key)
            if current is None:
                if create is None:
                    raise not_found(rt.plural, rt.group, name)
                return self.create(rt, create(), namespace, dry_run)
            new = copy.deepcopy(change(self._shown(rt, current)))
            new["apiVersion"], new["kind"] = current.get("apiVersion"), current.get("kind")
            self._keep_system_meta(current, new, namespace)
            if _body(new) != _body(current):
                _meta(new)["generation"] = current["metadata"].get("generation", 1) + 1
            if new == current or dry_run:
                return self._shown(rt, new)
            self._bump(new)
            self._bucket(rt)[key] = new
            self._after_write(rt, new)
            self._emit(rt, "MODIFIED", new)
            return self._shown(rt, new)

    @staticmethod
    def _keep_system_meta(current: Obj, new: Obj, namespace: str) -> None:
        meta, old = _meta(new), current["metadata"]
        for field in ("uid", "creationTimestamp", "resourceVersion", "generation", "name"):
            meta[field] = old[field] if field in old else meta.get(field)
        if "namespace" in old:
            meta["namespace"] = old["namespace"]
        meta.setdefault("managedFields", old.get("managedFields"))
        if meta.get("managedFields") is None:
            meta.pop("managedFields")

    def delete(self, rt: ResourceType, namespace: str, name: str, dry_run: bool = False) -> Obj:
        """Remove an object, returning its last state (with deletionTimestamp)."""
        with self._cond:
            key = (namespace if rt.namespaced else "", name)
            obj = self._bucket(rt).get(key)
            if obj is None:
                raise not_found(rt.plural, rt.group, name)
            if dry_run:
                return self._shown(rt, obj)
            return self._shown(rt, self._remove(rt, key))

    def _remove(self, rt: ResourceType, key: tuple[str, str]) -> Obj:
        obj = copy.deepcopy(self._bucket(rt).pop(key))
        _meta(obj)["deletionTimestamp"] = now()
        self._bump(obj)
        self._after_delete(rt, obj)
        self._emit(rt, "DELETED", obj)
        return obj

    # ---- side effects ------------------------------------------------------------------------

    def _after_write(self, rt: ResourceType, obj: Obj) -> None:
        if rt.key == CRD_KEY:
            self.registry.set_crd(obj["metadata"]["name"], obj)

    def _after_delete(self, rt: ResourceType, obj: Obj) -> None:
        if rt.key == CRD_KEY:
            spec = obj.get("spec") or {}
            bucket = (spec.get("group", ""), (spec.get("names") or {}).get("plural", ""))
            served = [t for t in self.registry.all() if (t.group, t.plural) == bucket]
            for key in list(self._data.get(bucket, {})):
                if served:
                    self._remove(served[0], key)
            self.registry.set_crd(obj["metadata"]["name"], None)
        elif rt.key == ("", "v1", "namespaces"):
            self._purge_namespace(obj["metadata"]["name"])

    def _purge_namespace(self, namespace: str) -> None:
        for other in self.registry.all():
            if other.namespaced:
                for key in [k for k in self._bucket(other) if k[0] == namespace]:
                    self._remove(other, key)

    # ---- watch -------------------------------------------------------------------------------

    def events_after(self, rt: ResourceType, namespace: str | None, rv: int, deadline: float,
                     stopped: Callable[[], bool]) -> Iterator[Event]:
        """Events for ``rt`` newer than ``rv``, blocking until ``deadline`` (monotonic) or ``stopped()``."""
        index = 0
        while True:
            with self._cond:
                while index < len(self._events) and self._events[index].rv <= rv:
                    index += 1
                if index >= len(self._events):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0 or stopped():
                        return
                    self._cond.wait(min(remaining, 0.2))
                    continue
                event = self._events[index]
                index += 1
            if (event.group, event.plural) == (rt.group, rt.plural) and (
                not namespace or event.namespace == namespace
            ):
                yield Event(event.rv, event.type, event.group, event.plural, event.namespace,
                            self._shown(rt, event.obj))

    def wake(self) -> None:
        """Wake blocked watchers (on shutdown)."""
        with self._cond:
            self._cond.notify_all()


def _defaults(rt: ResourceType, obj: Obj) -> None:
    """The few defaults the real server fills in that clients look at."""
    if rt.key == ("", "v1", "namespaces"):
        obj.setdefault("spec", {"finalizers": ["kubernetes"]})
        obj.setdefault("status", {"phase": "Active"})
        _meta(obj).setdefault("labels", {})["kubernetes.io/metadata.name"] = obj["metadata"]["name"]
    elif rt.key == ("", "v1", "services"):
        spec = obj.setdefault("spec", {})
        spec.setdefault("type", "ClusterIP")
        if spec["type"] != "ExternalName":
            spec.setdefault("clusterIP", f"10.96.{random.randint(0, 255)}.{random.randint(1, 254)}")
    elif rt.key == CRD_KEY:
        names = (obj.get("spec") or {}).get("names") or {}
        t = now()
        obj["status"] = {
            "acceptedNames": names, "storedVersions": [
                v["name"] for v in (obj.get("spec") or {}).get("versions") or [] if v.get("storage")
            ],
            "conditions": [
                {"type": "NamesAccepted", "status": "True", "reason": "NoConflicts",
                 "message": "no conflicts found", "lastTransitionTime": t},
                {"type": "Established", "status": "True", "reason": "InitialNamesAccepted",
                 "message": "the initial names have been accepted", "lastTransitionTime": t},
            ],
        }
