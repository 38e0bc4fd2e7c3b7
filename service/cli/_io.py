"""Reading inputs and showing progress for CLI commands."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, cast

import typer

from ..errors import InputError
from ..guard import Guard
from ..guard.attempts import Quality
from ..pipeline.options import Kind


def read_input(path: str) -> bytes:
    """Bytes of FILE, or of stdin for '-'. Decoding (and its errors) happens in `clean_article`."""
    if path == "-":
        if sys.stdin.isatty():
            raise InputError("no input on stdin", "pipe an article in (`brief run - < article.txt`) or pass a file path")
        return sys.stdin.buffer.read()
    file = Path(path)
    if not file.is_file():
        raise InputError(f"no such file: {path}", "check the path, or use '-' to read stdin")
    return file.read_bytes()


def parse_guard(value: str | None) -> Guard | None:
    """`--guard` as a `Guard` (None: the setting's mode)."""
    if value is None:
        return None
    try:
        return Guard(value)
    except ValueError:
        raise typer.BadParameter(f"--guard must be off, verify or repair, not {value!r}") from None


def parse_quality(value: str | None) -> Quality | None:
    """`--quality` checked (None: the setting's preset)."""
    if value not in (None, "fast", "balanced", "best"):
        raise typer.BadParameter(f"--quality must be fast, balanced or best, not {value!r}")
    return cast(Quality | None, value)


def parse_write(value: str) -> tuple[Kind, ...]:
    """`--write` (comma-separated) checked: headline, summary or both."""
    kinds = tuple(k.strip() for k in value.split(",") if k.strip())
    if not kinds or any(k not in ("headline", "summary") for k in kinds):
        raise typer.BadParameter("--write takes headline, summary or headline,summary")
    return cast(tuple[Kind, ...], kinds)


def fmt_from_path(path: str, fmt: str) -> str:
    if fmt != "auto":
        return fmt
    suffix = Path(path).suffix.lower()
    return {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown", ".txt": "text"}.get(suffix, "auto")


class StderrProgress:
    """Turns pipeline events into short progress lines on stderr (results stay on stdout)."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.started = time.perf_counter()

    def __call__(self, event: dict[str, Any]) -> None:
        if self.quiet:
            return
        elapsed = time.perf_counter() - self.started
        kind = event["event"]
        if kind == "cleaned":
            message = f"cleaned: {len(event['paragraphs'])} paragraphs, {len(event['removed'])} boilerplate lines removed"
        elif kind == "paragraph":
            message = f"translated {event['block']} ({event['position'] + 1}/{event['total']} blocks)"
        elif kind == "facts":
            message = f"facts checked: {event['translation'].issues} issue(s)"
        elif kind in ("headline", "summary"):
            message = f"{kind} written"
        else:
            return
        typer.echo(f"[{elapsed:6.1f}s] {message}", err=True)
