"""`brief run` (the main job) and `brief translate`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ..pipeline.brief import BriefPipeline
from ..pipeline.options import Article, Kind, RunOptions
from ..pipeline.result import BriefResult
from ..settings import get_settings
from ._io import StderrProgress, fmt_from_path, parse_guard, parse_quality, read_input

FileArg = Annotated[str, typer.Argument(help="article file (text, Markdown or HTML), or - for stdin")]
ConfigOpt = Annotated[str | None, typer.Option("--config", help="model config for translation (see `brief models`)")]
WriterOpt = Annotated[str | None, typer.Option("--writer-config", help="model config for headline/summary (default: --config)")]
GuardOpt = Annotated[str | None, typer.Option("--guard", help="off | verify | repair (default from settings: repair)")]
QualityOpt = Annotated[
    str | None, typer.Option("--quality", help="fast | balanced | best: translation candidates per chunk (default from settings: balanced)")
]
FormatOpt = Annotated[str, typer.Option("--format", help="json or markdown")]
InputFormatOpt = Annotated[str, typer.Option("--input-format", help="auto, text, markdown or html")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="no progress on stderr")]
NoLangOpt = Annotated[bool, typer.Option("--no-language-check", help="translate even if the text does not look Italian")]


def _emit(result: BriefResult, output_format: str, only_translation: bool = False) -> None:
    if output_format == "markdown":
        typer.echo(result.translation + "\n" if only_translation else result.to_markdown())
    else:
        typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))


def _brief(file: str, output_format: str, config: str | None, writer: str | None, guard: str | None,
           input_format: str, quiet: bool, no_language_check: bool, write: tuple[Kind, ...], quality: str | None = None) -> None:
    if output_format not in ("json", "markdown"):
        raise typer.BadParameter("--format must be json or markdown")
    options = RunOptions(guard=parse_guard(guard), quality=parse_quality(quality), write=write, language_check=not no_language_check,
                         translate_config=config, writer_config=writer)
    article = Article(read_input(file), format=fmt_from_path(file, input_format))
    result = BriefPipeline.from_settings(get_settings(), options).run(article, options, on_event=StderrProgress(quiet))
    _emit(result, output_format, only_translation=not write)


def run(
    file: FileArg,
    output_format: FormatOpt = "json",
    config: ConfigOpt = None,
    writer_config: WriterOpt = None,
    guard: GuardOpt = None,
    quality: QualityOpt = None,
    input_format: InputFormatOpt = "auto",
    quiet: QuietOpt = False,
    no_language_check: NoLangOpt = False,
) -> None:
    """Translate an Italian article and write its English headline and summary, with a fact report."""
    _brief(file, output_format, config, writer_config, guard, input_format, quiet, no_language_check, ("headline", "summary"), quality)


def translate(
    file: FileArg,
    output_format: FormatOpt = "json",
    config: ConfigOpt = None,
    guard: GuardOpt = None,
    quality: QualityOpt = None,
    input_format: InputFormatOpt = "auto",
    quiet: QuietOpt = False,
    no_language_check: NoLangOpt = False,
) -> None:
    """Translate an Italian text to English (no headline or summary), with a fact report."""
    _brief(file, output_format, config, None, guard, input_format, quiet, no_language_check, (), quality)


def register(app: typer.Typer) -> None:
    app.command("run")(run)
    app.command("translate")(translate)
