"""The routing picture: gateways in front, hosts, destinations (subsets) with weights and mirrors.

A graph of plain nodes and edges built from a :class:`~meshctl.describe.model.Description`, and two pure
renderers: Mermaid (renders in GitHub and GitLab Markdown) and Graphviz DOT.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from meshctl.describe.model import Description


@dataclass(frozen=True)
class Node:
    """``kind`` is gateway, host or destination."""

    id: str
    kind: str
    label: str


@dataclass(frozen=True)
class Edge:
    """``style`` is route or mirror."""

    source: str
    target: str
    label: str
    style: str = "route"


@dataclass
class Graph:
    """Nodes and edges in the order they were first seen."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def node(self, id_: str, kind: str, label: str) -> str:
        """Add a node once; its id."""
        self.nodes.setdefault(id_, Node(id_, kind, label))
        return id_

    def edge(self, edge: Edge) -> None:
        """Add an edge once."""
        if edge not in self.edges:
            self.edges.append(edge)


def _percent(value: Any) -> str:
    return f"{value:g}%" if isinstance(value, int | float) else "100%"


def _defined_subsets(desc: Description) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for dr in desc.destination_rules:
        out.setdefault(dr["host"], set()).update(s["name"] for s in dr["subsets"])
    return out


def _destination(graph: Graph, dest: dict[str, Any], defined: dict[str, set[str]]) -> str:
    host, subset, port = dest["host"], dest["subset"], dest["port"]
    label = host + (f":{port}" if port else "")
    if subset:
        label += f" subset {subset}"
        if subset not in defined.get(host, set()):
            label += " (not defined)"
    return graph.node(f"dest:{host}|{subset}|{port or ''}", "destination", label)


def _gateway(graph: Graph, ref: str) -> str:
    label = "mesh (sidecars)" if ref == "mesh" else f"Gateway {ref}"
    return graph.node(f"gw:{ref}", "gateway", label)


def build(desc: Description) -> Graph:
    """The routing graph of a description; without a VirtualService, the default route to each service."""
    graph = Graph()
    defined = _defined_subsets(desc)
    for route in desc.routes:
        hosts = [graph.node(f"host:{h}", "host", h) for h in route["hosts"]]
        for ref in route["gateways"]:
            gw = _gateway(graph, ref)
            for host in hosts:
                graph.edge(Edge(gw, host, f"VirtualService {route['virtualService']}"))
        for host in hosts:
            for dest in route["destinations"]:
                graph.edge(Edge(host, _destination(graph, dest, defined), _percent(dest["weight"])))
            for mirror in route["mirrors"]:
                graph.edge(Edge(host, _destination(graph, mirror, defined), f"mirror {_percent(mirror['percentage'])}",
                                "mirror"))
    routed = {d["host"] for r in desc.routes for d in r["destinations"]}
    for svc in desc.services:
        if svc["host"] in routed:
            continue
        host = graph.node(f"host:{svc['host']}", "host", svc["host"])
        graph.edge(Edge(_gateway(graph, "mesh"), host, "default route"))
        dest = {"host": svc["host"], "subset": "", "port": None}
        graph.edge(Edge(host, _destination(graph, dest, defined), "100%"))
    return graph


def _ids(graph: Graph) -> dict[str, str]:
    return {node_id: f"n{i}" for i, node_id in enumerate(graph.nodes)}


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def render_mermaid(graph: Graph, title: str = "") -> str:
    """A Mermaid flowchart, left to right."""
    ids = _ids(graph)
    shapes = {"gateway": ('{{"', '"}}'), "host": ('(["', '"])'), "destination": ('["', '"]')}
    lines = ["flowchart LR"]
    if title:
        lines.append(f"  %% {title}")
    for node in graph.nodes.values():
        opening, closing = shapes[node.kind]
        lines.append(f"  {ids[node.id]}{opening}{_mermaid_text(node.label)}{closing}")
    for edge in graph.edges:
        arrow = "-.->" if edge.style == "mirror" else "-->"
        lines.append(f'  {ids[edge.source]} {arrow}|"{_mermaid_text(edge.label)}"| {ids[edge.target]}')
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def render_dot(graph: Graph, title: str = "routing") -> str:
    """A Graphviz digraph, left to right."""
    ids = _ids(graph)
    shapes = {"gateway": "hexagon", "host": "ellipse", "destination": "box"}
    lines = [f'digraph "{_dot_text(title)}" {{', "  rankdir=LR;"]
    for node in graph.nodes.values():
        lines.append(f'  {ids[node.id]} [label="{_dot_text(node.label)}", shape={shapes[node.kind]}];')
    for edge in graph.edges:
        style = ", style=dashed" if edge.style == "mirror" else ""
        lines.append(f'  {ids[edge.source]} -> {ids[edge.target]} [label="{_dot_text(edge.label)}"{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"
