"""The `brief` command. Each module here adds its commands with `register(app)`."""

from __future__ import annotations

import importlib
import sys

import typer

from ..errors import BriefError

app = typer.Typer(
    name="brief",
    help="Italian news articles → English briefs (translation, headline, summary) with every key figure checked.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_COMMAND_MODULES = ("run", "models", "check", "serve", "eval", "bench", "batch")
for _name in _COMMAND_MODULES:
    try:
        _module = importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as _exc:  # a command module not written yet must not break the others
        if _exc.name != f"{__name__}.{_name}":
            raise
        continue
    _module.register(app)


def fail(error: BriefError) -> None:
    """Print a user-fixable error (what was wrong, how to fix it) and exit non-zero."""
    typer.secho(f"error [{error.code}]: {error.message}", fg=typer.colors.RED, err=True)
    if error.hint:
        typer.echo(f"  fix: {error.hint}", err=True)
    raise SystemExit(2)


def main() -> None:
    try:
        app()
    except BriefError as error:
        fail(error)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
