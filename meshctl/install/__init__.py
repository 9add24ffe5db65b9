"""Install Istio from its own Helm charts, rendered by Helm's engine.

What lives here: chart loading (:mod:`.charts`, local ``--charts`` or the cached/downloaded release),
value merging (:mod:`.config`, :mod:`.plan`), rendering (:mod:`.engine`, :mod:`.manifest`), apply with
ownership rules (:mod:`.apply`), the release record (:mod:`.release`), wait (:mod:`.readiness`), verify
(:mod:`.verify`) and uninstall (:mod:`.uninstall`); the use cases the CLI calls are in :mod:`.usecase`.

For other packages and tests, the plain renderer is::

    from meshctl.install.manifest import render_objects
    render_objects(profile: str = "default", set_values: Sequence[str] = (), charts_dir: Path | None = None,
                   revision: str | None = None, files: Sequence[str] = (), version: str = ISTIO_VERSION,
                   repo: str = ISTIO_REPO) -> list[dict[str, Any]]

It returns the objects ``meshctl manifest generate`` prints (e.g. the ``istio-sidecar-injector`` and
``istio`` ConfigMaps of the istiod chart), as Helm renders them; ``charts_dir`` is a directory of chart
folders or ``.tgz`` archives such as ``tests.conftest.SHARED_ISTIO / "charts"``.
"""
