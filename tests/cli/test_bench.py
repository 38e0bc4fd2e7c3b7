"""`brief bench`'s seed-brief figures, on the fake backend (plumbing only; the real figures are in the README)."""

from __future__ import annotations

from pathlib import Path

from service.bench import seed_brief_timings
from service.models.registry import clear_backends
from service.settings import Settings

ARTICLE = "Il Comune ha stanziato 12 milioni di euro per 40 scuole. I lavori inizieranno a settembre 2025."


def test_the_seed_brief_is_asked_over_http_then_answered_again_from_the_result_cache(fake_configs_dir: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    settings = Settings(model_configs_dir=fake_configs_dir, database_path=tmp_path / "unused.sqlite3", _env_file=None)
    clear_backends()
    try:
        report = seed_brief_timings(settings, article, "fake")
    finally:
        clear_backends()
    assert report["guard"] == "repair"
    assert report["wall_s"] > 0 and report["wall_over_raw_200"] is not None
    assert report["prompt_tokens_sent"] >= report["prompt_tokens_computed"] >= 0
    assert report["repeat"]["cached"] is True and report["repeat"]["identical"] is True
    assert not (tmp_path / "unused.sqlite3").exists(), "the bench's app uses its own temporary job database"
