"""Start a real etcd and kube-apiserver on loopback, with token users and an admin kubeconfig.

The binaries come from ``KUBEBUILDER_ASSETS`` when set, else ``../shared/kube`` beside the repository.
There is no controller-manager, scheduler or kubelet: objects are stored and served, nothing reconciles them.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

REPO = Path(__file__).resolve().parents[2]
ADMIN_TOKEN = "meshctl-test-admin-token"


def assets_dir() -> Path | None:
    """Where kube-apiserver and etcd are, or None when neither place has them."""
    for candidate in (os.environ.get("KUBEBUILDER_ASSETS"), str(REPO.parent / "shared" / "kube")):
        if candidate and (Path(candidate) / "kube-apiserver").is_file() and (Path(candidate) / "etcd").is_file():
            return Path(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _write_serving_cert(workdir: Path) -> tuple[Path, Path, Path]:
    """A CA and a serving certificate for 127.0.0.1/localhost; returns (ca, cert, key) paths."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "meshctl-test-ca")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
          .not_valid_after(now + dt.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kube-apiserver")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = (workdir / "ca.crt", workdir / "server.crt", workdir / "server.key")
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


def _write_sa_key(workdir: Path) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = workdir / "sa.key"
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return path


@dataclass
class RealKube:
    """A running etcd + kube-apiserver pair; ``users`` maps a token user's name to its token."""

    workdir: Path
    assets: Path
    users: dict[str, str] = field(default_factory=dict)
    url: str = ""
    ca_file: str = ""
    _procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, users: dict[str, tuple[str, ...]] | None = None, timeout: float = 60.0) -> RealKube:
        """Start etcd and the API server; ``users`` maps extra token users to their groups."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        ca, cert, key = _write_serving_cert(self.workdir)
        self.ca_file = str(ca)
        sa_key = _write_sa_key(self.workdir)
        tokens = {"admin": ("system:masters",), **(users or {})}
        lines = []
        for index, (name, groups) in enumerate(tokens.items()):
            token = ADMIN_TOKEN if name == "admin" else f"token-{name}-{index}"
            self.users[name] = token
            lines.append(f'{token},{name},uid-{index},"{",".join(groups)}"')
        (self.workdir / "tokens.csv").write_text("\n".join(lines) + "\n")
        etcd_client, etcd_peer = _free_port(), _free_port()
        self._spawn("etcd", [
            str(self.assets / "etcd"), "--data-dir", str(self.workdir / "etcd"),
            "--listen-client-urls", f"http://127.0.0.1:{etcd_client}",
            "--advertise-client-urls", f"http://127.0.0.1:{etcd_client}",
            "--listen-peer-urls", f"http://127.0.0.1:{etcd_peer}",
            "--initial-advertise-peer-urls", f"http://127.0.0.1:{etcd_peer}",
            "--initial-cluster", f"default=http://127.0.0.1:{etcd_peer}",
            "--unsafe-no-fsync",
        ])
        port = _free_port()
        self.url = f"https://127.0.0.1:{port}"
        self._spawn("kube-apiserver", [
            str(self.assets / "kube-apiserver"), f"--etcd-servers=http://127.0.0.1:{etcd_client}",
            "--bind-address=127.0.0.1", f"--secure-port={port}", "--service-cluster-ip-range=10.96.0.0/16",
            f"--tls-cert-file={cert}", f"--tls-private-key-file={key}", f"--client-ca-file={ca}",
            f"--service-account-key-file={sa_key}", f"--service-account-signing-key-file={sa_key}",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            "--authorization-mode=RBAC", f"--token-auth-file={self.workdir / 'tokens.csv'}",
            f"--cert-dir={self.workdir / 'certs'}", "--disable-admission-plugins=ServiceAccount",
        ])
        self._wait_ready(timeout)
        return self

    def _spawn(self, name: str, argv: list[str]) -> None:
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        self._procs.append(subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir))

    def _wait_ready(self, timeout: float) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for proc in self._procs:
                if proc.poll() is not None:
                    raise RuntimeError(f"{proc.args[0]} exited: see {self.workdir}")
            try:
                if self.request("GET", "/readyz", raw=True) == "ok":
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"kube-apiserver not ready after {timeout}s: see {self.workdir}")

    def stop(self) -> None:
        """Stop the API server, then etcd."""
        for proc in reversed(self._procs):
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        self._procs.clear()
        shutil.rmtree(self.workdir / "etcd", ignore_errors=True)

    # ---- direct access for arranging tests (not meshctl's client) ----
    def request(self, method: str, path: str, body: Any = None, user: str = "admin", raw: bool = False,
                content_type: str = "application/json", query: str = "") -> Any:
        """One HTTP request as ``user``; JSON decoded unless ``raw``. Raises HTTPError on >= 400."""
        data = None
        if body is not None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        url = f"{self.url}{path}" + (f"?{query}" if query else "")
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Authorization", f"Bearer {self.users[user]}")
        if data is not None:
            req.add_header("Content-Type", content_type)
        ctx = ssl.create_default_context(cafile=self.ca_file)
        with urllib.request.urlopen(req, context=ctx, timeout=30) as resp:  # noqa: S310 - loopback
            text = resp.read().decode()
        return text if raw else (json.loads(text) if text else None)

    def kubeconfig(self, path: Path, user: str = "admin", namespace: str = "default") -> Path:
        """Write a kubeconfig for ``user`` (TLS verified against the test CA) and return its path."""
        config = {
            "apiVersion": "v1", "kind": "Config", "current-context": "real",
            "clusters": [{"name": "real", "cluster": {"server": self.url, "certificate-authority": self.ca_file}}],
            "users": [{"name": user, "user": {"token": self.users[user]}}],
            "contexts": [{"name": "real", "context": {"cluster": "real", "user": user, "namespace": namespace}}],
        }
        path.write_text(json.dumps(config))
        return path
