"""`brief bench`: backend throughput on the same sentences and weights, and the seed brief's stages.

Numbers come from one run on one machine so the ratio is meaningful even on a noisy host.
"""

from __future__ import annotations

import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models.base import GenerationRequest
from .models.registry import get_backend
from .pipeline.result import BriefResult
from .prompts import load_prompt
from .settings import Settings

# Long enough that decoding, not reading the prompt, dominates the time (about 150 tokens out).
BENCH_SENTENCES = (
    "Il Paese condivide 7.500 km di frontiera con la Russia e ha 19 milioni di abitanti. Martedì il "
    "governo ha stanziato 25 milioni di euro per le scuole, il 12% in più del 2023, e altri 3 miliardi "
    "per le strade. Secondo il ministro, i lavori partiranno il 3 marzo e dureranno 18 mesi; le regioni "
    "del nord riceveranno la quota maggiore, mentre il sud avrà un fondo di 450 milioni per i trasporti.",
    "Il 28enne Vidal è stato arrestato giovedì sera alle 20,30 a Milano dopo un inseguimento di 12 "
    "chilometri. La polizia ha sequestrato 2,5 kg di cocaina e 7.300 euro in contanti.",
)


@dataclass
class BackendSpeed:
    config: str
    load_seconds: float
    completion_tokens: int
    generation_seconds: float

    @property
    def tokens_per_second(self) -> float:
        return self.completion_tokens / self.generation_seconds if self.generation_seconds else 0.0


def backend_speed(settings: Settings, config_name: str, max_new_tokens: int = 192) -> BackendSpeed:
    backend = get_backend(config_name, settings)
    started = time.perf_counter()
    backend.ensure_loaded()
    load_seconds = time.perf_counter() - started
    prompt = load_prompt(settings.prompts_dir, "translate")
    tokens, seconds = 0, 0.0
    for sentence in BENCH_SENTENCES:
        # min_tokens is not portable across backends; a fixed prompt and greedy decoding keep
        # the two backends' outputs (and so their token counts) comparable.
        request = GenerationRequest(messages=prompt.messages(context="", text=sentence), max_new_tokens=max_new_tokens, temperature=0.0)
        generation = backend.generate(request)
        tokens += generation.completion_tokens
        seconds += generation.seconds
    return BackendSpeed(config_name, load_seconds, tokens, seconds)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


RAW_PROMPT = "Write a long story about a lighthouse keeper and his dog."


def raw_generation_seconds(settings: Settings, config_name: str, tokens: int = 200) -> tuple[float, int]:
    """The reference for the brief's wall time: one plain generation of `tokens` tokens (short prompt)."""
    backend = get_backend(config_name, settings)
    backend.ensure_loaded()
    request = GenerationRequest(messages=[{"role": "user", "content": RAW_PROMPT}], max_new_tokens=tokens, temperature=0.0)
    started = time.perf_counter()
    generation = backend.generate(request)
    return time.perf_counter() - started, generation.completion_tokens


def seed_brief_timings(settings: Settings, article: Path, config_name: str) -> dict[str, Any]:
    """The brief's stages, prompt tokens sent vs computed, prefill vs decode, and its wall time as a
    ratio to a raw 200-token generation measured just before (so the ratio holds on a busy host).

    The brief is asked for over HTTP (`POST /v1/briefs`, guard `repair`, an in-process app on a
    temporary job database), as a client asks; then the same request again, which the result cache
    must answer, identical, without the model."""
    from fastapi.testclient import TestClient

    from .api import create_app

    raw_seconds, raw_tokens = raw_generation_seconds(settings, config_name)
    body = {"article": article.read_text(encoding="utf-8"), "options": {"guard": "repair"}}
    with tempfile.TemporaryDirectory() as tmp:
        served = settings.model_copy(update={"database_path": Path(tmp) / "bench.sqlite3", "translate_config": config_name,
                                             "result_cache": True, "request_timeout_s": 3600.0})
        with TestClient(create_app(served)) as client:
            started = time.perf_counter()
            result = _brief(client, body)
            wall = time.perf_counter() - started
            started = time.perf_counter()
            repeated = _brief(client, body)
            repeat_wall = time.perf_counter() - started
    usage = result.usage
    return {
        "article": str(article),
        "timings": result.timings,
        "tokens_per_second": round(usage.tokens_per_second, 1),
        "model_calls": usage.calls,
        "reused_calls": usage.reused_calls,
        "prompt_tokens_sent": usage.prompt_tokens,
        "prompt_tokens_computed": usage.prompt_tokens_computed,
        "completion_tokens": usage.completion_tokens,
        "prefill_s": round(usage.prefill_seconds, 2),
        "decode_s": round(usage.generation_seconds - usage.prefill_seconds, 2),
        "raw_generation": {"tokens": raw_tokens, "seconds": round(raw_seconds, 2)},
        "wall_s": round(wall, 2),
        "wall_over_raw_200": round(wall / raw_seconds, 2) if raw_seconds else None,
        "fact_issues": result.facts.translation.issues,
        "guard": result.guard,
        "repeat": {"wall_s": round(repeat_wall, 3), "cached": repeated.cached, "identical": same_brief(result, repeated)},
    }


def _brief(client: Any, body: dict[str, Any]) -> BriefResult:
    response = client.post("/v1/briefs", json=body)
    if response.status_code != 200:
        raise RuntimeError(f"POST /v1/briefs answered {response.status_code}: {response.text[:500]}")
    return BriefResult.model_validate(response.json())


def same_brief(first: BriefResult, second: BriefResult) -> bool:
    """Everything a reader sees is equal: not the timings or usage (a cached answer cost nothing), nor `cached`."""
    ignore = {"timings", "usage", "cached"}
    return first.model_dump(exclude=ignore) == second.model_dump(exclude=ignore)
