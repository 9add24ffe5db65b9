"""The analyzer index: every analyzer's name, module, inputs and codes, without importing analyzers.

``meshctl/analyzers/index.json`` is generated from the registry (``python -m
meshctl.analysis.analyzer_index``; ``tests/analyzers/test_analyzer_index.py`` fails when it is
stale). The pipeline selects analyzers from it and imports only the modules it will run: an
analyzer is not imported when the index records it as ``quiet`` (it reports nothing over the
snapshot of an input with no objects, in the default environment), the run's environment is that
default one, and none of its input kinds holds other objects than that snapshot's.
``--list-analyzers`` and the docs still import every analyzer.

A stale index never hides an analyzer: when the analyzer modules on disk are not the ones the
index lists, or a name asked for is not in it, the registry itself (every module imported) is used.
"""

from __future__ import annotations

import importlib
import json
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from meshctl.analysis.context import Environment
    from meshctl.analysis.registry import Analyzer
    from meshctl.snapshot import Snapshot

PACKAGE = "meshctl.analyzers"
ROOT = Path(__file__).resolve().parent.parent / "analyzers"
FILE = ROOT / "index.json"


class AnalyzerSpec(NamedTuple):
    """What the index knows about one analyzer."""

    name: str
    module: str
    inputs: tuple[str, ...]
    codes: tuple[str, ...]
    default: bool
    aliases: tuple[str, ...]
    quiet: bool

    def load(self) -> type[Analyzer]:
        """The analyzer class (its module imported)."""
        from meshctl.analysis.registry import registered

        importlib.import_module(self.module)
        found = registered(self.name)
        if found is None:  # the index is stale: the registry decides
            from meshctl.analysis.registry import all_analyzers

            return all_analyzers()[self.name]
        return found


def module_names() -> list[str]:
    """The analyzer modules on disk, sorted (one directory walk, nothing imported)."""
    names: list[str] = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
        rel = Path(folder).relative_to(ROOT).parts
        for file in files:
            if file.endswith(".py") and file != "__init__.py":
                names.append(".".join((PACKAGE, *rel, file[:-3])))
    return sorted(names)


def _spec(row: dict[str, Any]) -> AnalyzerSpec:
    return AnalyzerSpec(str(row["name"]), str(row["module"]), tuple(row["inputs"]), tuple(row["codes"]),
                        bool(row["default"]), tuple(row["aliases"]), bool(row["quiet"]))


@cache
def indexed() -> dict[str, AnalyzerSpec] | None:
    """Analyzers by name as the index lists them; None when it is missing or stale."""
    try:
        data = json.loads(FILE.read_text(encoding="utf-8"))
        if data.get("modules") != module_names():
            return None
        return {row["name"]: _spec(row) for row in data["analyzers"]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _from_registry() -> dict[str, AnalyzerSpec]:
    from meshctl.analysis.registry import all_analyzers

    return {name: AnalyzerSpec(name, cls.__module__, tuple(cls.inputs), tuple(cls.codes), cls.default,
                               tuple(cls.aliases), False)
            for name, cls in all_analyzers().items()}


def specs() -> dict[str, AnalyzerSpec]:
    """Every analyzer by name, sorted: from the index when it is current, else from the registry."""
    found = indexed()
    return found if found is not None else _from_registry()


def select(names: list[str] | None) -> list[AnalyzerSpec]:
    """The analyzers to run: the default set, or those named (names or aliases)."""
    from meshctl.analysis.registry import choose, unknown

    every = specs()
    if unknown(names, every.values()) and indexed() is not None:
        every = _from_registry()
    return choose(every.values(), names)


def default_environment() -> Environment:
    """The environment of a run with no mesh config, mesh networks or options given."""
    from meshctl import ISTIO_VERSION
    from meshctl.analysis.pipeline import ISTIO_VERSION_OPTION, AnalyzeRequest, build_environment

    env = build_environment(AnalyzeRequest())
    return type(env)(env.mesh_config, env.mesh_networks, env.istio_namespace, env.revision, env.clock,
                     env.cert_horizon, {ISTIO_VERSION_OPTION: ISTIO_VERSION})


def default_snapshot() -> Snapshot:
    """The snapshot of an input with no objects in the default environment (istioctl's synthetic
    ingress gateway Pod and Service only)."""
    from meshctl.analysis.environment import prepare
    from meshctl.snapshot import Snapshot

    env = default_environment()
    return Snapshot(prepare([], env.mesh_config, env.istio_namespace))


def _view(snapshot: Snapshot, kind: str) -> list[tuple[Any, ...]]:
    return [(r.namespace, r.name, r.body, r.origin) for r in snapshot.of_kind(kind)]


def changed_kinds(snapshot: Snapshot) -> set[str]:
    """The kinds whose objects in ``snapshot`` are not those of :func:`default_snapshot`."""
    base = default_snapshot()
    kinds = snapshot.kinds()
    return {k for k in kinds - base.kinds()} | \
        {k for k in base.kinds() if k not in kinds or _view(snapshot, k) != _view(base, k)}


def is_quiet(cls: type[Analyzer]) -> bool:
    """Whether the analyzer reports nothing (and does not fail) over :func:`default_snapshot`
    in the default environment."""
    from meshctl.analysis.engine import run_analyzers

    run = run_analyzers(default_snapshot(), [cls], default_environment())
    return not run.messages and not run.skipped


def generate() -> dict[str, Any]:
    """The index from the registry (imports and runs every analyzer once over nothing)."""
    from meshctl.analysis.registry import all_analyzers

    rows = [{"name": name, "module": cls.__module__, "inputs": list(cls.inputs), "codes": list(cls.codes),
             "default": cls.default, "aliases": list(cls.aliases), "quiet": is_quiet(cls)}
            for name, cls in all_analyzers().items()]
    return {"modules": module_names(), "analyzers": rows}


def render() -> str:
    """The text of ``index.json``."""
    return json.dumps(generate(), indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    FILE.write_text(render(), encoding="utf-8")
