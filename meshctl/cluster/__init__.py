"""The one place that talks to the Kubernetes API. Imports ``kubernetes`` lazily."""
