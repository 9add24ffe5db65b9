"""Token and client-certificate kubeconfigs go through the direct urllib3 pool, not ``kubernetes``."""

from __future__ import annotations

import base64
import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from meshctl.cluster.client import get_client
from meshctl.cluster.direct import DirectApi, connect
from meshctl.cluster.kubeconfig import from_kubeconfig
from meshctl.cluster.options import ClusterOptions
from meshctl.errors import ClusterError
from tests.cluster.conftest import options

REPO = Path(__file__).resolve().parents[2]


def _config(fake_api: Any) -> dict[str, Any]:
    return dict(yaml.safe_load(Path(fake_api.kubeconfig).read_text()))


def _write(tmp_path: Path, config: dict[str, Any]) -> str:
    path = tmp_path / "kubeconfig"
    path.write_text(json.dumps(config))
    return str(path)


def test_token_kubeconfig_reads_without_importing_kubernetes(fake_api: Any) -> None:
    fake_api.add({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p1", "namespace": "default"}})
    script = ("import sys\n"
              "from meshctl.cluster.client import get_client\n"
              "from meshctl.cluster.options import ClusterOptions\n"
              f"names = [p['metadata']['name'] for p in get_client(ClusterOptions(kubeconfig={fake_api.kubeconfig!r}))"
              ".list('Pod', 'default')]\n"
              "print(names, 'kubernetes' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "['p1'] False"


def test_the_server_certificate_is_verified(fake_api: Any, tmp_path: Path) -> None:
    config = _config(fake_api)
    del config["clusters"][0]["cluster"]["certificate-authority"]  # the public bundle does not know the test CA
    client = get_client(ClusterOptions(kubeconfig=_write(tmp_path, config), timeout=5))
    with pytest.raises(ClusterError, match="TLS handshake failed"):
        client.list("Pod", "default")


def test_inline_ca_data_is_used(fake_api: Any, tmp_path: Path) -> None:
    config = _config(fake_api)
    cluster = config["clusters"][0]["cluster"]
    ca = Path(cluster.pop("certificate-authority")).read_bytes()
    cluster["certificate-authority-data"] = base64.b64encode(ca).decode()
    fake_api.add({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p2", "namespace": "default"}})
    client = get_client(ClusterOptions(kubeconfig=_write(tmp_path, config), timeout=5))
    assert isinstance(client._api, DirectApi)
    assert [p["metadata"]["name"] for p in client.list("Pod", "default")] == ["p2"]


@pytest.mark.parametrize(("section", "key", "value"), [
    ("users", "exec", {"apiVersion": "client.authentication.k8s.io/v1", "command": "true"}),
    ("users", "username", "admin"),
    ("clusters", "insecure-skip-tls-verify", True),
    ("clusters", "tls-server-name", "kubernetes"),
    ("clusters", "proxy-url", "http://127.0.0.1:3128"),
])
def test_other_settings_keep_the_kubernetes_loader(fake_api: Any, section: str, key: str, value: Any) -> None:
    config = copy.deepcopy(_config(fake_api))
    config[section][0][section[:-1]][key] = value
    assert connect(from_kubeconfig(config, None), "meshctl") is None


def test_token_kubeconfig_is_direct(fake_api: Any) -> None:
    assert isinstance(connect(from_kubeconfig(_config(fake_api), None), "meshctl"), DirectApi)
    assert isinstance(get_client(options(fake_api))._api, DirectApi)


def test_client_certificate_data_is_loaded(fake_api: Any, tmp_path: Path) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=tester"], check=True, capture_output=True)
    config = _config(fake_api)
    user = config["users"][0]["user"]
    del user["token"]
    user["client-certificate-data"] = base64.b64encode(cert.read_bytes()).decode()
    user["client-key-data"] = base64.b64encode(key.read_bytes()).decode()
    assert isinstance(connect(from_kubeconfig(config, None), "meshctl"), DirectApi)
    user["client-key-data"] = base64.b64encode(b"not a key").decode()
    assert connect(from_kubeconfig(config, None), "meshctl") is None  # the loader reports the bad key
