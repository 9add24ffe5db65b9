"""Sources: where resources come from (files, stdin, the cluster, Envoy)."""
