"""The base suite owns the loop: load + validate data, sign the run, resume, progress, results.

A suite fills in four steps: `units` (which rows are run together: one row, or a whole
document), `process` (one unit → one record per row), `summarize` (records → metrics) and
`headline` (the few numbers `--json` prints).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

from ...guard import Guard
from ...guard.attempts import Quality
from ...pipeline.brief import BriefPipeline
from ...pipeline.options import Kind, RunOptions
from ...settings import Settings
from ..data import Dataset, clean_row, limit_rows, load_dataset, validate
from ..progress import Progress
from ..signature import build_signature, short
from ..store import RunStore

Row = dict[str, Any]
Record = dict[str, Any]


@dataclass
class EvalOptions:
    data: Path
    out: Path
    limit: int | None = None
    config: str | None = None
    writer_config: str | None = None
    guard: Guard | None = None
    quality: Quality | None = None
    perturb: bool = False
    seed: int = 0
    write: tuple[Kind, ...] = ("headline", "summary")
    progress: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


class Suite:
    name: ClassVar[str]
    description: ClassVar[str]
    roles: ClassVar[tuple[str, ...]] = ()  # model roles this suite runs: "translate", "writer"

    def __init__(self, settings: Settings, options: EvalOptions, dataset: Dataset | None = None) -> None:
        self.settings = settings
        self.options = options
        self._dataset = dataset

    # ---- steps a suite fills in -------------------------------------------------------------
    def units(self, rows: list[Row]) -> list[list[Row]]:
        return [[row] for row in rows]

    def process(self, unit: list[Row]) -> list[Record]:
        raise NotImplementedError

    def summarize(self, records: list[Record]) -> dict[str, Any]:
        raise NotImplementedError

    def headline(self, metrics: dict[str, Any]) -> dict[str, Any]:
        return {}

    def metric_settings(self) -> dict[str, str]:
        return {}

    def signed_options(self) -> dict[str, Any]:
        """Suite options that change the numbers (they enter the signature)."""
        return {}

    # ---- shared machinery ---------------------------------------------------------------
    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            self._dataset = load_dataset(self.options.data)
        return self._dataset

    def model_names(self) -> dict[str, str]:
        resolved = RunOptions(translate_config=self.options.config, writer_config=self.options.writer_config).resolved(self.settings)
        names = {}
        if "translate" in self.roles and resolved.translate_config:
            names["translate"] = resolved.translate_config
        if "writer" in self.roles and resolved.writer_config:
            names["writer"] = resolved.writer_config
        return names

    def run_options(self, **changes: Any) -> RunOptions:
        """The options every pipeline run of this suite uses (no language check: datasets are known)."""
        names = self.model_names()
        options = RunOptions(
            guard=self.options.guard,
            quality=self.options.quality,
            write=self.options.write,
            language_check=False,
            translate_config=names.get("translate") or self.options.config,
            writer_config=names.get("writer"),
        )
        return options.model_copy(update=changes)

    @cached_property
    def pipeline(self) -> BriefPipeline:
        return BriefPipeline.from_settings(self.settings, self.run_options())

    def signature(self, rows_used: int) -> dict[str, Any]:
        return build_signature(
            self.name,
            self.settings,
            self.dataset,
            limit=self.options.limit,
            rows_used=rows_used,
            models=self.model_names() or None,
            guard=self.options.guard,
            quality=self.options.quality,
            metrics=self.metric_settings(),
            options=self.signed_options(),
        )

    def rows(self) -> list[Row]:
        validate(self.name, self.dataset)
        return limit_rows(self.dataset.rows, self.options.limit)

    def run(self) -> dict[str, Any]:
        from ..report import write_report

        rows = self.rows()
        store = RunStore(self.options.out)
        signature = store.open(self.signature(len(rows)))
        ids = [row["id"] for row in rows]
        done = store.done_ids() & set(ids)
        progress = Progress(self.name, len(rows), len(done), self.options.progress)
        for unit in self.units(rows):
            if all(row["id"] in done for row in unit):
                continue
            records = self.process(unit)
            store.append(records)
            progress.update(len(records))
        by_id = {record["id"]: record for record in store.records()}
        records = [by_id[i] for i in ids if i in by_id]
        metrics = self.summarize(records)
        results = {
            "suite": self.name,
            "signature": signature,
            "signature_line": short(signature),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "n": len(records),
            "headline": {"suite": self.name, "n": len(records), **self.headline(metrics)},
            "metrics": metrics,
            "files": {"rows": "rows.jsonl", "report": "report.md", "html": "report.html"},
        }
        store.write_results(results)
        write_report(store.dir, results, records)
        return results


def base_record(row: Row, **fields: Any) -> Record:
    """A per-row record: the row's id (and doc id) first, so every number traces to its row."""
    record: Record = {"id": row["id"], "line": row.get("_line")}
    if row.get("doc_id") is not None:
        record["doc_id"] = row["doc_id"]
    record.update(fields)
    return record


__all__ = ["EvalOptions", "Record", "Row", "Suite", "base_record", "clean_row"]
