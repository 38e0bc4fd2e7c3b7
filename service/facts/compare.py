"""Compare facts across languages: a translation against its source, or a headline/summary
against its source.

A source fact is `preserved` when a compatible target fact exists (same value; kinds may differ
among numeric kinds, so "25 milioni di dollari" matches "$25m" and "28 anni" matches
"28-year-old"), `altered` when it is not preserved but an unmatched target fact of the same
family remains (a wrong digit, million for billion, another month or weekday), else `missing`.
Figures are matched one-to-one, so a figure repeated in the source must be repeated in the target.
Names are looked up in the whole target text (see names.NameIndex), not one-to-one.
"""

from __future__ import annotations

import re

from . import lexicon
from .extract import extract_english, extract_italian
from .fact import Fact
from .lexicon import UNIT_BASE
from .name_match import NameIndex, match_name, state_abbreviations
from .names import gazetteer_spans
from .report import FactReport, FactResult, SupportReport, SupportResult


def _close(a: float, b: float, tol: float = 1e-6) -> bool:
    return abs(a - b) <= tol * max(abs(a), abs(b), 1.0)


def _unit(f: Fact) -> str | None:
    if f.kind == "money" and f.canonical[2] == "GBP" and "pound" in f.text.lower():
        return "lb"  # "a 550 pound hog"
    return f.canonical[2] if f.kind == "quantity" else None


def _numeric_match(s: Fact, t: Fact) -> bool:
    a, b = s.value, t.value
    if a is None or b is None:
        return False
    if s.kind == "money" and t.kind == "money" and s.canonical[2] != t.canonical[2] \
            and _unit(s) != "lb" and _unit(t) != "lb":
        return False  # 25 million euros is not $25 million
    if _close(a, b):
        us, ut = _unit(s), _unit(t)
        # the full value *and* unit: 25 km is not 25 miles (but "25 gradi" may be 25 °C)
        return not (us and ut and us != ut and us in UNIT_BASE and ut in UNIT_BASE
                    and UNIT_BASE[us][0] == UNIT_BASE[ut][0])
    approx = s.approx or t.approx
    if approx and _close(a, b, 0.2):  # "una ventina" ~ "about 20", "a couple of dozen"
        return True
    us, ut = _unit(s), _unit(t)
    if us in ("°C", "°F", "°") and ut in ("°C", "°F", "°"):  # 26 gradi ~ 80 degrees (F)
        return _close(a * 9 / 5 + 32, b, 0.05) or _close((a - 32) * 5 / 9, b, 0.05)
    if us == ut or us is None or ut is None:
        return False
    if us in UNIT_BASE and ut in UNIT_BASE and UNIT_BASE[us][0] == UNIT_BASE[ut][0]:
        return _converted(a, us, b, ut, CONVERSION_APPROX_TOLERANCE if approx
                          else CONVERSION_HEDGED_TOLERANCE if s.hedged or t.hedged else CONVERSION_TOLERANCE)
    return False


# A converted unit: "80 km" ~ "50 miles" within 5% (the translator's rounding); 10% when either
# side hedges ("circa 25 metri" ~ "about 30 yards", 9% apart); 20% for approximate words ("una
# ventina"). A small figure may also be rounded to a whole unit of the other side: "2 cm" ~ "1
# inch" (0.79 in), but at most ROUNDED_CONVERSION_SHARE apart ("1 km" ~ "1 mile", 0.62 mi, is not).
CONVERSION_TOLERANCE = 0.05
CONVERSION_HEDGED_TOLERANCE = 0.10
CONVERSION_APPROX_TOLERANCE = 0.20
ROUNDED_CONVERSION_SHARE = 0.25


def _converted(a: float, us: str, b: float, ut: str, tolerance: float) -> bool:
    """Is `a` `us` the same measure as `b` `ut` once converted (both units of one dimension)?

    One side is the other converted and rounded: the converted figure must round to the written
    one at its last written digit (250 kg = 551 lb is "550 pounds", not "570 pounds") and lie
    within `tolerance` of it (5%; 10% hedged; 20% approximate); a one-digit figure is a coarse
    rounding, so up to ROUNDED_CONVERSION_SHARE apart (2 cm = 0.79 in ~ "1 inch", not 1 km ~ "1 mile").
    A hedged or approximate pair needs only the relative tolerance."""
    x, y = a * UNIT_BASE[us][1], b * UNIT_BASE[ut][1]
    if tolerance > CONVERSION_TOLERANCE and abs(x - y) <= tolerance * max(abs(x), abs(y)):
        return True  # relative, in base units: 10 cm (0.1 m) is not 3 inches (0.076 m)
    for x, ux, y, uy in ((a, us, b, ut), (b, ut, a, us)):
        converted = x * UNIT_BASE[ux][1] / UNIT_BASE[uy][1]
        gap = abs(converted - y)
        share = ROUNDED_CONVERSION_SHARE if abs(y) < 10 else tolerance
        if gap <= _precision(y) / 2 + 1e-9 and gap <= share * abs(y):
            return True
    return False


