"""`translation`: translate the Italian side, score it against the English reference.

Rows with a `doc_id` are translated a document at a time, in order, through the same pipeline
the API uses: each sentence is one paragraph, so the model sees the previous sentence as context
and the output stays aligned sentence by sentence. Rows `article` + `article_en` are whole
articles (one unit each). Facts: the translation's report against its source, and — as a
control — the human reference's own report against the same source.
"""

from __future__ import annotations

import re
from itertools import groupby
from typing import Any

from ...text import normalize_text
from ..data import fields_for
from ..metrics import corpus_bleu, corpus_chrf, sacrebleu_signatures, sentence_chrf
from ..stats import by_kind, check_translation, run_block, speed_stats
from .base import Record, Row, Suite, base_record


def source_and_reference(row: Row) -> tuple[str, str]:
    source_field, reference_field = fields_for("translation", row) or ("it", "en")
    return row[source_field], row[reference_field]


class TranslationSuite(Suite):
    name = "translation"
    description = "translate `it`, score against `en` (BLEU, chrF++), fact recall vs the reference's own"
    roles = ("translate",)

    def metric_settings(self) -> dict[str, str]:
        return {**sacrebleu_signatures(), "sentence_chrf": "chrF2++ per row (sacrebleu sentence_score)", "facts": "service.facts.check_translation"}

    def signed_options(self) -> dict[str, Any]:
        return {"documents": "in order by doc_id, one sentence per paragraph", "language_check": False}

    def units(self, rows: list[Row]) -> list[list[Row]]:
        units: list[list[Row]] = []
        for doc_id, group in groupby(rows, key=lambda r: r.get("doc_id") if fields_for("translation", r) == ("it", "en") else None):
            members = list(group)
            units += [members] if doc_id is not None else [[row] for row in members]
        return units

    def process(self, unit: list[Row]) -> list[Record]:
        sources = [source_and_reference(row)[0] for row in unit]
        hypotheses, run, mode = self._translate(sources)
        records = []
        for index, (row, hypothesis) in enumerate(zip(unit, hypotheses, strict=True)):
            source, reference = source_and_reference(row)
            record = base_record(
                row,
                source=source,
                reference=reference,
                hypothesis=hypothesis,
                chrf=sentence_chrf(hypothesis, reference),
                facts=_facts_or_none(source, hypothesis),
                facts_reference=_facts_or_none(source, reference),
                mode=mode,
            )
            if "must" in row or "must_not" in row:
                record["trap"] = trap_check(hypothesis, row)
            if index == 0:
                record["run"] = {**run, "rows": len(unit)} if isinstance(run, dict) else None
            records.append(record)
        if isinstance(run, list):  # translated row by row: each row carries its own cost
            for record, row_run in zip(records, run, strict=True):
                record["run"] = {**row_run, "rows": 1}
        return records

    def _translate(self, sources: list[str]) -> tuple[list[str], Any, str]:
        pipeline = self.pipeline
        if len(sources) > 1:
            result = pipeline.run("\n\n".join(sources), self.run_options(write=()))
            blocks = ([result.source_title] if result.source_title else []) + [p.source for p in result.paragraphs]
            outputs = ([result.title or ""] if result.source_title else []) + [p.translation for p in result.paragraphs]
            if blocks == [normalize_text(s) for s in sources]:
                return outputs, run_block(result), "document"
        runs, outputs = [], []
        for source in sources:  # one row, or a document the cleaner did not keep aligned
            result = pipeline.run(source, self.run_options(write=()))
            outputs.append(" ".join(x for x in [result.title, result.translation] if x))
            runs.append(run_block(result))
        if len(sources) == 1:
            return outputs, runs[0], "row"
        return outputs, runs, "row (document not aligned after cleaning)"

    def summarize(self, records: list[Record]) -> dict[str, Any]:
        hypotheses = [r["hypothesis"].replace("\n", " ") for r in records]
        references = [r["reference"].replace("\n", " ") for r in records]
        checked = [r for r in records if r["facts"] is not None]
        traps = [r["trap"] for r in records if r.get("trap")]
        return {
            # rows with `must`/`must_not` patterns (the meaning-trap challenge set): share passed
            "traps": {"rows": len(traps), "passed": sum(t["ok"] for t in traps),
                      "rate": round(sum(t["ok"] for t in traps) / len(traps), 4)} if traps else None,
            "bleu": corpus_bleu(hypotheses, references),
            "chrf": corpus_chrf(hypotheses, references),
            "chrf_rows": [r["chrf"] for r in records],
            "facts": by_kind([r["facts"] for r in checked]) if checked else None,
            "facts_reference": by_kind([r["facts_reference"] for r in checked]) if checked else None,
            # figures/names in the English that the Italian does not support (added in translation)
            "unsupported": sum(len(r["facts"]["unsupported"]) for r in checked),
            "unsupported_reference": sum(len(r["facts_reference"]["unsupported"]) for r in checked),
            "speed": speed_stats(records),
        }

    def headline(self, metrics: dict[str, Any]) -> dict[str, Any]:
        facts = metrics["facts"] or {}
        reference = metrics["facts_reference"] or {}
        speed = metrics["speed"] or {}
        return {
            "chrf": metrics["chrf"]["score"],
            "bleu": metrics["bleu"]["score"],
            "fact_recall": facts.get("recall"),
            "fact_recall_reference": reference.get("recall"),
            "facts": facts.get("facts"),
            "unsupported": metrics["unsupported"],
            "tokens_per_second": speed.get("tokens_per_second"),
            "seconds_per_row": speed.get("seconds_per_row"),
            **({"traps_passed": metrics["traps"]["rate"]} if metrics.get("traps") else {}),
        }


def trap_check(hypothesis: str, row: Row) -> dict[str, Any]:
    """A meaning-trap row passes when every `must` pattern matches the translation and no
    `must_not` pattern does (regular expressions, case-insensitive)."""
    missing = [p for p in row.get("must", []) if not re.search(p, hypothesis, re.IGNORECASE)]
    forbidden = [p for p in row.get("must_not", []) if re.search(p, hypothesis, re.IGNORECASE)]
    return {"ok": not missing and not forbidden, "missing": missing, "forbidden": forbidden}


def _facts_or_none(source: str, target: str) -> dict[str, Any] | None:
    try:
        return check_translation(source, target)
    except ImportError:  # the fact engine is not installed in this checkout
        return None
