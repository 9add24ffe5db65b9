"""``meshctl inject enable|disable|status|iptables``, ``kube-inject`` and ``check-inject``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from meshctl.cli import options as o
from meshctl.cli.output import emit, note
from meshctl.errors import ClusterError, InputError, UsageError

app = typer.Typer(help="Sidecar injection: namespace labels and the iptables preview.", no_args_is_help=True)

Revision = Annotated[str | None, typer.Option("--revision", "-r", help="Istio revision (istio.io/rev).")]
InjectionConfig = Annotated[str | None, typer.Option(
    "--injection-config", "--injectConfigFile",
    help="The istio-sidecar-injector ConfigMap (or its values) instead of the cluster's.")]
MeshConfig = Annotated[str | None, typer.Option(
    "--mesh-config", "--meshConfigFile", help="Mesh config (or the istio ConfigMap) not the cluster's.")]
ValuesFile = Annotated[str | None, typer.Option(
    "--values", "--valuesFile", help="Helm values (or an IstioOperator) instead of the cluster's.")]
UseKube = Annotated[bool | None, typer.Option(
    "--use-kube/--no-use-kube",
    help="Read values from the cluster (default: when no value files are given and a kubeconfig exists).")]
NativeSidecar = Annotated[bool, typer.Option(
    "--native-sidecar", help="Inject istio-proxy as a native sidecar (an init container).")]
TABLE_FORMATS = ("table", "json", "yaml")


def _client(kubeconfig: str | None, context: str | None, timeout: float) -> Any:
    return o.cluster_client(kubeconfig, context, timeout)


def _kube_available(kubeconfig: str | None, context: str | None) -> bool:
    if kubeconfig or context or os.environ.get("KUBECONFIG"):
        return True
    return (Path.home() / ".kube" / "config").is_file() or "KUBERNETES_SERVICE_HOST" in os.environ


def _values(injection_config: str | None, mesh_config: str | None, values_file: str | None,
            revision: str | None, native: bool, use_kube: bool | None, kubeconfig: str | None,
            context: str | None, timeout: float, istio_namespace: str) -> Any:
    """InjectionValues from files, else the cluster's ConfigMaps, else meshctl's defaults."""
    from meshctl.inject import values as v
    from meshctl.mesh import deep_merge

    helm: dict[str, Any] = {}
    mesh: dict[str, Any] = {}
    offline = bool(injection_config or mesh_config or values_file)
    if use_kube or (use_kube is None and not offline and _kube_available(kubeconfig, context)):
        from meshctl.inject.fetch import injector_values

        helm, mesh = injector_values(_client(kubeconfig, context, timeout), istio_namespace, revision)
    if injection_config:
        helm = deep_merge(helm, v.injection_config_from_file(injection_config))
    if values_file:
        helm = deep_merge(helm, v.values_from_file(values_file))
    if mesh_config:
        mesh = deep_merge(mesh, v.mesh_from_file(mesh_config))
    return v.build_values(helm, mesh, revision, native)


def _labels_after(labels: dict[str, str], patch: dict[str, Any] | None) -> dict[str, str]:
    """The labels once a merge patch of ``metadata.labels`` is applied (None deletes)."""
    changes = ((patch or {}).get("metadata") or {}).get("labels") or {}
    after = {k: v for k, v in labels.items() if k not in changes}
    after.update({k: v for k, v in changes.items() if v is not None})
    return dict(sorted(after.items()))


def _patch_namespace(action: str, namespace: str | None, revision: str | None, dry_run: str | None,
                     output: str, kubeconfig: str | None, context: str | None, timeout: float) -> None:
    from meshctl.inject.namespaces import describe_patch, disable_patch, enable_patch
    from meshctl.report.structured import render_data

    table = o.table_format(output) == "table"
    mode = o.dry_run_mode(dry_run)
    client = _client(kubeconfig, context, timeout)
    ns = namespace or client.default_namespace
    obj = client.get("Namespace", ns)
    if obj is None:
        raise ClusterError(f"namespace {ns} not found")
    labels = (obj.get("metadata") or {}).get("labels") or {}
    patch = enable_patch(labels, revision) if action == "enable" else disable_patch(labels)
    after = _labels_after(labels, patch)
    if patch is not None and mode != "client":
        patched = client.merge_patch("Namespace", ns, patch, dry_run=mode == "server")
        after = dict(sorted(((patched or {}).get("metadata") or {}).get("labels", after).items()))
    if not table:
        emit(render_data({"namespace": ns, "labels": after, "changed": patch is not None}, output))
    elif patch is None:
        emit(f"namespace/{ns} unchanged: injection already {action}d\n")
    elif mode == "client":
        emit(f"namespace/{ns} would be labelled {describe_patch(patch)} (dry run)\n{json.dumps(patch)}\n")
    else:
        suffix = " (server dry run)" if mode == "server" else ""
        emit(f"namespace/{ns} labelled {describe_patch(patch)}{suffix}\n")


NamespaceOutput = Annotated[str, typer.Option(
    "--output", "-o", help="table, json or yaml ({namespace, labels (after), changed}).")]


@app.command("enable")
def enable(namespace: o.Namespace = None, revision: Revision = None, dry_run: o.DryRun = None,
           output: NamespaceOutput = "table", kubeconfig: o.Kubeconfig = None, context: o.Context = None,
           timeout: o.Timeout = 30.0, debug: o.Debug = False) -> None:
    """Label a namespace for injection (istio-injection=enabled, or istio.io/rev=REV)."""
    o.label_value(revision, "--revision")
    _patch_namespace("enable", namespace, revision, dry_run, output, kubeconfig, context, timeout)


@app.command("disable")
def disable(namespace: o.Namespace = None, dry_run: o.DryRun = None, output: NamespaceOutput = "table",
            kubeconfig: o.Kubeconfig = None, context: o.Context = None, timeout: o.Timeout = 30.0,
            debug: o.Debug = False) -> None:
    """Remove a namespace's injection labels, keeping every other label."""
    _patch_namespace("disable", namespace, None, dry_run, output, kubeconfig, context, timeout)


