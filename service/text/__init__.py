"""Text preparation: clean an article, split it into sentences, pack them into chunks.

    article = clean_article(raw, max_chars=settings.max_article_chars)
    ensure_italian(article.text)
    sentences = [s for p in article.paragraphs for s in split_sentences(p)]
    chunks = chunk_sentences(sentences, backend.count_tokens, budget)
"""

from service.text.chunk import chunk_sentences
from service.text.clean import FORMATS, CleanedArticle, clean_article, detect_format, normalize_text
from service.text.errors import (
    EmptyInputError,
    EncodingError,
    InputTooLargeError,
    NotItalianError,
    SegmentTooLongError,
)
from service.text.language import LANGUAGE_CODES, detect_languages, ensure_italian, italian_score, language_votes
from service.text.segment import split_paragraphs, split_sentences, split_sentences_with_spans

__all__ = [
    "CleanedArticle",
    "EmptyInputError",
    "EncodingError",
    "FORMATS",
    "LANGUAGE_CODES",
    "InputTooLargeError",
    "NotItalianError",
    "SegmentTooLongError",
    "chunk_sentences",
    "clean_article",
    "detect_format",
    "detect_languages",
    "ensure_italian",
    "italian_score",
    "language_votes",
    "normalize_text",
    "split_paragraphs",
    "split_sentences",
    "split_sentences_with_spans",
]
