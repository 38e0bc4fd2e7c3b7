"""Names of people, places and organisations, and how to find them again in a translation.

Italian: gazetteer spans first (CLDR territory names via babel, plus the hand-written exonyms and
organisations in data/names.yaml), then other capitalised spans. A span only counts as a checked
name when it has a *core* token a translator keeps verbatim: not a stop word (stop-words package)
and not a capitalised Italian institution word ("Segretario di Stato" is translated, not kept).
English: capitalised spans, used for unsupported names and for headline/summary support.

Matching is lenient: case-insensitive, accents stripped, possessive 's dropped, any core token
(a surname alone matches "Antony Blinken"), close spellings (Tokaev ~ Tokayev), acronyms exact.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from stop_words import get_stop_words

from . import lexicon
from .fact import Fact

_CAP = r"(?:[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:[-’'.&][^\W\d_]+)*)"
_CONNECT = r"(?:di|del|della|dei|degli|delle|de|da|van|von|der|dos|bin|al|of|the|for|and|e|la|le|du)"
_SPAN = re.compile(rf"(?<![\w-]){_CAP}(?:\s+(?:{_CONNECT}\s+)?{_CAP})*")
_CODE = re.compile(r"\b[A-Z]{1,4}\d+(?:\s?\+\s?\d+)?(?!\w)")  # "C5+1", "G7", "F1"
_SENT_START = re.compile(r"(?:^|[.!?:;\"“”«»(\[\n—–-]\s*|\n)\s*$")
_TOKEN = re.compile(r"[\w]+(?:[-.'’][\w]+)*\.?")
_ROMAN = re.compile(r"[IVXLC]+")
_PLACE_CUE = re.compile(r"\b(?:a|ad|in|da|at|to|from)\s+$")
_ORG_WORDS = {"Università", "Banca", "Partito", "Ministero", "Commissione", "Consiglio",
              "Corte", "Istituto", "Fondazione", "Associazione", "Federazione", "Agenzia",
              "Organizzazione", "Unione", "Museo", "Scuola", "University", "Bank", "Party",
              "Ministry", "Council", "Court", "Institute", "Foundation", "Agency", "Union",
              "Association", "Federation", "Committee", "Commission", "Company", "Inc", "Ltd"}


@lru_cache(maxsize=2)
def stopwords(lang: str) -> frozenset[str]:
    return frozenset(get_stop_words("italian" if lang == "it" else "english"))


def norm(text: str) -> str:
    """'Blinken’s' -> 'blinken', 'Tokayév' -> 'tokayev', 'U.S.' -> 'US' (acronyms keep case)."""
    text = lexicon.strip_accents(text).replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"\b((?:[A-Z]\.){2,})", lambda m: m.group(1).replace(".", ""), text)
    words = re.findall(r"[\w+]+", text)
    return " ".join(w if _acronym(w) or any(c.isdigit() for c in w) else w.lower() for w in words)


def _acronym(word: str) -> bool:
    """'UN', 'AMs' (plural acronym); not 'A' and not shouted words like 'CONTEGGIO'."""
    core = word[:-1] if word.endswith("s") else word
    return 1 < len(core) <= 5 and core.isupper()


@lru_cache(maxsize=2)
def _gazetteer_rx(lang: str) -> re.Pattern[str]:
    gaz = lexicon.gazetteer()
    keys = gaz.it_to_en.keys() if lang == "it" else {n for v in gaz.it_to_en.values() for n in v}
    alt = "|".join(re.escape(k).replace("'", "['’]") for k in sorted(keys, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alt})(?![\w-])")


@lru_cache(maxsize=1)
def _en_kind() -> dict[str, tuple[str, str]]:
    gaz = lexicon.gazetteer()
    out = {}
    for it_name, en_names in gaz.it_to_en.items():
        for en in en_names:
            out.setdefault(en, (gaz.kind_of[it_name], en_names[0]))
    return out


def _sentence_initial(text: str, pos: int) -> bool:
    return bool(_SENT_START.search(text[max(0, pos - 3):pos])) or pos == 0


def _core_tokens(span: str, lang: str) -> list[str]:
    common = lexicon.gazetteer().it_common if lang == "it" else frozenset()
    stop = stopwords(lang)
    out = []
    tokens = _TOKEN.findall(span)
    if sum(t.isupper() and len(t) > 1 for t in tokens) >= 3:
        return []  # shouting in capitals, not a name
    for tok in tokens:
        tok = re.split(r"['’]", tok.rstrip("."))[-1]  # elision: "dell’Assemblea", "C’è"
        parts = tok.split("-")
        if len(parts) > 1 and all(p.lower() in stop or p.capitalize() in common for p in parts):
            continue  # "Nord-est"
        if (tok[:1].islower() or tok.lower() in stop or tok in common or len(tok) < 2 or tok.lower().endswith("mente")
                or _ROMAN.fullmatch(tok) or (tok.isupper() and len(tok) > 5)):
            continue
        out.append(tok)
    return out


def extract_names(text: str, lang: str, claimed: list[tuple[int, int]]) -> list[Fact]:
    """Name facts in `text` (lang 'it' or 'en'), skipping spans in `claimed`."""
    out: list[Fact] = []
    taken = list(claimed)

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    gaz = lexicon.gazetteer()
    for m in _gazetteer_rx(lang).finditer(text):
        if not free(*m.span()):
            continue
        found = m.group().replace("’", "'")
        if lang == "it":
            en = gaz.it_to_en[found]
            kind = gaz.kind_of[found]
        else:
            kind, first = _en_kind()[found]
            en = (found, first)
        out.append(Fact(kind, m.group(), m.span(), (kind, en[0]), english=en[0],
                        keys=tuple(dict.fromkeys(norm(e) for e in en))))
        taken.append(m.span())
    for m in _CODE.finditer(text):
        if free(*m.span()):
            code = m.group().replace(" ", "")
            out.append(Fact("org", m.group(), m.span(), ("org", code), english=code, keys=(norm(code),)))
            taken.append(m.span())
    masked = list(text)
    for a, b in taken:
        masked[a:b] = "¦" * (b - a)
    for m in _SPAN.finditer("".join(masked)):
        start, span = m.start(), m.group()
        core = _core_tokens(span, lang)
        if not core:
            continue
        if _sentence_initial(text, start) and len(_TOKEN.findall(span)) == 1 and \
                not re.search(rf"(?<![.!?]\s)(?<!^)\b{re.escape(span)}\b", text[m.end():]):
            continue  # a lone capitalised word opening a sentence: probably not a name
        first = text.find(core[0], start)
        end = m.end()
        name = text[first:end].rstrip(".")
        kind = "org" if any(t in _ORG_WORDS for t in _TOKEN.findall(span)) else "person"
        if kind == "person" and len(core) == 1 and _PLACE_CUE.search(text[max(0, start - 4):start]):
            kind = "place"  # "ad Astana", "in Texas"
        if lang == "en" and name in _en_kind():
            kind = _en_kind()[name][0]
        keys = tuple(dict.fromkeys(norm(t) for t in core))
        out.append(Fact(kind, name, (first, first + len(name)), (kind, norm(name)),
                        english=name, keys=keys, soft=lang == "it" and _italian_looking(core)))
        taken.append((first, end))
    return sorted(out, key=lambda f: f.span)


def _italian_looking(core: list[str]) -> bool:
    """One vowel-final word ('Terra', 'Premio', 'Bibbia'): likely a capitalised Italian noun that
    the English translates. Such names are extracted but not compared (see compare.py)."""
    return len(core) == 1 and core[0][-1].lower() in "aeiouàèéìòù" and not core[0].isupper()


class NameIndex:
    """The words of a text, normalised once, to look name keys up quickly."""

    def __init__(self, text: str) -> None:
        self.text = " " + norm(text) + " "
        self.words = set(self.text.split())
        # plural acronyms ("AMs") and plurals ("Blues") also count as the singular
        self.words |= {w[:-1] for w in self.words if len(w) > 2 and w.endswith("s")}
        self.lower_words = {w.lower() for w in self.words}
        # German transliteration: Wuerttemberg ~ Württemberg (accents are already stripped)
        self.lower_words |= {w.replace("ue", "u").replace("oe", "o").replace("ae", "a")
                             for w in self.lower_words}

    def has(self, key: str) -> bool:
        if " " in key:
            return (f" {key} " in self.text or f" {key.lower()} " in self.text.lower()
                    or key.replace(" ", "").lower() in self.lower_words  # Wi-Fi ~ wifi
                    or all(p.lower() in self.lower_words for p in key.split()))
        if key.isupper() or any(c.isdigit() for c in key):
            return key in self.words
        if key in self.lower_words:
            return True
        if len(key) >= 5:  # transliteration variants: Tokaev / Tokayev, Qasym / Kassym
            if difflib.get_close_matches(key, self.lower_words, n=1, cutoff=0.8):
                return True
            # adjectives: Hungary / Hungarian, Belgium / Belgian
            return any(w[:len(key) - 2] == key[:-2] for w in self.lower_words if len(w) >= 5)
        return False

    def has_any(self, keys) -> bool:
        return any(self.has(k) for k in keys)
