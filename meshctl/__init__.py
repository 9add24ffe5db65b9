"""meshctl: a fast, CI-honest command-line tool for Istio service meshes."""

__version__ = "0.1.0"
ISTIO_VERSION = "1.28.0"
