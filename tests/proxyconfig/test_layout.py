"""The house shape of proxy-config, proxy-status and describe: pure model packages, fetching in sources/,
no import circle among the command modules, no command registered as an import side effect."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

PURE = ("meshctl/envoy", "meshctl/describe")
FORBIDDEN = ("meshctl.cluster", "meshctl.sources", "meshctl.cli", "httpx", "kubernetes")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


@pytest.mark.parametrize("path", sorted(p for d in PURE for p in (REPO / d).glob("*.py")
                                        if p.name != "sensitive_gen.py"), ids=lambda p: p.name)
def test_model_packages_do_not_fetch(path: Path) -> None:
    # The loading layer's parsers (guards on hostile JSON) are allowed: they read no source.
    bad = sorted(n for n in _imports(path) if n.startswith(FORBIDDEN) and not n.startswith("meshctl.sources.loading"))
    assert not bad, f"{path.relative_to(REPO)} imports {bad}"


def _module(path: Path) -> str:
    return ".".join(path.relative_to(REPO).with_suffix("").parts)


def test_no_import_circle_among_the_command_modules() -> None:
    paths = [*sorted((REPO / "meshctl/cli").glob("proxy_*.py")), REPO / "meshctl/cli/describe.py",
             *sorted((REPO / "meshctl/envoy").glob("*.py")), *sorted((REPO / "meshctl/describe").glob("*.py")),
             REPO / "meshctl/sources/envoy.py"]
    modules = {_module(p): p for p in paths}
    graph = {m: {n for n in modules if n != m and any(i == n or i.startswith(n + ".") for i in _imports(p))}
             for m, p in modules.items()}

    def visit(node: str, stack: list[str]) -> None:
        assert node not in stack, f"import circle: {' -> '.join([*stack[stack.index(node):], node])}"
        for nxt in graph[node]:
            visit(nxt, [*stack, node])

    for module in graph:
        visit(module, [])


def test_only_proxy_config_registers_pc_commands() -> None:
    tree = ast.parse((REPO / "meshctl/cli/proxy_config_endpoints.py").read_text())
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "command"]
    assert calls == [], "proxy_config_endpoints.py must not register commands"
    from meshctl.cli.proxy_config import app

    names = {c.name for c in app.registered_commands}
    assert {"endpoints", "endpoint", "ep", "clusters", "bootstrap", "ecds", "secrets"} <= names
