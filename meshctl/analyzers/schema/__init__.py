"""Schema validation analyzers, one per Istio kind (istioctl's schema.ValidationAnalyzer.<Kind>)."""
