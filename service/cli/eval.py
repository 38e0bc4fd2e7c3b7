"""`brief eval SUITE --data FILE.jsonl` and `brief eval compare RUN_A RUN_B`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from ..evaluation import SUITES, EvalOptions, compare_runs, run_suite, write_comparison
from ..evaluation.compare import to_markdown
from ..settings import get_settings
from ._io import parse_guard, parse_quality, parse_write

DataOpt = Annotated[Path, typer.Option("--data", help="JSONL rows (formats: eval/README.md)")]
LimitOpt = Annotated[int | None, typer.Option("--limit", min=1, help="only the first N rows")]
ConfigOpt = Annotated[str | None, typer.Option("--config", help="model config for translation (see `brief models`)")]
WriterOpt = Annotated[str | None, typer.Option("--writer-config", help="model config for headline/summary (default: --config)")]
GuardOpt = Annotated[str | None, typer.Option("--guard", help="off | verify | repair (default from settings)")]
QualityOpt = Annotated[str | None, typer.Option("--quality", help="fast | balanced | best (default from settings: balanced)")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="run folder; an interrupted run's folder resumes it (default eval-runs/SUITE-DATA)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print the headline metrics as one JSON object on stdout")]
PerturbOpt = Annotated[bool, typer.Option("--perturb", help="facts: inject controlled errors into `en` and report detection")]
SeedOpt = Annotated[int, typer.Option("--seed", help="seed for --perturb")]
WriteOpt = Annotated[str, typer.Option("--write", help="summary/speed: what to write, comma-separated (headline,summary)")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar on stderr")]

eval_app = typer.Typer(help="Evaluate translation, facts, headlines/summaries and speed on JSONL data.", no_args_is_help=True)


def _make_command(suite: str, help_text: str) -> Callable[..., None]:
    def command(
        data: DataOpt,
        limit: LimitOpt = None,
        config: ConfigOpt = None,
        writer_config: WriterOpt = None,
        guard: GuardOpt = None,
        quality: QualityOpt = None,
        out: OutOpt = None,
        json_output: JsonOpt = False,
        perturb: PerturbOpt = False,
        seed: SeedOpt = 0,
        write: WriteOpt = "headline,summary",
        quiet: QuietOpt = False,
    ) -> None:
        kinds = parse_write(write)
        folder = out or Path("eval-runs") / f"{suite}-{data.stem}"
        options = EvalOptions(data=data, out=folder, limit=limit, config=config, writer_config=writer_config, guard=parse_guard(guard),
                              quality=parse_quality(quality),
                              perturb=perturb, seed=seed, write=kinds, progress=not quiet)
        results = run_suite(suite, get_settings(), options)
        if json_output:
            typer.echo(json.dumps(results["headline"], ensure_ascii=False))
        else:
            typer.echo(json.dumps(results["headline"], ensure_ascii=False, indent=2))
            typer.echo(f"wrote {folder}/ (results.json, rows.jsonl, report.md, report.html)", err=True)

    command.__doc__ = help_text
    return command


for _name, _suite in SUITES.items():
    eval_app.command(_name)(_make_command(_name, _suite.description))
eval_app.command("all")(_make_command("all", "every suite that fits the data's rows (translation, facts, summary), each in OUT/SUITE/"))


@eval_app.command("compare")
def compare(
    run_a: Annotated[Path, typer.Argument(help="baseline run folder")],
    run_b: Annotated[Path, typer.Argument(help="candidate run folder")],
    out: Annotated[Path | None, typer.Option("--out", help="where to write compare.md/json (default: RUN_B)")] = None,
    samples: Annotated[int, typer.Option("--samples", min=100, help="bootstrap samples")] = 1000,
    json_output: JsonOpt = False,
) -> None:
    """Side-by-side table of two runs, with paired bootstrap significance for BLEU/chrF++."""
    comparison = compare_runs(run_a, run_b, n_samples=samples)
    path = write_comparison(comparison, out or run_b)
    typer.echo(json.dumps(comparison, ensure_ascii=False) if json_output else to_markdown(comparison))
    typer.echo(f"wrote {path}", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
