"""`speed`: the whole brief (translate, facts, headline, summary) per article — tokens/s,
seconds per article and per stage, peak memory."""

from __future__ import annotations

import os
from typing import Any

from ..data import fields_for
from ..stats import run_block, speed_stats
from .base import Record, Row, Suite, base_record


class SpeedSuite(Suite):
    name = "speed"
    description = "tokens/s, seconds per article and per stage, peak memory (whole brief per row)"
    roles = ("translate", "writer")

    def signed_options(self) -> dict[str, Any]:
        return {"write": list(self.options.write), "threads": self.settings.threads or os.cpu_count(), "language_check": False}

    def process(self, unit: list[Row]) -> list[Record]:
        row = unit[0]
        text = row[(fields_for("speed", row) or ("article",))[0]]
        result = self.pipeline.run(text, self.run_options())
        return [base_record(row, chars=len(text), words=len(text.split()), run=run_block(result), output_words=len(result.translation.split()))]

    def summarize(self, records: list[Record]) -> dict[str, Any]:
        speed = speed_stats(records)
        words = sum(r["words"] for r in records)
        seconds = sum(r["run"]["timings"].get("total", 0.0) for r in records)
        speed["source_words_per_second"] = round(words / seconds, 2) if seconds else None
        speed["cpu_threads"] = self.settings.threads or os.cpu_count()
        return {"speed": speed}

    def headline(self, metrics: dict[str, Any]) -> dict[str, Any]:
        speed = metrics["speed"]
        per_article = speed.get("seconds_per_unit") or {}
        stages = {f"{stage}_s": block["mean"] for stage, block in (speed.get("stages") or {}).items() if block}
        return {
            "tokens_per_second": speed.get("tokens_per_second"),
            "seconds_per_article": per_article.get("mean"),
            "seconds_per_article_p90": per_article.get("p90"),
            **stages,
            "peak_rss_mb": (speed.get("peak_memory") or {}).get("rss_mb"),
        }
