"""The package's shape: no import circles, and only the cluster and source layers talk to Kubernetes."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "meshctl"
#: Only these packages may make cluster clients or speak HTTP.
TRANSPORT_LAYERS = ("meshctl.cluster", "meshctl.sources")
#: Modules that make clients (``get_client``), resolve kubeconfigs or open connections, and the HTTP libraries.
TRANSPORT = ("meshctl.cluster.client", "meshctl.cluster.transport", "meshctl.cluster.portforward",
             "meshctl.cluster.kubeconfig", "kubernetes",
             "httpx", "requests", "urllib3", "aiohttp", "http.client", "urllib.request")
#: Command modules that still make their own cluster client. Their owners are moving this into
#: ``sources/``; the list may only shrink (a test fails when an entry no longer needs to be here).
KNOWN_VIOLATIONS: dict[str, set[str]] = {}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The modules an import statement names (``from a import b`` is ``a.b`` when that is a module)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    for alias in node.names:
        full = f"{base}.{alias.name}"
        yield full if full in MODULES else base


def _import_time_statements(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported (not inside functions, not TYPE_CHECKING-only)."""
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        elif isinstance(node, ast.If | ast.Try | ast.With):
            yield from (n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom))


def _own(name: str) -> str | None:
    """The meshctl module an import name lands in (``meshctl.a.b.C`` -> ``meshctl.a.b``)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> dict[str, set[str]]:
    """Module -> the meshctl modules (and their parent packages) it imports at import time."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        deps: set[str] = set()
        for node in _import_time_statements(ast.parse(path.read_text(encoding="utf-8"))):
            for name in _targets(module, node):
                target = _own(name) if name.startswith("meshctl") else None
                while target and target != "meshctl":
                    if target != module and not module.startswith(target + "."):
                        deps.add(target)
                    target = target.rpartition(".")[0]
        graph[module] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles() -> None:
    graph = import_graph()
    assert len(graph) > 100 and graph["meshctl.cli.analyze"], "the walk found no imports"
    assert cycles(graph) == []


def transport_imports() -> dict[str, set[str]]:
    """Module outside the transport layers -> the transport modules it imports (anywhere in it)."""
    out: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        if module.startswith(TRANSPORT_LAYERS):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {name for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
                 for name in _targets(module, node)}
        bad = {n for n in names if any(n == t or n.startswith(t + ".") for t in TRANSPORT)}
        if bad:
            out[module] = bad
    return out


def test_only_cluster_and_sources_talk_to_kubernetes() -> None:
    found = transport_imports()
    new = {m: sorted(v - KNOWN_VIOLATIONS.get(m, set())) for m, v in found.items()
           if v - KNOWN_VIOLATIONS.get(m, set())}
    assert not new, f"cluster clients or HTTP outside cluster/ and sources/: {new}"


def test_known_violations_are_still_violations() -> None:
    found = transport_imports()
    fixed = sorted(m for m in KNOWN_VIOLATIONS if m not in found)
    assert not fixed, f"remove these from KNOWN_VIOLATIONS, they no longer import a client: {fixed}"
