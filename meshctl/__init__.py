"""meshctl: a fast, CI-honest command-line tool for Istio service meshes."""

__version__ = "0.1.0"
ISTIO_VERSION = "1.28.0"
#: Where Istio's images come from; install and kube-inject both default to ``ISTIO_HUB/NAME:ISTIO_VERSION``.
ISTIO_HUB = "docker.io/istio"
