"""Connecting to Ray: an existing cluster (`--address` / `RAY_ADDRESS`) or a local one sized to this machine.

A local Ray started here has no dashboard, a small object store (briefs are kilobytes), no usage
statistics and no authentication token written to disk; it stops when the command ends.
"""

from __future__ import annotations

import logging
import os
from typing import Any

# Set before Ray reads them: no usage report, no token file (a local instance listens on loopback only),
# and workers at normal priority (Ray's default niceness 15 would starve the model on a busy machine).
QUIET_ENV = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled", "RAY_DEDUP_LOGS": "0", "RAY_worker_niceness": "0"}
LOCAL_OBJECT_STORE_MB = 256


def quiet_environment() -> None:
    for name, value in QUIET_ENV.items():
        os.environ.setdefault(name, value)


def connect(address: str | None = None, num_cpus: int | None = None, object_store_mb: int = LOCAL_OBJECT_STORE_MB) -> bool:
    """Join the cluster at `address` (or `RAY_ADDRESS`), or start a local one. Returns True when this call started Ray.

    Already connected (tests, notebooks): nothing is done and False is returned.
    """
    quiet_environment()
    import ray

    if ray.is_initialized():
        return False
    address = address or os.environ.get("RAY_ADDRESS") or None
    common: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": True, "configure_logging": True}
    if address:
        ray.init(address=address, **common)
        return True
    ray.init(num_cpus=num_cpus or os.cpu_count() or 1, include_dashboard=False,
             object_store_memory=object_store_mb * 1024 * 1024, **common)
    return True


def cluster_cpus() -> int:
    import ray

    return int(ray.cluster_resources().get("CPU", 1))