def _render_status(statuses: list[Any], output: str) -> str:
    import yaml

    if output == "json":
        return json.dumps([s.as_dict() for s in statuses], indent=2) + "\n"
    if output == "yaml":
        return yaml.safe_dump([s.as_dict() for s in statuses], sort_keys=False)
    rows = [["NAMESPACE", "ISTIO-INJECTION", "REVISION", "WEBHOOK", "NEEDS RESTART"]]
    for s in statuses:
        restarts = ", ".join(f"{r.pod} ({r.reason})" for r in s.restarts) or "-"
        hooks = ", ".join(s.webhooks) or "-"
        rows.append([s.namespace, s.injection or "-", s.revision or "-", hooks, restarts])
    from meshctl.inject.checks import table

    return table(rows, gap=3)


@app.command("status")
def status(namespace: o.Namespace = None, all_namespaces: o.AllNamespaces = False,
           output: o.Output = "table", kubeconfig: o.Kubeconfig = None, context: o.Context = None,
           timeout: o.Timeout = 30.0, debug: o.Debug = False) -> None:
    """Per namespace: injection label, revision, the webhook that acts, pods that need a restart."""
    if output not in TABLE_FORMATS:
        raise UsageError(f"unknown output format {output!r}; use one of {', '.join(TABLE_FORMATS)}")
    from meshctl.inject.fetch import webhook_configs
    from meshctl.inject.namespaces import namespace_status

    client = _client(kubeconfig, context, timeout)
    configs = webhook_configs(client)
    if all_namespaces:
        namespaces = client.list("Namespace")
        pods = client.list("Pod")
    else:
        from meshctl.inject.fetch import namespace as get_ns

        ns = namespace or client.default_namespace
        namespaces, pods = [get_ns(client, ns)], client.list("Pod", namespace=ns)
    statuses = []
    for ns_obj in sorted(namespaces, key=lambda n: n["metadata"]["name"]):
        name = ns_obj["metadata"]["name"]
        mine = [p for p in pods if (p.get("metadata") or {}).get("namespace", name) == name]
        statuses.append(namespace_status(ns_obj, configs, mine))
    emit(_render_status(statuses, output))


def _iptables_targets(pod: str | None, filename: list[str] | None, namespace: str | None,
                      kubeconfig: str | None, context: str | None, timeout: float) -> list[Any]:
    from meshctl.inject.engine import pod_template
    from meshctl.resource import Resource
    from meshctl.sources.files import load_paths

    if filename:
        found = [r for r in load_paths(filename) if pod_template(r.body) is not None]
        if pod:
            found = [r for r in found if r.name == pod.rpartition("/")[2]]
        if not found:
            raise InputError("no pod or workload with a pod template in the given files")
        return found
    if not pod:
        raise UsageError("give a pod name or -f FILE")
    client = _client(kubeconfig, context, timeout)
    obj = client.get("Pod", pod, namespace=namespace)
    if obj is None:
        raise ClusterError(f"pod {pod} not found")
    return [Resource.from_dict(obj)]


