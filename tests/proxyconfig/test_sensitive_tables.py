"""The redaction tables are generated from Envoy's API (udpa.annotations.sensitive) and are current."""

from __future__ import annotations

import importlib.metadata
import re

import pytest

from meshctl.envoy import sensitive_data
from meshctl.envoy.sensitive_data import PATHS, SENSITIVE
from tests.conftest import REPO


def test_generated_module_matches_the_installed_protos() -> None:
    pytest.importorskip("udpa.annotations.sensitive_pb2")
    try:
        installed = importlib.metadata.version("xds-protos")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("xds-protos is not installed")
    text = (REPO / "meshctl/envoy/sensitive_data.py").read_text()
    generated_from = re.search(r"from xds-protos (\S+):", text)
    assert generated_from is not None
    if generated_from.group(1) != installed:
        pytest.skip(f"tables generated from xds-protos {generated_from.group(1)}, {installed} installed")
    from meshctl.envoy.sensitive_gen import render

    assert render(installed) == text, "stale: run python -m meshctl.envoy.sensitive_gen"


def test_the_fields_the_issue_names_are_in_the_tables() -> None:
    tls = SENSITIVE["envoy.extensions.transport_sockets.tls.v3.TlsCertificate"]
    assert {"private_key", "privateKey", "pkcs12", "password"} <= tls
    assert "users" in SENSITIVE["envoy.extensions.filters.http.basic_auth.v3.BasicAuth"]
    assert "keys" in SENSITIVE["envoy.extensions.transport_sockets.tls.v3.TlsSessionTicketKeys"]
    secret = PATHS["envoy.extensions.transport_sockets.tls.v3.Secret"]
    assert secret["tls_certificate"] == "envoy.extensions.transport_sockets.tls.v3.TlsCertificate"
    assert sensitive_data.__doc__ and "do not edit" in sensitive_data.__doc__


def test_a_damaged_type_still_has_its_sensitive_fields_redacted() -> None:
    from meshctl.envoy.redact import MARK, redact

    basic_auth = {"@type": "type.googleapis.com/envoy.extensions.filters.http.basic_auth.v3.BasicAnulluth",
                  "users": {"inline_string": "user:hunter2"}, "forward_username_header": "x-user"}
    out = redact({"name": "envoy.filters.http.basic_auth", "typed_config": basic_auth})
    assert out["typed_config"]["users"] == {"inline_string": MARK}
    assert out["typed_config"]["forward_username_header"] == "x-user"
    # a value that names its own type is judged by that type: a Secret's certificate stays, its key goes
    secret = {"name": "s", "secret": {"@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret",
                                      "tls_certificate": {"certificate_chain": {"inline_string": "CERT"},
                                                          "private_key": {"inline_string": "KEY"}}}}
    shown = redact({"unknown_wrapper": secret})["unknown_wrapper"]["secret"]["tls_certificate"]
    assert shown == {"certificate_chain": {"inline_string": "CERT"}, "private_key": {"inline_string": MARK}}
