"""mTLS analyzers: PeerAuthentication against DestinationRules and sidecars."""