@app.command("iptables")
def iptables(
    pod: Annotated[str | None, typer.Argument(help="Pod in the cluster (or a name in -f files).")] = None,
    filename: o.Filename = None, namespace: o.Namespace = None,
    fmt: Annotated[str, typer.Option("--format", help="save (iptables-save) or restore (istio-init's log).")]
    = "save",
    injection_config: InjectionConfig = None, mesh_config: MeshConfig = None, values_file: ValuesFile = None,
    use_kube: UseKube = None, istio_namespace: o.IstioNamespace = "istio-system",
    kubeconfig: o.Kubeconfig = None, context: o.Context = None, timeout: o.Timeout = 30.0,
    debug: o.Debug = False,
) -> None:
    """The nat rules istio-init installs, from the same arguments kube-inject writes."""
    if fmt not in ("save", "restore"):
        raise UsageError(f"--format must be save or restore, not {fmt!r}")
    from meshctl.inject import iptables as ipt
    from meshctl.inject.annotations import INIT_NAME
    from meshctl.inject.engine import pod_template
    from meshctl.inject.podspec import capture_for_template

    render = ipt.render_save if fmt == "save" else ipt.render_restore
    targets = _iptables_targets(pod, filename, namespace, kubeconfig, context, timeout)
    values = None
    chunks = []
    for res in targets:
        tpl = pod_template(res.body) or {}
        init = [c for c in (tpl.get("spec") or {}).get("initContainers") or [] if c.get("name") == INIT_NAME]
        if not init and (skip := ipt.not_injected(tpl)):
            note(f"{res.friendly_name()} will not be injected ({skip}): no istio-init, no nat rules")
            continue
        if init:
            cfg = ipt.from_args([str(x) for x in init[0].get("args") or []])
        else:
            values = values or _values(injection_config, mesh_config, values_file, None, False, use_kube,
                                       kubeconfig, context, timeout, istio_namespace)
            cfg = capture_for_template(tpl, values)
        header = f"# {res.friendly_name()}\n" if len(targets) > 1 else ""
        chunks.append(header + (render(cfg) or "# no traffic capture (interception mode NONE)\n"))
    emit("".join(chunks))


def kube_inject(
    filename: Annotated[list[str], typer.Option("--filename", "-f", help="Manifest file, or - for stdin.")],
    output_file: Annotated[str | None, typer.Option(
        "--output-file", "-o", "--output",
        help="Write the injected manifest to this file instead of stdout (not a format: kube-inject writes YAML).")]
    = None,
    native_sidecar: NativeSidecar = False, revision: Revision = None,
    injection_config: InjectionConfig = None, mesh_config: MeshConfig = None, values_file: ValuesFile = None,
    use_kube: UseKube = None, istio_namespace: o.IstioNamespace = "istio-system",
    kubeconfig: o.Kubeconfig = None, context: o.Context = None, timeout: o.Timeout = 30.0,
    debug: o.Debug = False,
) -> None:
    """Inject the Istio sidecar into pods and pod templates in a manifest."""
    if output_file in o.TABLE_FORMATS:
        raise UsageError(f"-o/--output-file is the file to write, not a format (kube-inject always writes "
                         f"YAML); to write a file named {output_file!r}, use -o ./{output_file} "
                         "or redirect stdout")
    from meshctl.inject.manifests import inject_text
    from meshctl.sources.files import expand_paths, read_text

    values = _values(injection_config, mesh_config, values_file, revision, native_sidecar, use_kube,
                     kubeconfig, context, timeout, istio_namespace)
    warnings: list[str] = []
    parts = [inject_text(read_text(p), p, values, warnings) for p in expand_paths(filename)]
    for warning in warnings:
        note(f"Warning: {warning}")
    text = "---\n".join(p for p in parts if p)
    if output_file:
        try:
            Path(output_file).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{output_file}: cannot write ({exc.strerror})") from exc
        return
    emit(text)


