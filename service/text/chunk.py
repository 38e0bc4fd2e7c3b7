"""Pack sentences into chunks that fit a token budget, never truncating.

Consecutive sentences are packed greedily. A sentence over the budget is split further at
clause boundaries — "; " then ": " then ", " then plain whitespace — and the pieces are
packed like sentences. Cuts are only made at whitespace, never between digits, so figures
("1.234,56", "7.500", "7 500", "11:00") stay whole and joining the chunks with single
spaces gives the input back (modulo whitespace). A piece that still does not fit (one
"word" longer than the budget) raises `SegmentTooLongError`.
"""

import re
from collections.abc import Callable, Iterable

from service.text.errors import SegmentTooLongError

TokenCounter = Callable[[str], int]

# Each level splits after the mark, at the whitespace that follows it.
_SPLIT_LEVELS = (
    re.compile(r"(?<=;)\s+"),
    re.compile(r"(?<=:)\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"(?<!\d)\s+|\s+(?!\d)"),  # any whitespace not between two digits
)


def chunk_sentences(sentences: list[str], count_tokens: TokenCounter, budget: int) -> list[str]:
    """Greedily pack `sentences` into chunks with `count_tokens(chunk) <= budget`.

    Sentences in a chunk are joined with one space. Raises `SegmentTooLongError` if some
    piece cannot be made small enough; raises `ValueError` if `budget` < 1.
    """
    if budget < 1:
        raise ValueError(f"budget must be at least 1 token, got {budget}")
    pieces: list[str] = []
    for sentence in sentences:
        sentence = " ".join(sentence.split())
        if not sentence:
            continue
        if count_tokens(sentence) <= budget:
            pieces.append(sentence)
        else:
            pieces.extend(_split_long(sentence, count_tokens, budget, level=0))
    return _pack(pieces, count_tokens, budget)


def _pack(pieces: Iterable[str], count_tokens: TokenCounter, budget: int) -> list[str]:
    """Greedy packing of pieces that each fit on their own."""
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current} {piece}" if current else piece
        if current and count_tokens(candidate) > budget:
            chunks.append(current)
            current = piece
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks


def _split_long(text: str, count_tokens: TokenCounter, budget: int, level: int) -> list[str]:
    """Split `text` (over budget) into pieces that each fit, trying finer levels in turn."""
    if level >= len(_SPLIT_LEVELS):
        raise _too_long(text, count_tokens(text), budget)
    parts = [p for p in _SPLIT_LEVELS[level].split(text) if p]
    if len(parts) == 1:
        return _split_long(text, count_tokens, budget, level + 1)
    fitting: list[str] = []
    for part in parts:
        if count_tokens(part) <= budget:
            fitting.append(part)
        else:
            fitting.extend(_split_long(part, count_tokens, budget, level + 1))
    return _pack(fitting, count_tokens, budget)


def _too_long(text: str, tokens: int, budget: int) -> SegmentTooLongError:
    shown = text if len(text) <= 60 else text[:57] + "..."
    return SegmentTooLongError(
        f"A piece of text of {tokens} tokens ({len(text)} characters, {shown!r}) cannot be "
        f"split to fit the chunk budget of {budget} tokens.",
        hint="Use a model with a larger context (chunk budget), or check the input for "
        "run-together text such as a long URL, a table or encoded data.",
    )
