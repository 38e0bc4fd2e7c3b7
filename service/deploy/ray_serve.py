"""The HTTP service on Ray Serve: the same FastAPI app, served by N replicas that each own a model engine.

    brief serve --ray [--replicas N] [--address ray://…] [--serve-config FILE]

Each replica builds the app with `create_app(settings)` (Serve runs its lifespan), so it has its own
model, bounded queue, metrics and job worker: health, limits, API keys and errors behave exactly as
in `brief serve`. Replicas share jobs through the job store: SQLite works for replicas on one
machine; across machines use PostgreSQL (`BRIEF_DATABASE_URL=postgresql://…`). Every response
carries `X-Brief-Replica`, the replica that answered. Replica count and autoscaling come from one
YAML file (`ray_serve.yaml` next to this module by default).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import ConfigError
from ..pipeline.brief import BriefPipeline
from ..settings import Settings

DEFAULT_CONFIG = Path(__file__).with_name("ray_serve.yaml")
APP_NAME = "brief"
REPLICA_HEADER = "X-Brief-Replica"


class Autoscaling(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_replicas: int = Field(1, ge=0)
    max_replicas: int = Field(4, ge=1)
    target_ongoing_requests: float = Field(2, gt=0)
    upscale_delay_s: float = Field(30, ge=0)
    downscale_delay_s: float = Field(600, ge=0)


class ServeConfig(BaseModel):
    """`ray_serve.yaml`: how many replicas, and what each one reserves."""

    model_config = ConfigDict(extra="forbid")
    num_replicas: int | None = Field(None, ge=1, description="fixed count; null = autoscale")
    autoscaling: Autoscaling = Autoscaling()
    max_ongoing_requests: int = Field(8, ge=1)
    cpus_per_replica: float = Field(2, gt=0)
    memory_gb_per_replica: float | None = Field(2.5, gt=0)
    health_check_period_s: float = Field(10, gt=0)

    @classmethod
    def load(cls, path: Path | None = None) -> ServeConfig:
        path = path or DEFAULT_CONFIG
        try:
            return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        except OSError as exc:
            raise ConfigError(f"cannot read the Serve config {path}: {exc.strerror}", f"check the path; the default is {DEFAULT_CONFIG}") from None
        except (yaml.YAMLError, ValidationError) as exc:
            raise ConfigError(f"the Serve config {path} is not valid: {exc}", f"compare it with {DEFAULT_CONFIG}") from None

    def deployment_options(self) -> dict[str, Any]:
        actor: dict[str, Any] = {"num_cpus": self.cpus_per_replica}
        if self.memory_gb_per_replica:
            actor["memory"] = int(self.memory_gb_per_replica * 1024**3)
        options: dict[str, Any] = {"ray_actor_options": actor, "max_ongoing_requests": self.max_ongoing_requests,
                                   "health_check_period_s": self.health_check_period_s}
        if self.num_replicas is not None:
            options["num_replicas"] = self.num_replicas
        else:
            options["autoscaling_config"] = self.autoscaling.model_dump()
        return options


class BriefReplica:
    """One Serve replica. Its HTTP app comes from `serve.ingress(builder)`; it holds no state of its own."""


def asgi_builder(settings: Settings, pipeline_factory: Callable[[], BriefPipeline] | None = None) -> Callable[[], Any]:
    """What each replica calls to build its app (evaluated on the replica, so nothing heavy is pickled)."""

    def build() -> Any:
        from fastapi import Request
        from ray import serve

        from ..api import create_app

        app = create_app(settings, pipeline_factory)
        replica = serve.get_replica_context().replica_id.unique_id

        @app.middleware("http")
        async def name_the_replica(request: Request, call_next: Any) -> Any:
            response = await call_next(request)
            response.headers[REPLICA_HEADER] = replica
            return response

        return app

    return build


def build_application(settings: Settings, config: ServeConfig | None = None,
                      pipeline_factory: Callable[[], BriefPipeline] | None = None) -> Any:
    """The Serve application (`serve.run(...)` it). Threads per model engine default to the replica's CPUs."""
    from ray import serve

    config = config or ServeConfig.load()
    if settings.threads is None:
        settings = settings.model_copy(update={"threads": max(1, int(config.cpus_per_replica))})
    deployment = serve.deployment(name="BriefReplica", **config.deployment_options())(
        serve.ingress(asgi_builder(settings, pipeline_factory))(BriefReplica)
    )
    return deployment.bind()


def run(settings: Settings, config: ServeConfig, address: str | None = None, blocking: bool = True) -> None:
    """Start (or join) Ray, start Serve's proxy on settings.host:port, deploy, and serve until interrupted."""
    from ray import serve

    from .ray_cluster import connect

    started = connect(address)
    try:
        serve.start(http_options={"host": settings.host, "port": settings.port})
        serve.run(build_application(settings, config), name=APP_NAME, route_prefix="/", blocking=blocking)
    finally:
        if blocking:
            serve.shutdown()
            if started:
                import ray

                ray.shutdown()
