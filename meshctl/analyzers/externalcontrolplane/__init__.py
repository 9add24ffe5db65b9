"""externalcontrolplane analyzers."""
