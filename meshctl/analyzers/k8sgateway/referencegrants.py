"""k8sgateway.ReferenceGrantAnalyzer: cross-namespace references need a ReferenceGrant; grants name real namespaces."""

from __future__ import annotations

from collections import defaultdict

from meshctl.analysis.context import Context
from meshctl.analysis.registry import Analyzer, register
from meshctl.analyzers.k8sgateway.refs import GATEWAY_GROUP, ROUTE_KINDS, backend_refs, dicts, grant_allows
from meshctl.resource import Resource


def certificate_refs(gateway: Resource) -> list[tuple[str, str, str, str, str]]:
    """(path, group, kind, namespace, name) of every listener certificateRef of a Gateway."""
    out = []
    for i, listener in enumerate(dicts(gateway.spec.get("listeners"))):
        for j, ref in enumerate(dicts((listener.get("tls") or {}).get("certificateRefs"))):
            out.append((f"spec.listeners[{i}].tls.certificateRefs[{j}]", str(ref.get("group", "")),
                        str(ref.get("kind", "Secret")), str(ref.get("namespace") or gateway.namespace or ""),
                        str(ref.get("name", ""))))
    return out


@register
class ReferenceGrantAnalyzer(Analyzer):
    """Checks that cross-namespace backendRefs and certificateRefs are allowed by a ReferenceGrant, and that grants name existing namespaces."""  # noqa: E501

    name = "k8sgateway.ReferenceGrantAnalyzer"
    inputs = (*ROUTE_KINDS, "KubernetesGateway", "ReferenceGrant", "Namespace")
    codes = ("MSH1735", "MSH1738")

    def analyze(self, ctx: Context) -> None:
        """Check each cross-namespace reference against the grants of its target namespace."""
        grants: dict[str, list[Resource]] = defaultdict(list)
        for grant in ctx.resources.of_kind("ReferenceGrant"):
            grants[grant.namespace or ""].append(grant)
        for kind in ROUTE_KINDS:
            for route in ctx.resources.of_kind(kind):
                source_ns = route.namespace or ""
                for ref in backend_refs(route):
                    if ref.namespace != source_ns and not grant_allows(
                            grants[ref.namespace], GATEWAY_GROUP, kind, source_ns, ref.group, ref.kind, ref.name):
                        ctx.report("MSH1735", route, path=ref.path, target=f"{ref.kind} {ref.namespace}/{ref.name}",
                                   namespace=ref.namespace, source=f"{kind} in {source_ns}")
        for gateway in ctx.resources.of_kind("KubernetesGateway"):
            source_ns = gateway.namespace or ""
            for path, group, ref_kind, namespace, name in certificate_refs(gateway):
                if namespace != source_ns and not grant_allows(
                        grants[namespace], GATEWAY_GROUP, "Gateway", source_ns, group, ref_kind, name):
                    ctx.report("MSH1735", gateway, path=path, target=f"{ref_kind} {namespace}/{name}",
                               namespace=namespace, source=f"Gateway in {source_ns}")
        self._check_grant_namespaces(ctx, grants)

    @staticmethod
    def _check_grant_namespaces(ctx: Context, grants: dict[str, list[Resource]]) -> None:
        namespaces = {ns.name for ns in ctx.resources.of_kind("Namespace")}
        if not namespaces:
            return  # no namespaces in the input: nothing to compare with
        for items in grants.values():
            for grant in items:
                for i, source in enumerate(dicts(grant.spec.get("from"))):
                    name = str(source.get("namespace", ""))
                    if name and name not in namespaces:
                        ctx.report("MSH1738", grant, path=f"spec.from[{i}].namespace", namespace=name)
