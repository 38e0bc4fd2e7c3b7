"""Italian expressions whose literal English is wrong: notes for the model, and a check of its answer.

The phrasebook (`phrasebook_it_en.yaml`, next to this file) lists reflexives ("si propongono come"),
idioms ("con forza", "non a caso"), false friends ("attualmente", "parenti") and legal and
institutional terms ("indagato", "Viminale"). For a passage, `notes_for` returns the entries whose
Italian pattern it contains; the translation prompt shows them as notes, one per line:

    - «si è astenuto» → abstained / abstention (in a vote)

`meaning_flags` checks a translation against the same entries: an entry whose `avoid` pattern
(the literal trap) is in the English, or whose `expect` pattern is not, is a flag. The guard ranks
candidates by these flags after the fact report, and the brief lists what is left as "check by hand".
This is a lexical check of known traps, not a judgement of meaning in general.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

PHRASEBOOK_PATH = Path(__file__).with_name("phrasebook_it_en.yaml")


@dataclass(frozen=True)
class Entry:
    italian: re.Pattern[str]
    english: str
    expect: re.Pattern[str] | None = None
    avoid: re.Pattern[str] | None = None


@dataclass(frozen=True)
class PhraseNote:
    """One entry found in a passage: the Italian text matched and what to write for it."""

    italian: str
    english: str
    entry: Entry

    @property
    def line(self) -> str:
        return f"- «{self.italian}» → {self.english}"

    def problem(self, english: str) -> str | None:
        """Why `english` does not follow this note, or None when it does (or cannot be checked)."""
        if self.entry.avoid is not None:
            wrong = self.entry.avoid.search(english)
            if wrong:
                return f"«{self.italian}» rendered as «{wrong.group(0)}» (expected: {self.english})"
        if self.entry.expect is not None and not self.entry.expect.search(english):
            return f"«{self.italian}» not rendered as expected ({self.english})"
        return None


@dataclass(frozen=True)
class Phrasebook:
    version: str
    entries: tuple[Entry, ...]

    @property
    def ref(self) -> str:
        return f"phrasebook@{self.version}"

    def notes_for(self, italian: str) -> list[PhraseNote]:
        """The entries found in `italian`, in order of appearance, one note per entry."""
        text = _normalise(italian)
        found: list[tuple[tuple[int, int], PhraseNote]] = []
        for entry in self.entries:
            match = entry.italian.search(text)
            if match:
                found.append((match.span(), PhraseNote(match.group(0), entry.english, entry)))
        # the longest match wins: a note whose text lies inside another's ("con forza" inside
        # "appoggia … con forza") is dropped
        kept = [(span, note) for span, note in found if not any(_inside(span, other) for other, _ in found)]
        return [note for _, note in sorted(kept, key=lambda pair: pair[0])]

    def meaning_flags(self, italian: str, english: str) -> list[str]:
        """One message per note the English does not follow."""
        return [problem for note in self.notes_for(italian) if (problem := note.problem(english)) is not None]


def _inside(span: tuple[int, int], other: tuple[int, int]) -> bool:
    return other[0] <= span[0] and span[1] <= other[1] and span != other


def _normalise(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


def _compile(pattern: str | None, where: str) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"phrasebook {where}: invalid pattern {pattern!r}: {exc}") from exc


@lru_cache
def load_phrasebook(path: Path = PHRASEBOOK_PATH) -> Phrasebook:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = []
    for number, raw in enumerate(data["entries"], 1):
        where = f"{path.name} entry {number}"
        unknown = set(raw) - {"it", "en", "expect", "avoid"}
        if unknown or not raw.get("it") or not raw.get("en"):
            raise ValueError(f"phrasebook {where}: needs `it` and `en`, may have `expect`/`avoid`; got {sorted(raw)}")
        italian = _compile(raw["it"], where)
        assert italian is not None
        entries.append(Entry(italian, raw["en"], _compile(raw.get("expect"), where), _compile(raw.get("avoid"), where)))
    return Phrasebook(str(data["version"]), tuple(entries))


def notes_for(italian: str) -> list[PhraseNote]:
    return load_phrasebook().notes_for(italian)


def meaning_flags(italian: str, english: str) -> list[str]:
    return load_phrasebook().meaning_flags(italian, english)
