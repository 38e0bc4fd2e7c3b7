"""`brief batch INPUT --out DIR`: briefs for a JSONL or Parquet file of articles, on Ray Data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..settings import get_settings

InputArg = Annotated[Path, typer.Argument(help="JSONL or Parquet file of articles: id, article, optional title")]
OutOpt = Annotated[Path, typer.Option("--out", help="output folder: briefs.jsonl and briefs.parquet (rerun to resume)")]
AddressOpt = Annotated[str | None, typer.Option("--address", help="Ray cluster to run on (default: RAY_ADDRESS, else a local Ray)")]
WorkersOpt = Annotated[int | None, typer.Option("--workers", min=1, help="model actors (default: 1 locally; on a cluster, as many as fit)")]
CpusOpt = Annotated[int | None, typer.Option("--cpus-per-worker", min=1, help="CPUs (llama.cpp threads) per actor")]
ConfigOpt = Annotated[str | None, typer.Option("--config", help="model config for translation (see `brief models`)")]
WriterOpt = Annotated[str | None, typer.Option("--writer-config", help="model config for headline/summary (default: --config)")]
GuardOpt = Annotated[str | None, typer.Option("--guard", help="off | verify | repair (default from settings: repair)")]
NoLangOpt = Annotated[bool, typer.Option("--no-language-check", help="brief rows even if they do not look Italian")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="no progress on stderr")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print the closing summary as JSON on stdout")]


def batch(input_path: InputArg, out: OutOpt, address: AddressOpt = None, workers: WorkersOpt = None,
          cpus_per_worker: CpusOpt = None, config: ConfigOpt = None, writer_config: WriterOpt = None, guard: GuardOpt = None,
          no_language_check: NoLangOpt = False, quiet: QuietOpt = False, as_json: JsonOpt = False) -> None:
    """Brief every article of a file on Ray (a local Ray sized to this machine, or a cluster with --address).

    Each row of the output has every field of a brief plus status and error; a bad row becomes an
    error row. Rerunning with the same --out skips rows already written.
    """
    from ..batch import run_batch
    from ..models.config import load_model_config

    if guard not in (None, "off", "verify", "repair"):
        raise typer.BadParameter(f"--guard must be off, verify or repair, not {guard!r}")
    updates: dict[str, str | bool] = {k: v for k, v in {"translate_config": config, "writer_config": writer_config}.items() if v}
    if no_language_check:
        updates["language_check"] = False
    settings = get_settings().model_copy(update=updates)
    for name in {settings.translate_config, settings.writer_config_name}:
        load_model_config(settings.model_configs_dir, name)  # a wrong name fails here, before Ray starts
    summary = run_batch(input_path, out, settings, guard=guard, address=address, workers=workers,
                        cpus_per_worker=cpus_per_worker, quiet=quiet)
    if as_json:
        typer.echo(json.dumps(summary.to_dict()))
    else:
        typer.echo(summary.describe(), err=True)
    if summary.failed:
        raise SystemExit(1)


def register(app: typer.Typer) -> None:
    app.command("batch")(batch)
