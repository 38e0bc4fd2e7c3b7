"""`brief check`: the fact report for a translation, or for many pairs in a JSONL file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError

PAIRS_HELP = (
    "JSONL file, one object per line with 'it', 'en' and optional 'id'. Writes one JSON line per "
    "row to stdout, in input order: {id, facts, issues}. A malformed line gets an error on stderr "
    "(line number and why) and {id, error} on stdout; the rest are still checked, and the exit "
    "code is 1 at the end if any line was bad."
)


def _read_text(path: Path, what: str) -> str:
    if not path.is_file():
        raise InputError(f"no such file: {path}", f"pass the {what} text file's path")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text ({exc.reason})", "save the file as UTF-8") from None
    if not text.strip():
        raise InputError(f"the {what} file {path} is empty", f"put the {what} text in it")
    return text


def _fail(error: InputError) -> None:
    typer.secho(f"error [{error.code}]: {error.message}", fg=typer.colors.RED, err=True)
    if error.hint:
        typer.echo(f"  fix: {error.hint}", err=True)
    raise typer.Exit(2)


def _parse_row(line: str) -> tuple[object, str, str]:
    """(id, it, en) from one JSONL line; ValueError says what is wrong."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(row, dict):
        raise ValueError("expected a JSON object with 'it' and 'en'")
    for key in ("it", "en"):
        if not isinstance(row.get(key), str):
            raise ValueError(f"'{key}' is missing or not a string")
        if not row[key].strip():
            raise ValueError(f"'{key}' is empty")
    return row.get("id"), row["it"], row["en"]


def _check_pairs(path: Path) -> int:
    from ..facts import check_translation

    if not path.is_file():
        raise InputError(f"no such file: {path}", "pass a JSONL file with 'it' and 'en' on each line")
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    if not any(line.strip() for line in lines):
        raise InputError(f"{path} has no rows", "write one JSON object per line with 'it' and 'en'")
    bad = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row_id, it, en = _parse_row(line)
        except ValueError as exc:
            bad += 1
            typer.echo(f"error: {path}:{number}: {exc}", err=True)
            try:
                row_id = json.loads(line).get("id", number)
            except (json.JSONDecodeError, AttributeError):
                row_id = number
            typer.echo(json.dumps({"id": row_id, "error": str(exc)}, ensure_ascii=False))
            continue
        report = check_translation(it, en).to_dict()
        out = {"id": row_id if row_id is not None else number, "facts": report["facts"],
               "issues": report["issues"]}
        typer.echo(json.dumps(out, ensure_ascii=False))
    return 1 if bad else 0


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check(
        source: Annotated[Path | None, typer.Option("--source", help="Italian source text file.")] = None,
        target: Annotated[Path | None, typer.Option("--target", help="English translation file.")] = None,
        pairs: Annotated[Path | None, typer.Option("--pairs", help=PAIRS_HELP)] = None,
    ) -> None:
        """Check that every figure, date and name in an Italian text survives in its English
        translation. Prints the JSON fact report. Exit codes: 0 ok, 1 some --pairs lines were
        malformed, 2 bad input (missing/empty file, wrong options)."""
        from ..facts import check_translation

        try:
            if pairs is not None:
                if source or target:
                    raise InputError("--pairs cannot be combined with --source/--target",
                                     "use either --pairs FILE or --source IT --target EN")
                raise typer.Exit(_check_pairs(pairs))
            if source is None or target is None:
                raise InputError("both --source and --target are needed (or --pairs)",
                                 "brief check --source article.it.txt --target article.en.txt")
            report = check_translation(_read_text(source, "source"), _read_text(target, "target"))
        except InputError as error:
            _fail(error)
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
