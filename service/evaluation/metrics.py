"""Metric wrappers: sacrebleu BLEU and chrF++ (with their signatures), rouge-score ROUGE.

Every corpus score comes back as a dict with `score` and `signature`, so reports never show a
number without the settings that made it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from importlib import metadata
from statistics import mean
from typing import Any

from sacrebleu.metrics import BLEU, CHRF

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


def _bleu() -> BLEU:
    return BLEU()


def _chrf() -> CHRF:
    return CHRF(word_order=2)  # chrF++


def corpus_bleu(hypotheses: Sequence[str], references: Sequence[str]) -> dict[str, Any]:
    metric = _bleu()
    result = metric.corpus_score(list(hypotheses), [list(references)])
    return {"score": round(result.score, 2), "signature": str(metric.get_signature()), "detail": str(result)}


def corpus_chrf(hypotheses: Sequence[str], references: Sequence[str]) -> dict[str, Any]:
    metric = _chrf()
    result = metric.corpus_score(list(hypotheses), [list(references)])
    return {"score": round(result.score, 2), "signature": str(metric.get_signature()), "detail": str(result)}


def sentence_chrf(hypothesis: str, reference: str) -> float:
    return round(_chrf().sentence_score(hypothesis, [reference]).score, 2)


def sacrebleu_signatures() -> dict[str, str]:
    """The signatures BLEU and chrF++ will carry (one reference), known before any scoring."""
    signatures = {}
    for name, make in (("bleu", _bleu), ("chrf", _chrf)):
        metric = make()
        metric.corpus_score(["a"], [["a"]])
        signatures[name] = str(metric.get_signature())
    return signatures


def sentences_on_lines(text: str) -> str:
    """rougeLsum compares summaries sentence by sentence: one sentence per line."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return "\n".join(s for line in lines for s in _SENTENCE_END.split(line) if s.strip())


def rouge_signature() -> str:
    return f"rouge-score:{metadata.version('rouge-score')}|stemmer:yes|types:{','.join(ROUGE_TYPES)}|lsum:sentence-per-line|agg:mean-F1"


def rouge_scores(predictions: Sequence[str], references: Sequence[str]) -> list[dict[str, float]]:
    """F1 × 100 per pair, for each ROUGE type."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    rows = []
    for prediction, reference in zip(predictions, references, strict=True):
        scores = scorer.score(sentences_on_lines(reference), sentences_on_lines(prediction))
        rows.append({name: round(scores[name].fmeasure * 100, 2) for name in ROUGE_TYPES})
    return rows


def corpus_rouge(predictions: Sequence[str], references: Sequence[str]) -> dict[str, Any]:
    rows = rouge_scores(predictions, references)
    result: dict[str, Any] = {name: round(mean(r[name] for r in rows), 2) if rows else None for name in ROUGE_TYPES}
    result["signature"] = rouge_signature()
    return result


METRICS: dict[str, Callable[[Sequence[str], Sequence[str]], dict[str, Any]]] = {
    "bleu": corpus_bleu,
    "chrf": corpus_chrf,
    "rouge": corpus_rouge,
}


def paired_bootstrap(
    baseline: Sequence[str], candidate: Sequence[str], references: Sequence[str], n_samples: int = 1000
) -> dict[str, dict[str, Any]]:
    """sacrebleu's paired bootstrap resampling for BLEU and chrF++ (candidate vs baseline)."""
    from sacrebleu.significance import PairedTest, Result

    test = PairedTest(
        [("baseline", list(baseline)), ("candidate", list(candidate))],
        {"bleu": _bleu(), "chrf": _chrf()},
        references=[list(references)],
        test_type="bs",
        n_samples=n_samples,
    )
    signatures, scores = test()  # keyed by sacrebleu's own metric names ("BLEU", "chrF2++")
    result = {}
    for name in ("bleu", "chrf"):
        key = next(k for k in scores if k.lower().startswith(name))
        base, cand = scores[key]
        # a metric's row holds Results (only the "System" row holds names); the paired bootstrap sets ci and p_value
        assert isinstance(base, Result) and isinstance(cand, Result)
        assert base.ci is not None and cand.ci is not None and cand.p_value is not None
        result[name] = {
            "baseline": round(float(base.score), 2),
            "candidate": round(float(cand.score), 2),
            "baseline_ci": round(float(base.ci), 2),
            "candidate_ci": round(float(cand.ci), 2),
            "p_value": round(float(cand.p_value), 4),
            "signature": str(signatures[key]),
        }
    return result