def _precision(value: float) -> float:
    """The place of a figure's last written digit: 250 -> 10, 4 -> 1, 2.5 -> 0.1, 25 million -> 1 million."""
    if abs(value - round(value)) > 1e-9:
        decimals = len(f"{value:.6f}".rstrip("0").split(".")[1])
        return 10.0 ** -decimals
    n, place = abs(round(value)), 1
    while n and n % (place * 10) == 0:
        place *= 10
    return float(place)


def _date_match(s: Fact, t: Fact) -> bool:
    cs, ct = s.canonical[1:], t.canonical[1:]
    if cs[0] == "decade" and t.is_year or ct[0] == "decade" and s.is_year:
        return cs[1] == ct[0] or cs[0] == ct[1]  # "del 1830" ~ "the 1830s"
    if isinstance(cs[0], str) or isinstance(ct[0], str):  # weekday, decade
        return cs == ct
    if s.is_year:
        return cs[0] == ct[0]
    # strict: the year, month and day the source states must each be in the target, equal
    stated = [(a, b) for a, b in zip(cs, ct, strict=False) if a is not None]
    return bool(stated) and all(a == b for a, b in stated)


def compatible(s: Fact, t: Fact) -> bool:
    """Could target fact `t` be a faithful rendering of source fact `s`?"""
    if s.is_numeric and t.is_numeric:
        return _numeric_match(s, t)
    if s.kind == "time" and t.kind == "time":
        (_, hs, ms), (_, ht, mt) = s.canonical, t.canonical
        return ms == mt and (hs == ht or hs % 12 == ht % 12)
    if s.kind == "date" and t.kind == "date":
        return _date_match(s, t)
    for a, b in ((s, t), (t, s)):  # "alle 7" ~ "7", "7 a.m." ~ "7"
        if a.kind == "time" and b.is_numeric and a.canonical[2] == 0:
            return b.value is not None and b.value % 12 == a.canonical[1] % 12
    if s.is_year and t.kind == "date" or t.is_year and s.kind == "date":
        return _date_match(s, t) if s.is_year else s.canonical[1] == t.canonical[1]
    return False


_DATE_PARTS = ("year", "month", "day")


def describe(s: Fact, t: Fact) -> str:
    """What differs between a source fact and the target fact it was paired with as altered:
    'day 16 → 46', 'year 2006 → 2706', '25 → 52', 'km → mi', 'EUR → USD'."""
    if s.kind == "date" and t.kind == "date" and not isinstance(s.canonical[1], str) \
            and not isinstance(t.canonical[1], str):
        diffs = [f"{name} {a} → {'none' if b is None else b}"
                 for name, a, b in zip(_DATE_PARTS, s.canonical[1:], t.canonical[1:], strict=False)
                 if a is not None and a != b]
        return ", ".join(diffs)
    if s.kind == "date" and isinstance(s.canonical[1], str) and s.canonical[1] == "weekday" \
            and t.kind == "date" and t.canonical[1] == "weekday":
        return f"{lexicon.weekday_name_en(s.canonical[2])} → {lexicon.weekday_name_en(t.canonical[2])}"
    parts = []
    if s.value is not None and t.value is not None and not _close(s.value, t.value):
        parts.append(f"{s.canonical[1]} → {t.canonical[1]}")
    us, ut = _unit(s) or (s.canonical[2] if s.kind == "money" else None), \
        _unit(t) or (t.canonical[2] if t.kind == "money" else None)
    if us and ut and us != ut:
        parts.append(f"{us} → {ut}")
    return ", ".join(parts) or f"{s.text} → {t.text}"


def _family(f: Fact) -> str:
    return "numeric" if f.is_numeric else f.kind


