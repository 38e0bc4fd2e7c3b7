"""Running the service beyond one process: Ray (`ray_cluster.py` connects, `ray_serve.py` serves replicas)."""
