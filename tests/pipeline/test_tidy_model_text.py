"""The wrappers small models put around a translation are removed, the translation itself is not touched."""

from __future__ import annotations

import pytest

from service.pipeline.translate import tidy_model_text


@pytest.mark.parametrize("wrapped", [
    "Here is the translation: The mayor opened the school.",
    "Here's the English translation:\n\nThe mayor opened the school.",
    # seen in the selector study (NTREX, a sampled candidate): a leading "Sure," and a typographic apostrophe
    "Sure, here’s the English translation:\n\nThe mayor opened the school.",
    "Certainly! Here is the translation:\nThe mayor opened the school.",
    "```\nThe mayor opened the school.\n```",
    '"The mayor opened the school."',
])
def test_wrappers_are_removed(wrapped):
    assert tidy_model_text(wrapped) == "The mayor opened the school."


@pytest.mark.parametrize("text", [
    "Sure enough, the mayor opened the school.",
    'He said "yes" and "no".',
    "The translation: a new law for translators.",
])
def test_text_that_only_looks_like_a_wrapper_is_kept(text):
    assert tidy_model_text(text) == text
