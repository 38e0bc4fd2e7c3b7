"""`brief serve`: the HTTP API and editors' page (FastAPI on uvicorn). The Dockerfile runs the same."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import ConfigError
from ..models.config import load_model_config
from ..settings import Settings, get_settings

HostOpt = Annotated[str | None, typer.Option("--host", help="address to listen on (default: BRIEF_HOST or 127.0.0.1)")]
PortOpt = Annotated[int | None, typer.Option("--port", help="port (default: BRIEF_PORT or 8000)")]
ConfigOpt = Annotated[str | None, typer.Option("--config", help="model config for translation (see `brief models`)")]
WriterOpt = Annotated[str | None, typer.Option("--writer-config", help="model config for headline/summary (default: --config)")]
LogOpt = Annotated[str, typer.Option("--log-level", help="uvicorn log level")]
RayOpt = Annotated[bool, typer.Option("--ray", help="serve on Ray Serve: replicas each with a model (docs/SCALING.md)")]
ReplicasOpt = Annotated[int | None, typer.Option("--replicas", min=1, help="with --ray: a fixed number of replicas (default: "
                                                 "autoscale as the Serve config says)")]
AddressOpt = Annotated[str | None, typer.Option("--address", help="with --ray: the Ray cluster (default: RAY_ADDRESS, else a local Ray)")]
ServeConfigOpt = Annotated[Path | None, typer.Option("--serve-config", help="with --ray: replicas/autoscaling YAML "
                                                     "(default: service/deploy/ray_serve.yaml)")]


def serve(host: HostOpt = None, port: PortOpt = None, config: ConfigOpt = None, writer_config: WriterOpt = None,
          log_level: LogOpt = "info", ray: RayOpt = False, replicas: ReplicasOpt = None, address: AddressOpt = None,
          serve_config: ServeConfigOpt = None) -> None:
    """Serve the HTTP API (/v1, /docs) and the editors' page (/) with one model behind a bounded queue."""
    import uvicorn

    from ..api import create_app

    updates = {k: v for k, v in {"host": host, "port": port, "translate_config": config, "writer_config": writer_config}.items() if v}
    settings = get_settings().model_copy(update=updates)
    refuse_open_bind(settings)
    for name in {settings.translate_config, settings.writer_config_name}:
        load_model_config(settings.model_configs_dir, name)  # a wrong name fails here, before the server starts
    if ray:
        _serve_on_ray(settings, replicas, address, serve_config)
        return
    typer.echo(f"serving on http://{settings.host}:{settings.port}/ (model {settings.translate_config}; "
               f"queue {settings.queue_size}; jobs in {_jobs_location(settings)})", err=True)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level=log_level, workers=1)


def _serve_on_ray(settings: Settings, replicas: int | None, address: str | None, serve_config: Path | None) -> None:
    from ..deploy import ray_serve

    config = ray_serve.ServeConfig.load(serve_config)
    if replicas is not None:
        config = config.model_copy(update={"num_replicas": replicas})
    scaling = (f"{config.num_replicas} replica(s)" if config.num_replicas else
               f"{config.autoscaling.min_replicas}-{config.autoscaling.max_replicas} replicas (autoscaling)")
    typer.echo(f"serving on Ray Serve at http://{settings.host}:{settings.port}/ ({scaling}, model {settings.translate_config}, "
               f"{config.cpus_per_replica:g} CPUs each; jobs in {_jobs_location(settings)})", err=True)
    if (config.num_replicas or config.autoscaling.max_replicas) > 1 and not settings.database_url:
        typer.echo("note: replicas share the SQLite job file, which works on one machine only; on a cluster set "
                   "BRIEF_DATABASE_URL=postgresql://…", err=True)
    ray_serve.run(settings, config, address)


def refuse_open_bind(settings: Settings) -> None:
    """Secure default: a non-loopback address needs API keys, or an explicit BRIEF_ALLOW_OPEN=1."""
    from ..api.auth import is_loopback_host

    if not is_loopback_host(settings.host) and not settings.api_keys and not settings.allow_open:
        raise ConfigError(
            f"refusing to listen on {settings.host} without API keys: anyone who can reach it could use the model "
            "and read every job",
            "set BRIEF_API_KEYS (e.g. BRIEF_API_KEYS=$(python -c 'import secrets; print(secrets.token_urlsafe(32))')), "
            "listen on 127.0.0.1, or set BRIEF_ALLOW_OPEN=1 if a gateway in front checks access",
        )


def _jobs_location(settings: Settings) -> str:
    if settings.database_url and "://" in settings.database_url:
        scheme, rest = settings.database_url.split("://", 1)
        return f"{scheme}://{rest.rsplit('@', 1)[-1]}"  # no password in logs
    return str(settings.database_path)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