def _pair_figures(src: list[Fact], tgt: list[Fact]) -> dict[int, int]:
    """Greedy one-to-one pairing: identical canonicals first, then same kind, then any kind."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    rounds = (lambda s, t: s.canonical == t.canonical,
              lambda s, t: s.kind == t.kind and compatible(s, t),
              compatible)
    for ok in rounds:
        for i, s in enumerate(src):
            if i in pairs:
                continue
            for j, t in enumerate(tgt):
                if j not in used and ok(s, t):
                    pairs[i] = j
                    used.add(j)
                    break
    return pairs


def _nearest(s: Fact, src_len: int, cands: list[tuple[int, Fact]], tgt_len: int) -> int:
    pos = s.span[0] / max(src_len, 1)
    same = [c for c in cands if c[1].kind == s.kind] or cands
    return min(same, key=lambda c: abs(c[1].span[0] / max(tgt_len, 1) - pos))[0]


def _name_support_index(source_it: str, src_facts: list[Fact]) -> NameIndex:
    renderings = [k for f in src_facts if f.is_name for k in (*f.keys, *state_abbreviations(f))]
    renderings += [name for pattern, names in lexicon.lowercase_renderings() if pattern.search(source_it) for name in names]
    return NameIndex(source_it + " ; " + " ; ".join(renderings))


_ACRONYM_BEFORE = re.compile(r"(?<![\w-])([A-Z]{2,5})\s$")


def _spaced_code_kept(source_it: str, s: Fact, target_en: str) -> bool:
    """'HJR 3' in Italian, 'HJR-3' or 'HJR3' in English: a plain number right after an acronym is
    part of a code that the English writes joined (and reads as one code, not a number)."""
    if s.kind != "number":
        return False
    m = _ACRONYM_BEFORE.search(source_it[max(0, s.span[0] - 7):s.span[0]])
    if m is None:
        return False
    return re.search(rf"(?<![\w-]){m.group(1)}[-‑]?{re.escape(s.text)}(?![\w])", target_en) is not None


def _short_year_kept(s: Fact, target_en: str) -> bool:
    """'primavera-estate 2019' in Italian, 'SS19' (or 'FY19', "'19") in English: a year written
    with its last two digits after a code's capitals or an apostrophe."""
    if not s.is_year or not 1900 <= s.canonical[1] <= 2099:
        return False
    yy = f"{s.canonical[1] % 100:02d}"
    return re.search(rf"(?<![\w'’‘])(?:[A-Z]{{1,4}}|['’‘]){yy}(?![\w])", target_en) is not None


# An acronym and its expansion in parentheses, either way round: "MAGA (Make America Great Again)",
# "National Basketball Association (NBA)".
_ACRONYM_THEN_EXPANSION = re.compile(r"(?<![\w-])(?P<acr>[A-Z]{2,6})\s*\((?P<exp>[^()]{3,80})\)")
_EXPANSION_THEN_ACRONYM = re.compile(r"(?P<exp>(?:[A-Z][\w'’-]*\s+(?:(?:of|the|for|and|di|del|della|e)\s+)?){1,7})\((?P<acr>[A-Z]{2,6})\)")


def _expansions(source_it: str) -> list[tuple[str, tuple[int, int]]]:
    """(acronym, span of its expansion) for each acronym the Italian spells out in parentheses,
    when the capitalised words' initials spell it."""
    out = []
    for rx in (_ACRONYM_THEN_EXPANSION, _EXPANSION_THEN_ACRONYM):
        for m in rx.finditer(source_it):
            initials = "".join(w[0] for w in re.findall(r"[\w'’-]+", m.group("exp")) if w[0].isupper())
            if initials == m.group("acr"):
                out.append((m.group("acr"), m.span("exp")))
    return out


