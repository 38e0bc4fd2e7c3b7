"""Hard rules a headline and a summary must obey, and the score that ranks the ones that do.

Rules (a candidate that breaks one is rejected):
- headline: one line, at most 14 words, not a copy or prefix of the summary's first sentence,
  no figure or name the article does not support;
- summary: 2 to 4 sentences, at most 90 words, no unsupported figure or name.

Score (higher is better, only among candidates that obey every rule):
- headline: key facts it carries (at most 2 count) − 0.1 per word away from 10 words
  − 1 if it is in Title Case − 1 if it is a question;
- summary: share of the article's key facts it carries − 0.005 per word over 60.
"""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["headline", "summary"]

HEADLINE_MAX_WORDS = 14
SUMMARY_MIN_SENTENCES = 2
SUMMARY_MAX_SENTENCES = 4
SUMMARY_MAX_WORDS = 90

# A sentence ends at . ! ? (plus closing quotes) before whitespace and a capital, digit or quote,
# unless the period closes a short abbreviation or initial ("U.S.", "Mr.", "J.").
_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(A-Z0-9$€£])")
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Prof|Inc|Co|Ltd|No|vs|etc)\.)$")
_WORD = re.compile(r"[\w$€£%'’-]+", re.UNICODE)


def english_sentences(text: str) -> list[str]:
    """Split English prose into sentences (whitespace cuts only; abbreviations kept whole)."""
    sentences: list[str] = []
    start = 0
    for match in _END.finditer(text):
        head = text[start : match.start()].rstrip("\"'”’)")
        if _ABBREVIATION.search(head):
            continue
        sentences.append(text[start : match.start()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if s]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def _normalised_words(text: str) -> list[str]:
    return [w.lower().strip("'’") for w in words(text)]


def copies_summary(headline: str, summary: str) -> bool:
    """True when the headline is the summary's first sentence, or the start of it."""
    first = english_sentences(summary)[:1]
    if not first:
        return False
    head, lead = _normalised_words(headline), _normalised_words(first[0])
    return bool(head) and len(head) >= min(3, len(lead)) and lead[: len(head)] == head


def title_case(text: str) -> bool:
    long_words = [w for w in text.split() if len(w) > 3 and w[0].isalpha()]
    return len(long_words) >= 4 and sum(w[0].isupper() for w in long_words[1:]) > 0.6 * (len(long_words) - 1)


def rule_breaks(kind: Kind, text: str, unsupported: int, summary: str | None = None) -> list[str]:
    """Every rule `text` breaks, each as a short phrase an editor can read ("17 words (max 14)")."""
    if not text.strip():
        return ["empty"]
    broken = []
    count = len(words(text))
    if kind == "headline":
        if "\n" in text.strip():
            broken.append("more than one line")
        if count > HEADLINE_MAX_WORDS:
            broken.append(f"{count} words (max {HEADLINE_MAX_WORDS})")
        if summary and copies_summary(text, summary):
            broken.append("repeats the summary's first sentence")
    else:
        sentences = len(english_sentences(text))
        if not SUMMARY_MIN_SENTENCES <= sentences <= SUMMARY_MAX_SENTENCES:
            broken.append(f"{sentences} sentence{'s' if sentences != 1 else ''} (2 to 4)")
        if count > SUMMARY_MAX_WORDS:
            broken.append(f"{count} words (max {SUMMARY_MAX_WORDS})")
    if unsupported:
        broken.append(f"{unsupported} unsupported figure{'s' if unsupported != 1 else ''}/name{'s' if unsupported != 1 else ''}")
    return broken


def covered(text: str, key_facts: list[str]) -> int:
    lowered = text.lower()
    return sum(1 for fact in key_facts if fact.lower() in lowered)


def score(kind: Kind, text: str, key_facts: list[str]) -> float:
    """The stated score (module docstring) of a candidate that obeys the rules."""
    count = len(words(text))
    if kind == "headline":
        value = min(covered(text, key_facts), 2) - 0.1 * abs(count - 10)
        value -= 1.0 * title_case(text) + 1.0 * text.rstrip().endswith("?")
        return round(value, 4)
    share = covered(text, key_facts) / len(key_facts) if key_facts else 1.0
    return round(share - 0.005 * max(0, count - 60), 4)


_TRAILING = frozenset(
    "a an the and or nor but of to in on at for with by from as into over about after before during under between against"
    " without while its his her their that which who than is are was were will would has have had".split()
)
_CLAUSE = re.compile(r"\s*(?:,|;|:|\s[-–—]\s)\s*")


def cut_headline(text: str) -> str:
    """A too-long headline cut to its first clause when that fits, else to the word limit,
    never ending on a function word ("… and", "… of the")."""
    text = " ".join(text.split())
    first_clause = _CLAUSE.split(text, maxsplit=1)[0]
    if 4 <= len(words(first_clause)) <= HEADLINE_MAX_WORDS:
        return first_clause.rstrip(".,;: ")
    kept = text.split()[:HEADLINE_MAX_WORDS]
    while len(kept) > 4 and kept[-1].lower().strip(",;:") in _TRAILING:
        kept.pop()
    return " ".join(kept).rstrip(".,;: ")


def cut_summary(text: str) -> str:
    """A too-long summary cut to whole sentences: at most 4, then fewer while over 90 words."""
    sentences = english_sentences(text)[:SUMMARY_MAX_SENTENCES]
    while len(sentences) > SUMMARY_MIN_SENTENCES and len(words(" ".join(sentences))) > SUMMARY_MAX_WORDS:
        sentences.pop()
    return " ".join(sentences)
