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


class CommandModuleError(ImportError):
    """A command module of `brief` is missing or broken: the install is incomplete."""


def register_commands(target: typer.Typer, names: tuple[str, ...] = _COMMAND_MODULES) -> None:
    """Import each command module and let it add its commands. A module that cannot be imported
    stops `brief` with the reason: a half-installed CLI must not quietly lose commands."""
    for name in names:
        module_name = f"{__name__}.{name}"
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise CommandModuleError(
                f"brief: cannot import the command module {module_name} ({type(exc).__name__}: {exc}); "
                "reinstall the package (scripts/setup.sh, or pip install -e .) or fix the error above"
            ) from exc
        register = getattr(module, "register", None)
        if not callable(register):
            raise CommandModuleError(f"brief: the command module {module_name} has no register(app) function")
        register(target)


register_commands(app)


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
