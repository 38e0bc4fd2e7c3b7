"""Sentences known to break the raw offline model, translated with the guard on the real model."""

from __future__ import annotations

import pytest

from service.facts import check_translation
from service.guard import Guard
from service.guard.policy import MAX_TRANSLATION_ATTEMPTS, policy_for
from service.models.registry import get_backend
from service.pipeline.result import UsageStats
from service.pipeline.translate import ChunkTranslator
from service.settings import get_settings

pytestmark = pytest.mark.slow

HARD = [
    "Il 28enne Vidal è stato arrestato martedì sera.",  # raw: "The 28th Vidal ... on Monday"
    "In provincia si contano 12.100 casi, il 2,5% in più della settimana scorsa.",  # raw: "12.100 cases"
    "Il governo ha stanziato 3 miliardi di euro e 450 milioni per le scuole.",  # million/billion
    "La riunione è fissata per giovedì 9 novembre alle 20,30.",  # weekday, date, time
]


@pytest.fixture(scope="module")
def translator():
    settings = get_settings()
    return ChunkTranslator(get_backend(settings.translate_config, settings), settings.prompts_dir, policy_for(Guard.REPAIR), UsageStats())


@pytest.mark.parametrize("source", HARD)
def test_guarded_translation_keeps_every_figure(translator, source):
    result = translator.translate_chunk(source, None)
    report = check_translation(source, result.translation)
    assert report.issues == 0, (result.translation, [r.typed() for r in report.flagged()])
    assert result.attempts <= MAX_TRANSLATION_ATTEMPTS
