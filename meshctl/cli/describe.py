"""``meshctl describe pod|service NAME``: what the mesh does to a pod or a service, live or from files."""

from typing import Annotated

import typer

from meshctl.cli import options as o
from meshctl.cli.output import emit
from meshctl.errors import UsageError

FORMATS = ("text", "json", "yaml", "dot", "mermaid")
Output = Annotated[str, o.output_option(FORMATS, "dot (Graphviz) and mermaid draw the routing.")]
KINDS = {"pod": "pod", "pods": "pod", "po": "pod", "service": "service", "services": "service", "svc": "service"}


def describe(
    kind: Annotated[str, typer.Argument(metavar="pod|service", help="What to describe.")],
    name: Annotated[str, typer.Argument(metavar="NAME[.NAMESPACE]", help="The pod or service.")],
    filename: o.Filename = None,
    output: Output = "text",
    namespace: o.Namespace = None,
    istio_namespace: o.IstioNamespace = "istio-system",
    kubeconfig: o.Kubeconfig = None,
    context: o.Context = None,
    timeout: o.Timeout = 30.0,
) -> None:
    """What the mesh does to a pod or service, live or from files, with a routing picture.

    Services, VirtualServices and gateways, DestinationRules and subsets, effective mTLS per port,
    AuthorizationPolicies, Sidecar, injection and analyze's findings; -o dot|mermaid draws the routing."""
    from meshctl.analysis.pipeline import AnalyzeRequest, analyze, load_snapshot
    from meshctl.describe.model import KINDS as READS
    from meshctl.describe.model import describe as build

    which = KINDS.get(kind.lower())
    if which is None:
        raise UsageError(f"describe pod NAME or describe service NAME, not {kind!r}")
    o.output_format(output, FORMATS)
    base, dot, ns = name.partition(".")
    target_ns = ns if dot else (namespace or None)
    files = filename or []
    kube = not files or bool(kubeconfig or context)  # -n names the target's namespace, not a reason to read
    req = AnalyzeRequest(files=files, use_kube=kube, cluster=o.cluster_options(kubeconfig, context, timeout),
                         all_namespaces=kube, istio_namespace=istio_namespace)
    snapshot, env, _ = load_snapshot(req, set(READS))
    if target_ns is None:
        target_ns = _default_namespace(req) if kube else "default"
    messages = analyze(req).messages
    desc = build(snapshot, env.mesh_config, istio_namespace, which, base, target_ns, messages)
    emit(_render(desc, output))


def _default_namespace(req: object) -> str:
    from meshctl.sources.cluster import client

    return str(client(req.cluster).default_namespace)  # type: ignore[attr-defined]


def _render(desc: object, output: str) -> str:
    from meshctl.describe import graph
    from meshctl.describe.render import render_text
    from meshctl.envoy.tables import render_rows

    if output == "text":
        return render_text(desc)  # type: ignore[arg-type]
    if output in ("json", "yaml"):
        return render_rows(desc.as_dict(), output)  # type: ignore[attr-defined]
    title = f"{desc.kind} {desc.namespace}/{desc.name}"  # type: ignore[attr-defined]
    pic = graph.build(desc)  # type: ignore[arg-type]
    return graph.render_mermaid(pic, title) if output == "mermaid" else graph.render_dot(pic, title)
