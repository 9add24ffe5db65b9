"""Dispatch of API requests: discovery, CRUD, patch/apply, subresources, access reviews."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import apply as ssa
from . import patching
from .access import forbidden
from .listing import ensure_listable, list_objects, watch
from .resources import api_group, api_group_list, api_versions, resource_list
from .routing import Discovery, Request, Response, Route, parse_path
from .status import ApiError, bad_request, conflict, invalid, method_not_allowed, success_body
from .store import Obj, now

if TYPE_CHECKING:
    from .resources import ResourceType
    from .server import FakeApiServer

NOT_FOUND = "the server could not find the requested resource"
RETURNS_OBJECT_ON_DELETE = {"pods", "namespaces", "customresourcedefinitions"}
HEALTH = {"/healthz", "/livez", "/readyz"}


def not_found_generic() -> ApiError:
    """404 for a path nothing serves."""
    return ApiError(404, NOT_FOUND, "NotFound", {})


def verb_of(route: Route, req: Request) -> str:
    """The authorization verb of a resource request."""
    if req.method == "GET":
        if route.name:
            return "get"
        return "watch" if req.flag("watch") else "list"
    if req.method == "DELETE":
        return "delete" if route.name else "deletecollection"
    return {"POST": "create", "PUT": "update", "PATCH": "patch"}.get(req.method, req.method.lower())


class Api:
    """Answers requests against one FakeApiServer's state."""

    def __init__(self, server: FakeApiServer) -> None:
        self.srv = server

    def handle(self, req: Request) -> Response:
        """The response to one authenticated request."""
        path = req.path.rstrip("/") or "/"
        if path == "/version":
            return Response(200, self.srv.version_info())
        if path in HEALTH:
            return Response(200, "ok", "text/plain; charset=utf-8")
        parsed = parse_path(path)
        if parsed is None:
            raise not_found_generic()
        if isinstance(parsed, Discovery):
            return self._discovery(parsed, req)
        return self._resource(parsed, req)

    # ---- discovery ---------------------------------------------------------------------------

    def _discovery(self, d: Discovery, req: Request) -> Response:
        if req.method != "GET":
            raise method_not_allowed()
        registry = self.srv.registry
        body: dict[str, Any] | None
        if d.kind == "api":
            body = api_versions(f"127.0.0.1:{self.srv.port}")
        elif d.kind == "apis":
            body = api_group_list(registry)
        elif d.kind == "group":
            body = api_group(registry, d.group)
        else:
            body = resource_list(registry, d.group, d.version)
        if body is None:
            raise not_found_generic()
        return Response(200, body)

    # ---- resources ---------------------------------------------------------------------------

    def _resource(self, route: Route, req: Request) -> Response:
        rt = self.srv.registry.get(route.group, route.version, route.plural)
        if rt is None or (route.namespace and not rt.namespaced):
            raise not_found_generic()
        verb = verb_of(route, req)
        resource = f"{rt.plural}/{route.subresource}" if route.subresource else rt.plural
        if not self.srv.access.allowed(verb, resource, rt.group, route.namespace):
            raise forbidden(verb, resource, rt.group, route.namespace, route.name)
        if route.subresource:
            return self._subresource(rt, route, req)
        if (rt.group, rt.plural) == ("authorization.k8s.io", "selfsubjectaccessreviews"):
            return self._access_review(req)
        ensure_listable(rt, verb)
        return self._crud(rt, route, req, verb)

    def _crud(self, rt: ResourceType, route: Route, req: Request, verb: str) -> Response:
        store = self.srv.store
        if verb == "get":
            return Response(200, store.get(rt, route.namespace, route.name))
        if verb == "list":
            return list_objects(store, self.srv.faults, rt, route, req)
        if verb == "watch":
            return watch(store, rt, route, req, self.srv.is_stopping)
        if verb == "create":
            if route.name:
                raise method_not_allowed()
            return self._create(rt, route, req)
        if not route.name:
            if verb == "deletecollection":
                return self._delete_collection(rt, route, req)
            raise method_not_allowed()
        if verb == "update":
            body = self._object_body(req)
            self._record_update(body, req, None)
            return Response(200, store.update(rt, body, route.namespace, route.name, req.dry_run))
        if verb == "patch":
            return self._patch(rt, route, req)
        if verb == "delete":
            return self._delete(rt, route, req)
        raise method_not_allowed()

    @staticmethod
    def _object_body(req: Request) -> Obj:
        body = req.decoded()
        if not isinstance(body, dict):
            raise bad_request("the object provided is unrecognized (must be a JSON object)")
        return body

    def _manager(self, req: Request) -> str:
        agent = req.headers.get("user-agent", "unknown")
        return req.query.get("fieldManager") or agent.split("/")[0] or "unknown"

    def _record_update(self, obj: Obj, req: Request, paths: set[ssa.Path] | None) -> None:
        fields = ssa.leaf_paths(obj) if paths is None else paths
        if fields:
            ssa.record(obj, self._manager(req), "Update", fields, now())

    def _create(self, rt: ResourceType, route: Route, req: Request) -> Response:
        body = self._object_body(req)
        body.setdefault("metadata", {}).pop("managedFields", None)
        body.setdefault("apiVersion", rt.group_version)
        if "status" in rt.subresources:
            body.pop("status", None)
            if rt.plural == "pods":
                body["status"] = {"phase": "Pending", "qosClass": "BestEffort"}
        self._record_update(body, req, None)
        created = self.srv.store.create(rt, body, route.namespace, req.dry_run)
        return Response(201, created)

    def _delete(self, rt: ResourceType, route: Route, req: Request) -> Response:
        gone = self.srv.store.delete(rt, route.namespace, route.name, req.dry_run)
        if rt.plural in RETURNS_OBJECT_ON_DELETE:
            if rt.plural == "namespaces":
                gone.setdefault("status", {})["phase"] = "Terminating"
            return Response(200, gone)
        return Response(200, success_body(route.name, rt.plural, gone["metadata"]["uid"], rt.group))

    def _delete_collection(self, rt: ResourceType, route: Route, req: Request) -> Response:
        listed = list_objects(self.srv.store, self.srv.faults, rt, route, req).body
        dry_run = req.dry_run
        for item in listed["items"]:
            meta = item["metadata"]
            self.srv.store.delete(rt, meta.get("namespace", ""), meta["name"], dry_run)
        return Response(200, listed)

    # ---- patch / apply -----------------------------------------------------------------------

    def _patch(self, rt: ResourceType, route: Route, req: Request, only_status: bool = False) -> Response:
        kind = req.content_type
        if kind not in patching.PATCH_TYPES:
            raise ApiError(415, f"the body of the request was in an unknown format - accepted media types "
                           f"include: {', '.join(patching.PATCH_TYPES)}", "UnsupportedMediaType")
        body = req.decoded()
        if kind == patching.APPLY_PATCH:
            return self._apply(rt, route, req, body)
        store, dry_run = self.srv.store, req.dry_run

        def change(current: Obj) -> Obj:
            try:
                if kind == patching.JSON_PATCH:
                    new = patching.json_patch(current, body)
                elif kind == patching.MERGE_PATCH:
                    new = patching.merge_patch(current, body)
                else:
                    new = patching.strategic_merge(current, body)
            except patching.PatchError as exc:
                raise ApiError(422, str(exc), "Invalid") from exc
            self._check_patched(rt, route, current, new)
            if only_status:
                new = {**current, "status": new.get("status", {})}
            if kind != patching.JSON_PATCH and isinstance(body, dict):
                self._record_update(new, req, ssa.leaf_paths(body))
            return new

        return Response(200, store.modify(rt, route.namespace, route.name, change, dry_run))

    @staticmethod
    def _check_patched(rt: ResourceType, route: Route, current: Obj, new: Any) -> None:
        if not isinstance(new, dict):
            raise ApiError(422, "the patched object is not an object", "Invalid")
        meta = new.get("metadata") or {}
        if meta.get("name") != route.name:
            raise invalid(rt.kind, rt.group, route.name, "metadata.name",
                          "Invalid value: field is immutable", meta.get("name"))
        given = meta.get("resourceVersion")
        if given and given != current["metadata"]["resourceVersion"]:
            raise conflict(rt.plural, rt.group, route.name, "the object has been modified; please apply "
                           "your changes to the latest version and try again")

    def _apply(self, rt: ResourceType, route: Route, req: Request, config: Any) -> Response:
        manager = req.query.get("fieldManager")
        if not manager:
            raise ApiError(422, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is '
                           "required for apply patch", "Invalid",
                           {"kind": "PatchOptions", "group": "meta.k8s.io", "causes": [
                               {"reason": "FieldValueRequired", "message": "Required value: is required "
                                "for apply patch", "field": "fieldManager"}]})
        if not isinstance(config, dict):
            raise bad_request("error decoding YAML: the apply configuration must be an object")
        if not config.get("apiVersion") or not config.get("kind"):
            raise bad_request("apiVersion and kind must be set in an apply configuration")
        meta = config.setdefault("metadata", {})
        if meta.get("name", route.name) != route.name:
            raise bad_request(f"the name of the object ({meta.get('name')}) does not match the name on the "
                              f"URL ({route.name})")
        meta["name"] = route.name
        force = req.flag("force")

        def change(current: Obj) -> Obj:
            try:
                return ssa.apply(current, config, manager, force, now())
            except ssa.ApplyConflict as exc:
                raise ApiError(409, exc.message(), "Conflict", {
                    "causes": [{"reason": "FieldManagerConflict", "message": f'conflict with "{m}"',
                                "field": "." + ".".join(p)} for m, p in exc.conflicts]}) from exc

        def create() -> Obj:
            return ssa.apply(None, config, manager, force, now())

        store = self.srv.store
        existed = store.find(rt, route.namespace, route.name) is not None
        result = store.modify(rt, route.namespace, route.name, change, req.dry_run, create)
        return Response(200 if existed else 201, result)

    # ---- subresources ------------------------------------------------------------------------

    def _subresource(self, rt: ResourceType, route: Route, req: Request) -> Response:
        if not route.name or route.subresource not in rt.subresources:
            raise not_found_generic()
        store = self.srv.store
        if route.subresource == "status":
            if req.method == "GET":
                return Response(200, store.get(rt, route.namespace, route.name))
            if req.method == "PUT":
                body = self._object_body(req)
                return Response(200, store.update(rt, body, route.namespace, route.name, req.dry_run, True))
            if req.method == "PATCH":
                return self._patch(rt, route, req, only_status=True)
            raise method_not_allowed()
        if route.subresource == "log" and req.method == "GET":
            return self._pod_log(rt, route, req)
        raise method_not_allowed()

    def _pod_log(self, rt: ResourceType, route: Route, req: Request) -> Response:
        pod = self.srv.store.get(rt, route.namespace, route.name)
        names = [c.get("name") for c in (pod.get("spec") or {}).get("containers") or []]
        container = req.query.get("container") or ""
        if not container and len(names) > 1:
            raise bad_request(f"a container name must be specified for pod {route.name}, choose one of: "
                              f"[{' '.join(names)}]")
        if container and names and container not in names:
            raise bad_request(f"container {container} is not valid for pod {route.name}")
        text = self.srv.pod_log(route.namespace, route.name, container or (names[0] if names else ""))
        tail = req.query.get("tailLines")
        if tail is not None and tail.isdigit():
            lines = text.splitlines(keepends=True)
            text = "".join(lines[-int(tail):]) if int(tail) else ""
        return Response(200, text, "text/plain")

    def _access_review(self, req: Request) -> Response:
        if req.method != "POST":
            raise method_not_allowed()
        review = self._object_body(req)
        spec = review.get("spec") or {}
        attrs = spec.get("resourceAttributes")
        if attrs:
            resource = attrs.get("resource", "")
            if attrs.get("subresource"):
                resource += "/" + attrs["subresource"]
            allowed = self.srv.access.allowed(attrs.get("verb", ""), resource, attrs.get("group", ""),
                                              attrs.get("namespace", ""))
        elif spec.get("nonResourceAttributes"):
            allowed = True
        else:
            raise invalid("SelfSubjectAccessReview", "authorization.k8s.io", "", "spec.resourceAttributes",
                          "Required value: exactly one of nonResourceAttributes or resourceAttributes "
                          "must be specified")
        status: dict[str, Any] = {"allowed": allowed}
        if not allowed:
            status["reason"] = "denied by the fake API server's deny rules"
        review.update(apiVersion="authorization.k8s.io/v1", kind="SelfSubjectAccessReview", status=status)
        review.setdefault("metadata", {}).setdefault("creationTimestamp", None)
        return Response(201, review)
