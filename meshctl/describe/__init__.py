"""``meshctl describe``: what the mesh does to one pod or service, and a routing picture of it."""
