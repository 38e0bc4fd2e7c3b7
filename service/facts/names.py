"""Names of people, places and organisations, and how to find them again in a translation.

Italian: gazetteer spans first (CLDR territory names via babel, plus the hand-written exonyms and
organisations in data/names.yaml), then other capitalised spans. A span only counts as a checked
name when it has a *core* token a translator keeps verbatim: not a stop word (stop-words package)
and not a capitalised Italian institution word ("Segretario di Stato" is translated, not kept).
English: capitalised spans, used for unsupported names and for headline/summary support.
Finding a name again in a translation is `name_match.py`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from stop_words import get_stop_words

from . import lexicon
from .fact import Fact

# a capitalised word, or a middle initial followed by one ("George W. Bush")
_CAP = r"(?:[A-ZÀ-ÖØ-Þ]\.(?=\s+[A-ZÀ-ÖØ-Þ][^\W\d_])|[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:[-’'.&][^\W\d_]+)*)"
_CONNECT = r"(?:di|del|della|dei|degli|delle|de|da|do|van|von|der|dos|bin|al|of|the|for|and|e|la|le|du)"
# connectors inside a run of capitalised English words that make one name ("District of Columbia",
# "Rio Grande do Sul"); "or", "but" do not ("Albuquerque or Santa Fe" is two names)
_NAME_CONNECTORS = frozenset(_CONNECT[3:-1].split("|")) - {"e", "and"} | {"y", "&"}
_SPAN = re.compile(rf"(?<![\w-]){_CAP}(?:\s+(?:{_CONNECT}\s+)?{_CAP})*")
# codes: "C5+1", "G7", "F1", "N-1", "BR23C", "COVID-19", "F-16"; offsets: "UTC+1", "GMT-5", "UTC+5:30"
_CODE = re.compile(r"(?<![\w-])[A-Z]{1,5}(?:-?\d+[A-Z\d]*(?:\s?\+\s?\d+)?|(?<=[A-Z]{2})[+\u2212-]\d{1,2}(?::\d\d)?)(?![\w-])")
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


def gazetteer_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Where the gazetteer's names ("Central Asia", "Kazakhstan") stand in `text`."""
    return [m.span() for m in _gazetteer_rx(lang).finditer(text)]


@lru_cache(maxsize=1)
def _en_kind() -> dict[str, tuple[str, str]]:
    gaz = lexicon.gazetteer()
    out: dict[str, tuple[str, str]] = {}
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
    for position, tok in enumerate(tokens):
        if lang == "it" and position and tok[:1].isupper() and tok.lower() in stop and len(tok) > 1 and not tok.isupper() \
                and tok.capitalize() not in common:
            out.append(tok)  # a stop word written with a capital inside a name: Rio Grande do "Sul"
            continue
        parts = re.split(r"['’]", tok.rstrip("."))
        # a possessive keeps the name ("Google's"); an elision keeps the word ("dell’Assemblea")
        tok = parts[0] if len(parts) > 1 and parts[-1].lower() == "s" else parts[-1]
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
            kind, main_rendering = _en_kind()[found]
            en = (found, main_rendering)
        out.append(Fact(kind, m.group(), m.span(), (kind, en[0]), english=en[0],
                        keys=tuple(dict.fromkeys(norm(e) for e in en)), renderings=True))
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
        lead = re.match(rf"(\S+)\s+{_CONNECT}\s+(?=\S)", span)
        if lang == "it" and lead and _sentence_initial(text, start) and \
                lexicon.sentence_start_word(lead.group(1)):  # "Guardava la Via Lattea"
            start, span = start + lead.end(), span[lead.end():]
        core = _core_tokens(span, lang)
        if not core:
            continue
        if _sentence_initial(text, start) and len(_TOKEN.findall(span)) == 1 and \
                not re.search(rf"(?<![.!?]\s)(?<!^)\b{re.escape(span)}\b", text[m.end():]) and \
                (lang == "en" or lexicon.sentence_start_word(core[0])):
            # a lone capitalised word opening a sentence: in English probably not a name; in
            # Italian not one when it is an ordinary Italian word ("Intanto"), but "Lamb è..." is
            continue
        first = text.find(core[0], start)
        end = m.end()
        name = text[first:end].rstrip(".")
        kind = "org" if any(t in _ORG_WORDS for t in _TOKEN.findall(span)) else "person"
        if kind == "person" and len(core) == 1 and _PLACE_CUE.search(text[max(0, start - 4):start]):
            kind = "place"  # "ad Astana", "in Texas"
        if lang == "en" and name in _en_kind():
            kind = _en_kind()[name][0]
        keys = tuple(dict.fromkeys(norm(t) for t in core))
        phrase = sum(t.lower() not in stopwords(lang) for t in _TOKEN.findall(span)) > 1  # "Trono di Spade"
        out.append(Fact(kind, name, (first, first + len(name)), (kind, norm(name)),
                        english=name, keys=keys,
                        soft=lang == "it" and len(core) == 1 and lexicon.lone_italian_word(core[0]) and not phrase,
                        phrase=phrase))
        taken.append((first, end))
    return sorted(out, key=lambda f: f.span)
