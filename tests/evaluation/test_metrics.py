"""Golden values for the metric wrappers (sacrebleu's own README example; hand-checked ROUGE)."""

import pytest

from service.evaluation.metrics import (
    METRICS,
    corpus_bleu,
    corpus_chrf,
    corpus_rouge,
    paired_bootstrap,
    rouge_scores,
    sacrebleu_signatures,
    sentence_chrf,
    sentences_on_lines,
)

HYPS = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."]
REFS = ["The dog bit the man.", "It was not unexpected.", "The man bit him first."]


@pytest.mark.parametrize(
    ("metric", "hyps", "refs", "expected"),
    [
        (corpus_bleu, HYPS, REFS, 45.07),
        (corpus_chrf, HYPS, REFS, 51.73),
        (corpus_bleu, REFS, REFS, 100.0),
        (corpus_chrf, REFS, REFS, 100.0),
        (corpus_bleu, ["completely different words here"], ["nothing shared at all today"], 0.0),
    ],
)
def test_sacrebleu_golden(metric, hyps, refs, expected):
    assert metric(hyps, refs)["score"] == pytest.approx(expected, abs=0.01)


def test_signatures_name_the_settings():
    bleu = corpus_bleu(HYPS, REFS)["signature"]
    chrf = corpus_chrf(HYPS, REFS)["signature"]
    assert "nrefs:1" in bleu and "tok:13a" in bleu and "smooth:exp" in bleu and "version:" in bleu
    assert "nc:6" in chrf and "nw:2" in chrf  # chrF++: word bigrams on
    assert sacrebleu_signatures() == {"bleu": bleu, "chrf": chrf}


def test_sentence_chrf():
    assert sentence_chrf("The dog bit the man.", "The dog bit the man.") == 100.0
    assert 0 < sentence_chrf("The dog bit a man.", "The dog bit the man.") < 100


def test_rouge_golden():
    [scores] = rouge_scores(["The cat was on the mat. It was happy."], ["The cat sat on the mat. It was happy."])
    # 8 of 9 unigrams and 6 of 8 bigrams shared (sentence boundaries break bigrams in rougeLsum too)
    assert scores["rouge1"] == pytest.approx(88.89, abs=0.01)
    assert scores["rouge2"] == pytest.approx(75.0, abs=0.01)
    assert scores["rougeLsum"] == pytest.approx(88.89, abs=0.01)
    corpus = corpus_rouge(["a b c", "x y z"], ["a b c", "p q r"])
    assert corpus["rouge1"] == pytest.approx(50.0) and "stemmer:yes" in corpus["signature"]


def test_sentences_on_lines():
    assert sentences_on_lines('He paid $25m. Then he left! "Why?" she asked.\nNew line') == \
        'He paid $25m.\nThen he left!\n"Why?" she asked.\nNew line'
    assert sentences_on_lines("It cost 2.5 million. Fine.") == "It cost 2.5 million.\nFine."


def test_metrics_dict():
    assert set(METRICS) == {"bleu", "chrf", "rouge"}


def test_paired_bootstrap():
    refs = REFS * 8
    good = paired_bootstrap([h.upper() for h in HYPS] * 8, refs, refs, n_samples=200)
    assert good["chrf"]["candidate"] == 100.0 and good["chrf"]["p_value"] < 0.05
    # each system right on half the rows: no significant difference
    half_a = REFS * 4 + HYPS * 4
    half_b = HYPS * 4 + REFS * 4
    even = paired_bootstrap(half_a, half_b, refs, n_samples=200)
    assert even["chrf"]["p_value"] > 0.05 and even["bleu"]["p_value"] > 0.05
    assert "bs:200" in even["bleu"]["signature"]