def _check_subjects(pod: str | None, selector: str | None, filename: list[str] | None, namespace: str | None,
                    kubeconfig: str | None, context: str | None, timeout: float
                    ) -> tuple[list[Any], Any, Any]:
    """(subjects, webhook configurations, namespace-labels lookup) from files or the cluster."""
    from meshctl.inject import subjects as s

    if filename:
        from meshctl.sources.files import load_paths

        resources = load_paths(filename)
        configs = [r.body for r in resources if r.kind == "MutatingWebhookConfiguration"]
        ns_objs = {r.name: r.labels for r in resources if r.kind == "Namespace"}
        if configs:
            _note_foreign_webhooks(configs)
        else:
            configs = _cluster_webhooks(resources, kubeconfig, context, timeout)
        found = s.select(resources, namespace, namespace or "default", pod, selector)
        if not found and not pod and not selector:
            found = [s.namespace_subject(namespace or "default")]
        return found, configs, lambda ns: ns_objs.get(ns, {})
    from meshctl.inject.fetch import namespace as get_ns
    from meshctl.inject.fetch import webhook_configs
    from meshctl.resource import Resource

    client = _client(kubeconfig, context, timeout)
    ns = namespace or client.default_namespace
    if pod:
        kind, _, name = pod.rpartition("/")
        from meshctl.kinds import KINDS

        key = next((k for k, i in KINDS.items() if kind.lower() in (k.lower(), i.plural)), "Pod")
        obj = client.get(key, name, namespace=ns)
        if obj is None:
            raise ClusterError(f"{pod} not found in namespace {ns}")
        found = [x for x in [s.to_subject(Resource.from_dict(obj), ns)] if x]
    elif selector:
        found = [x for x in (s.to_subject(Resource.from_dict(p), ns)
                             for p in client.list("Pod", namespace=ns, label_selector=selector)) if x]
    else:
        found = [s.namespace_subject(ns)]
    labels = {ns: (get_ns(client, ns).get("metadata") or {}).get("labels") or {}}
    return found, webhook_configs(client), lambda n: labels.get(n, {})


def _note_foreign_webhooks(configs: list[dict[str, Any]]) -> None:
    """Say so when the webhook configurations given in files hold no Istio injector at all."""
    from meshctl.inject.webhooks import is_istio_webhook

    if any(is_istio_webhook(c) for c in configs):
        return
    names = ", ".join(str((c.get("metadata") or {}).get("name", "?")) for c in configs)
    note(f"Note: none of the {len(configs)} MutatingWebhookConfiguration(s) in the given files ({names}) is an "
         "Istio injector (no webhook named *istio.io); the cluster's webhooks were not read")


def _cluster_webhooks(resources: list[Any], kubeconfig: str | None, context: str | None,
                      timeout: float) -> list[dict[str, Any]]:
    """The cluster's webhook configurations, for files that hold none; the error says why they were read."""
    others = [f"{r.kind} {r.name}" for r in resources if r.kind.endswith("WebhookConfiguration")]
    found = f" (only {', '.join(others)}, which is not mutating)" if others else ""
    try:
        configs = list(_client(kubeconfig, context, timeout).list("MutatingWebhookConfiguration"))
    except ClusterError as exc:
        raise ClusterError(f"the given files hold no MutatingWebhookConfiguration{found}, and the cluster's "
                           f"could not be read: {exc}") from None
    note(f"Note: the given files hold no MutatingWebhookConfiguration{found}; using the cluster's")
    return configs


def check_inject(
    pod: Annotated[str | None, typer.Argument(help="Pod name, or kind/name for a workload.")] = None,
    namespace: o.Namespace = None,
    selector: Annotated[str | None, typer.Option("--selector", "-l", help="Pods with these labels.")] = None,
    filename: o.Filename = None,
    output: Annotated[str, typer.Option("--output", "-o", help="table, json, yaml, log, sarif or junit.")]
    = "table",
    failure_threshold: Annotated[str, typer.Option(
        "--failure-threshold", help="Exit 79 at this level: Error (2+ injectors), Warning (not injected).")]
    = "Error",
    kubeconfig: o.Kubeconfig = None, context: o.Context = None, timeout: o.Timeout = 30.0,
    debug: o.Debug = False,
) -> None:
    """Explain, per mutating webhook, whether pods will be injected and why."""
    from meshctl.analysis.result import Result
    from meshctl.cli.findings import level
    from meshctl.inject import checks

    threshold = level(failure_threshold, "--failure-threshold")
    if selector is not None:
        from meshctl.analysis.selectors import selector_syntax_error

        problem = selector_syntax_error(selector)
        if problem:
            raise UsageError(f"invalid label selector -l {selector!r}: {problem}")
    if output not in (*TABLE_FORMATS, "log", "sarif", "junit"):
        raise UsageError(f"unknown output format {output!r}; use table, json, yaml, log, sarif or junit")
    found, configs, ns_labels = _check_subjects(pod, selector, filename, namespace,
                                                kubeconfig, context, timeout)
    if not found:
        note("no pods matched")
    results = [checks.check(x.resource, x.labels, ns_labels(x.namespace), configs) for x in found]
    result = Result(checks.messages(results), failure_threshold=threshold, analyzers=("check-inject",))
    if output in TABLE_FORMATS:
        emit(checks.render(results, output))
    else:
        from meshctl.report import renderer

        emit(renderer(output)(result))
    raise typer.Exit(int(result.exit_code))
