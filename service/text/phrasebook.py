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

A few entries also carry a `fix`: a rewrite of the literal trap that is right wherever the entry
matches (the "verb … con forza" entries: «supports X with force» → «strongly supports X»).
`fix_text` applies them; the guard keeps the result only when it clears a flag without costing a
fact, and the brief says that a rule, not the model, wrote those words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

PHRASEBOOK_PATH = Path(__file__).with_name("phrasebook_it_en.yaml")


@dataclass(frozen=True)
class Fix:
    """Replace the `avoid` match by `write`; with `before`, put `write` in front of the last match
    of `before` earlier in the same sentence (an adverb before its verb) and drop the match."""

    write: str
    before: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Entry:
    italian: re.Pattern[str]
    english: str
    expect: re.Pattern[str] | None = None
    avoid: re.Pattern[str] | None = None
    fix: Fix | None = None


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

    def fixed(self, english: str) -> tuple[str, str] | None:
        """`english` with this entry's trap rewritten by its `fix`, and what was done; None when
        the entry has no fix or the trap is not there."""
        fix, avoid = self.entry.fix, self.entry.avoid
        if fix is None or avoid is None:
            return None
        # the trap whose sentence has the entry's verb before it; else the first one
        places = [(wrong, *_verbs_before(english, wrong.start(), fix.before)) for wrong in avoid.finditer(english)]
        if not places:
            return None
        wrong, sentence_start, verbs = next((place for place in places if place[2]), places[0])
        if not verbs:  # no verb to move before: the adverb takes the trap's place
            text = english[: wrong.start()] + fix.write + english[wrong.end() :]
            return text, f"«{self.italian}»: «{wrong.group(0)}» → «{fix.write}»"
        verb = verbs[-1]
        word = fix.write.capitalize() if verb.start() == sentence_start else fix.write
        verb_text = verb.group(0).lower() if verb.start() == sentence_start and verb.group(0)[1:].islower() else verb.group(0)
        before_trap = english[: wrong.start()].rstrip(" ")
        text = english[: verb.start()] + f"{word} {verb_text}" + before_trap[verb.end() :] + english[wrong.end() :]
        return text, f"«{self.italian}»: «{wrong.group(0)}» dropped, «{word}» put before «{verb.group(0)}»"


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

    def fix_text(self, italian: str, english: str) -> tuple[str, list[str]]:
        """`english` with every trap that has a `fix` rewritten, and one line per rewrite."""
        done = []
        for note in self.notes_for(italian):
            result = note.fixed(english)
            if result is not None:
                english, what = result
                done.append(what)
        return english, done


_SENTENCE_END = re.compile(r"[.!?]+[\"”’)]*\s+")


def _verbs_before(english: str, position: int, verb: re.Pattern[str] | None) -> tuple[int, list[re.Match[str]]]:
    """Where the sentence holding `position` starts, and the matches of `verb` in it before `position`."""
    start = max((m.end() for m in _SENTENCE_END.finditer(english, 0, position)), default=0)
    return start, list(verb.finditer(english, start, position)) if verb is not None else []


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
        unknown = set(raw) - {"it", "en", "expect", "avoid", "fix", "fix_before"}
        if unknown or not raw.get("it") or not raw.get("en"):
            raise ValueError(f"phrasebook {where}: needs `it` and `en`, may have `expect`/`avoid`/`fix`/`fix_before`; got {sorted(raw)}")
        if ("fix" in raw or "fix_before" in raw) and not (raw.get("fix") and raw.get("avoid")):
            raise ValueError(f"phrasebook {where}: `fix` (and `fix_before`) rewrite the `avoid` match: give both `fix` and `avoid`")
        italian = _compile(raw["it"], where)
        assert italian is not None
        fix = Fix(raw["fix"], _compile(raw.get("fix_before"), where)) if raw.get("fix") else None
        entries.append(Entry(italian, raw["en"], _compile(raw.get("expect"), where), _compile(raw.get("avoid"), where), fix))
    return Phrasebook(str(data["version"]), tuple(entries))


def notes_for(italian: str) -> list[PhraseNote]:
    return load_phrasebook().notes_for(italian)


def meaning_flags(italian: str, english: str) -> list[str]:
    return load_phrasebook().meaning_flags(italian, english)


def fix_text(italian: str, english: str) -> tuple[str, list[str]]:
    return load_phrasebook().fix_text(italian, english)
