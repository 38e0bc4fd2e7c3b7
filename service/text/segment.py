"""Italian paragraph and sentence splitting.

Sentences are only ever cut at whitespace, so joining them back with single spaces gives
the paragraph again (modulo whitespace). A cut needs a sentence-final mark (. ? ! … ...)
possibly followed by closing quotes/brackets, then whitespace, then something that opens
a sentence (a capital, a digit, or an opening quote/bracket before one). Figures never
hold whitespace ("2,5", "7.500", "20.30", "28.02.2023"), so they are never cut.
The period of an abbreviation (`abbreviations.txt`) or of an initial ("G. Rossi") does
not end a sentence.
"""

import re
from functools import cache

from service.text._data import data_lines

_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«(["
# end mark, closing quotes/brackets, whitespace; the next sentence starts at group end
_CANDIDATE = re.compile(rf"(?:\.\.\.|[.?!…])+[{re.escape(_CLOSERS)}]*(\s+)")
_LETTER_DOTS = re.compile(r"(?:[^\W\d_]{1,2}\.)*[^\W\d_]\.", re.UNICODE)
_SINGLE_CAPITAL = re.compile(r"[^\W\d_]\.", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Words that commonly open an Italian sentence: after a "may-end" abbreviation
# (ecc., S.p.A., a.C.) a cut is made only before one of these.
_SENTENCE_OPENERS = frozenset(
    """il lo la i gli le l un uno una questo questa questi queste quello quella
    poi ma e ed o inoltre intanto infatti invece però quindi dunque anche anzi oggi ieri
    domani allora così secondo per in nel nella nei negli nelle a al alla ai agli alle da dal
    dalla dai con su sul sulla tra fra dopo prima durante mentre se non ci si ne è era sono
    chi che cosa come quando dove perché tutto tutti nessuno ogni alcuni molti""".split()
)


@cache
def _abbreviations() -> tuple[frozenset[str], frozenset[str]]:
    """(never-final, may-end) abbreviations, lower-case with final period."""
    never: set[str] = set()
    may_end: set[str] = set()
    for line in data_lines("abbreviations.txt"):
        parts = line.split()
        (may_end if parts[1:] == ["may-end"] else never).add(parts[0].lower())
    return frozenset(never), frozenset(may_end)


def split_paragraphs(text: str) -> list[str]:
    """Split at blank lines; inner line breaks become spaces; empty paragraphs dropped."""
    blocks = re.split(r"\n[ \t\u00a0]*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    paragraphs = (" ".join(block.split()) for block in blocks)
    return [p for p in paragraphs if p]


def split_sentences(paragraph: str) -> list[str]:
    """Split one Italian paragraph into sentences (see the module docstring)."""
    return [paragraph[start:end] for start, end in split_sentences_with_spans(paragraph)]


def split_sentences_with_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in `paragraph`, surrounding whitespace excluded."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(paragraph):
        end_of_mark, next_start = match.start(1), match.end(1)
        if next_start >= len(paragraph):
            break
        if _is_boundary(paragraph, match.start(), end_of_mark, next_start):
            _add_span(spans, paragraph, start, end_of_mark)
            start = next_start
    _add_span(spans, paragraph, start, len(paragraph))
    return spans


def _add_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + (len(piece) - len(piece.lstrip()))
        spans.append((offset, offset + len(stripped)))


def _is_boundary(text: str, mark_start: int, mark_end: int, next_start: int) -> bool:
    """Decide whether the end mark at text[mark_start:mark_end] closes a sentence."""
    following = text[next_start:]
    opener = following.lstrip(_OPENERS)[:1]
    if not opener or not (opener.isupper() or opener.isdigit()):
        return False  # lower case or punctuation: the sentence goes on
    mark = text[mark_start:mark_end]
    if not mark.startswith(".") or mark.startswith(".."):
        return True  # ? ! … ... (a lower-case follow-up was already excluded)
    token = _token_before(text, mark_start) + "."
    if not token or token == ".":
        return True
    never, may_end = _abbreviations()
    lowered = token.lower()
    if lowered in never:
        return False
    if _SINGLE_CAPITAL.fullmatch(token) and token[0].isupper():
        return False  # an initial: "G. Rossi", "J. R. R. Tolkien"
    if lowered in may_end or _LETTER_DOTS.fullmatch(token):
        word = _WORD.match(following.lstrip(_OPENERS))
        return word is not None and word.group(0).lower() in _SENTENCE_OPENERS
    return True


def _token_before(text: str, index: int) -> str:
    """The word right before `index` without leading brackets/quotes or elision ("l'on")."""
    begin = index
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    token = text[begin:index].lstrip(_OPENERS)
    for apostrophe in ("'", "’"):
        token = token.rpartition(apostrophe)[2]
    return token
