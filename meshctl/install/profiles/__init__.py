"""Install profiles as data: one IstioOperator-like YAML per profile, overlaid on ``default``."""