def check_translation(source_it: str, target_en: str) -> FactReport:
    """Status of every Italian source fact in the English target, plus unsupported target facts."""
    # Small numbers in words ("due", "tre") are not compared: references render them as "both",
    # "a pair", "twice" or drop them in idioms, which made more false alarms than real catches.
    src = [f for f in extract_italian(source_it) if not f.soft]
    tgt = extract_english(target_en)
    src_fig = [f for f in src if not f.is_name]
    tgt_fig = [f for f in tgt if not f.is_name]
    pairs = _pair_figures(src_fig, tgt_fig)
    used = set(pairs.values())
    status: dict[int, FactResult] = {}
    for i, s in enumerate(src_fig):
        if i in pairs:
            status[id(s)] = FactResult(s, "preserved", tgt_fig[pairs[i]])
            continue
        if _spaced_code_kept(source_it, s, target_en) or _short_year_kept(s, target_en):
            status[id(s)] = FactResult(s, "preserved")
            continue
        cands = [(j, t) for j, t in enumerate(tgt_fig) if j not in used and _family(t) == _family(s)]
        if cands:
            j = _nearest(s, len(source_it), cands, len(target_en))
            used.add(j)
            status[id(s)] = FactResult(s, "altered", tgt_fig[j], describe(s, tgt_fig[j]))
        else:
            status[id(s)] = FactResult(s, "missing")
    index = NameIndex(target_en, english=True)
    expansions = _expansions(source_it)
    for s in src:
        if s.is_name:
            state, detail = match_name(s, index, source_it)
            if state == "missing" and any(a <= s.span[0] and s.span[1] <= b and acronym in index.words
                                          for acronym, (a, b) in expansions):
                state, detail = "preserved", ""  # the English keeps the acronym it spells out
            status[id(s)] = FactResult(s, state, detail=detail)
    support = _name_support_index(source_it, src)
    unsupported = [t for j, t in enumerate(tgt_fig) if j not in used]
    unsupported += [t for t in tgt if t.is_name and not support.has_any(t.keys)]
    results = [status[id(s)] for s in src]
    return FactReport(results, sorted(unsupported, key=lambda f: f.span))


_CAPITALISED = re.compile(r"\b[A-Z][a-z][\w'-]*")
# what may stand right before a word that opens a sentence, a quotation or a clause in brackets
_OPENERS = frozenset(".!?:;\"“”«»([—–-")


def _capitalised_mid_sentence(word: str, text: str) -> bool:
    """Does `text` write `word` (as spelled) anywhere but at the start of a sentence?"""
    for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
        before = text[max(0, m.start() - 8):m.start()].rstrip()
        if before and before[-1] not in _OPENERS:
            return True
    return False


def undo_title_case(text: str, english_context: str = "", source: str = "") -> str:
    """'Three Arrest Warrants Issued' → 'Three arrest warrants issued', so the words of a Title Case
    headline are not read as names. A capitalised word after the first is lowered when neither the
    article's English (`english_context`) nor its Italian (`source`) writes it capitalised
    mid-sentence, and either the English uses it in lower case or shares its stem ("Promote" when
    the English says "promoting"), or it is a common English word by wordfreq and simplemma
    (`lexicon.common_english_word`: "Promoting", "Talks", "Sold"; not "Putin", "Apple", "Rose").
    Gazetteer names ("Central Asia", "Kazakhstan") and their adjectives ("Indonesian"), months and
    weekdays keep their capitals.
    Same length as `text`, so spans still point into the original."""
    words = [w for w in re.findall(r"\b[A-Za-z][\w'-]*", text) if len(w) >= 4]
    if len(words) < 3 or sum(w[0].isupper() for w in words) < 0.6 * len(words):
        return text
    kept = gazetteer_spans(text, "en")
    calendar = set(lexicon.months("en")) | set(lexicon.weekdays("en"))

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if match.start() == 0 or word.lower() in calendar or any(a <= match.start() < b for a, b in kept):
            return word
        base = re.sub(r"['’]s$", "", word)
        if _capitalised_mid_sentence(base, english_context) or _capitalised_mid_sentence(base, source):
            return word
        lower = word.lower()
        used_lower = re.search(rf"\b{re.escape(lower)}\b", english_context)
        stem = lower[: max(5, len(lower) - 2)]
        used_stem = len(lower) >= 5 and re.search(rf"\b{re.escape(stem)}[a-z]*\b", english_context)
        if lexicon.gazetteer_adjective(base):
            return word
        return lower if used_lower or used_stem or lexicon.common_english_word(base) else word

    return _CAPITALISED.sub(fix, text)


def check_support(source_it: str, generated_en: str, english_context: str | None = None) -> SupportReport:
    """Is every figure and name in a generated headline/summary backed by the Italian source?

    `english_context` (the article's English translation, when there is one) lets a Title Case
    headline be read in sentence case first, so 'Deaths' or 'Issued' are not taken for names; without
    it, common English words the Italian does not write capitalised are ('Promoting', 'Talks')."""
    generated_en = undo_title_case(generated_en, english_context or "", source_it)
    src, gen = extract_italian(source_it), extract_english(generated_en)
    support = _name_support_index(source_it, src)
    results = []
    for g in gen:
        if g.is_name:
            ok = support.has_any(g.keys)
        else:
            ok = any(compatible(s, g) for s in src if not s.is_name)
        results.append(SupportResult(g, ok))
    return SupportReport(results)
