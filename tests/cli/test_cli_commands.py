"""`brief` registers every command module, and stops loudly when one cannot be imported."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from service.cli import _COMMAND_MODULES, CommandModuleError, app, register_commands
from service.settings import PROJECT_ROOT


def test_every_command_module_adds_its_commands():
    names = {command.name or (command.callback.__name__ if command.callback else None) for command in app.registered_commands}
    groups = {group.name for group in app.registered_groups}
    assert {"run", "translate", "check", "serve", "bench", "batch"} <= names
    assert {"models", "eval"} <= groups
    assert len(_COMMAND_MODULES) == 7


def test_a_missing_command_module_stops_brief_with_the_reason():
    # `None` in sys.modules makes the import fail the way a deleted or half-installed file does;
    # the old loop skipped the module and `brief` started without its commands.
    code = "import sys; sys.modules['service.cli.bench'] = None; import service.cli"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert done.returncode != 0
    assert "CommandModuleError" in done.stderr
    assert "cannot import the command module service.cli.bench" in done.stderr
    assert "reinstall" in done.stderr


def test_a_module_without_register_is_refused():
    with pytest.raises(CommandModuleError, match="service.cli._io has no register"):
        register_commands(typer.Typer(), ("_io",))


def test_an_unknown_module_name_is_refused():
    with pytest.raises(CommandModuleError, match="service.cli.nope"):
        register_commands(typer.Typer(), ("nope",))
