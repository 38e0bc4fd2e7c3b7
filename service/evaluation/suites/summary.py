"""`summary`: write a headline and summary for each article; ROUGE where the reference is
English, fact support of what was written (unsupported figures and names = hallucinations),
and length statistics.

Every article goes through `pipeline.run`, as the API's do. Italian articles are translated,
then written from the translation. English articles (CNN/DM) run with `source_language="en"`:
no translation, the writer reads the cleaned English text, the guard is off (it checks against
an Italian source), and fact support uses the fact engine's English extractor on both sides.
"""

from __future__ import annotations

from typing import Any

from ...facts import WritingFacts
from ...guard import Guard
from ...text import italian_score
from ..metrics import corpus_rouge, rouge_scores, rouge_signature
from ..stats import lengths, run_block, speed_stats, support_stats
from .base import Record, Row, Suite, base_record

KINDS = ("headline", "summary")


def article_language(row: Row) -> str:
    lang = str(row.get("lang") or "").lower()
    if lang in ("it", "en"):
        return lang
    return "it" if italian_score(row["article"]) >= 0.5 else "en"


def english_references(row: Row, lang: str) -> dict[str, str]:
    """`headline_en` / `summary_en` always; plain `headline` / `summary` only for English articles."""
    references = {}
    for kind in KINDS:
        if isinstance(row.get(f"{kind}_en"), str) and row[f"{kind}_en"].strip():
            references[kind] = row[f"{kind}_en"]
        elif lang == "en" and isinstance(row.get(kind), str) and row[kind].strip():
            references[kind] = row[kind]
    return references


class SummarySuite(Suite):
    name = "summary"
    description = "headline + summary: ROUGE vs English references, fact support, lengths"
    roles = ("translate", "writer")

    def metric_settings(self) -> dict[str, str]:
        return {"rouge": rouge_signature(), "support": "service.facts.check_support (Italian source) / English extractor (English source)"}

    def signed_options(self) -> dict[str, Any]:
        return {"write": list(self.options.write), "english_sources": "pipeline, source_language en, guard off", "language_check": False}

    def process(self, unit: list[Row]) -> list[Record]:
        row = unit[0]
        lang = article_language(row)
        written, support, run = self._write(row, lang)
        references = english_references(row, lang)
        rouge = {kind: rouge_scores([written[kind] or ""], [ref])[0] for kind, ref in references.items() if kind in written}
        return [
            base_record(
                row,
                lang=lang,
                article_words=len(row["article"].split()),
                generated=written,
                references=references,
                rouge=rouge,
                support=support,
                run=run,
            )
        ]

    def _write(self, row: Row, lang: str) -> tuple[dict[str, str | None], dict[str, Any], dict[str, Any]]:
        """One pipeline run, as the API makes it; an English article is not translated and runs with the guard off."""
        options = self.run_options() if lang == "it" else self.run_options(source_language="en", guard=Guard.OFF)
        result = self.pipeline.run(row["article"], options)
        written: dict[str, str | None] = {kind: getattr(result, kind) for kind in self.options.write}
        support: dict[str, Any] = {kind: _compact(result.facts.written(kind)) for kind in self.options.write}
        return written, support, run_block(result)

    def summarize(self, records: list[Record]) -> dict[str, Any]:
        metrics: dict[str, Any] = {"by_language": {lang: sum(1 for r in records if r["lang"] == lang) for lang in ("it", "en")}}
        for kind in self.options.write:
            scored = [r for r in records if kind in r["rouge"]]
            rouge = corpus_rouge([r["generated"][kind] or "" for r in scored], [r["references"][kind] for r in scored]) if scored else None
            if rouge is not None:
                rouge["n"] = len(scored)
            generated = [r["generated"].get(kind) for r in records]
            metrics[kind] = {
                "rouge": rouge,
                "support": support_stats([r["support"].get(kind) for r in records]),
                "words": lengths(generated),
                "reference_words": lengths([r["references"].get(kind) for r in records]),
                "empty": sum(1 for text in generated if not text),
            }
        ratios = [len((r["generated"].get("summary") or "").split()) / r["article_words"] for r in records if r["article_words"]]
        metrics["summary_compression"] = round(sum(ratios) / len(ratios), 4) if ratios and "summary" in self.options.write else None
        metrics["speed"] = speed_stats(records)
        return metrics

    def headline(self, metrics: dict[str, Any]) -> dict[str, Any]:
        line: dict[str, Any] = {}
        for kind in self.options.write:
            block = metrics[kind]
            if block["rouge"]:
                line[f"{kind}_rouge1"] = block["rouge"]["rouge1"]
                line[f"{kind}_rouge2"] = block["rouge"]["rouge2"]
                line[f"{kind}_rougeLsum"] = block["rouge"]["rougeLsum"]
            line[f"{kind}_unsupported_rate"] = block["support"]["unsupported_rate"]
            line[f"{kind}_rows_with_unsupported"] = block["support"]["rows_with_unsupported"]
            line[f"{kind}_words"] = (block["words"] or {}).get("mean")
        line["seconds_per_row"] = (metrics["speed"] or {}).get("seconds_per_row")
        return line


def _compact(report: WritingFacts | None) -> dict[str, Any] | None:
    """A support report as stored in rows.jsonl."""
    return None if report is None else report.model_dump(mode="json")


__all__ = ["SummarySuite", "article_language", "english_references"]
