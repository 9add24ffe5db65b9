"""A real kube-apiserver and etcd (``../shared/kube`` or ``KUBEBUILDER_ASSETS``) for the live tier of tests."""
