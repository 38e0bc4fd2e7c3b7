"""Dates and times in Italian and English: full dates, months, weekdays, decades, clock times.

Month and weekday names come from CLDR (babel). Canonical forms:
("date", year|None, month|None, day|None), ("date", "weekday", 0..6, None),
("date", "decade", 1990, None), ("time", hour, minute). Bare years are found by figures.py.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import lexicon, numbers
from .fact import Fact

_DECADE_WORDS = {"it": {"venti": 20, "trenta": 30, "quaranta": 40, "cinquanta": 50,
                        "sessanta": 60, "settanta": 70, "ottanta": 80, "novanta": 90},
                 "en": {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50,
                        "sixties": 60, "seventies": 70, "eighties": 80, "nineties": 90}}


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=2)
def _patterns(lang: str) -> list[tuple[str, re.Pattern[str]]]:
    wide = {k: v for k, v in lexicon.months(lang).items() if len(k) > 3 or k == "may"}
    months, days = _alt(wide), _alt(lexicon.weekdays(lang))
    decades = _alt(_DECADE_WORDS[lang])
    flags = re.I if lang == "it" else 0
    if lang == "en":  # English month and weekday names are capitalised
        months = _alt(w.capitalize() for w in lexicon.months("en") if len(w) >= 3)
        days = _alt(w.capitalize() for w in lexicon.weekdays("en"))
    # any four digits after a month are its year: "December 2706" is a wrong year, not a month
    year = r"(?P<y>\d{4})"
    if lang == "it":
        pats = [
            ("dmy", rf"\b(?P<d>\d{{1,2}}|primo)(?:º|°)?\s+(?P<m>{months})\b(?:\s+(?:del\s+)?{year}\b)?"),
            ("slash", r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}|\d{2})\b"),
            ("my", rf"\b(?P<m>{months})\b(?:\s+(?:del\s+|di\s+)?{year}\b)?"),
            ("decade", rf"\banni\s+(?:['’‘]?\s?(?P<dd>\d0)|(?P<dy>1\d{{2}}0|20\d0)|(?P<dw>{decades}))\b"),
            ("hm", r"\b(?P<h>[01]?\d|2[0-4]):(?P<mi>[0-5]\d)\b"),
            ("cue", r"\b(?:alle|dalle|delle)?\s*ore\s+(?P<h>[01]?\d|2[0-4])(?:[.,:](?P<mi>[0-5]\d))?(?![\d.,]\d)"),
            ("cue", r"\b(?:alle|ore|dalle|delle|verso le|entro le|fino alle)\s+(?P<h>[01]?\d|2[0-4])"
                    r"(?:[.,:](?P<mi>[0-5]\d)(?![\d.,]\d)|(?=\s*(?:[,;:)]|\.(?!\d)|$|e\s|di\s|del\s|in punto)))"),
        ]
    else:
        ampm = r"\s?(?P<ap>[ap])\.?\s?m\b\.?"
        pats = [
            ("mdy", rf"\b(?P<m>{months})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+{year}\b)?"),
            ("dmy", rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{months})\b(?:,?\s+{year}\b)?"),
            ("slash", r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\b"),
            ("my", rf"\b(?P<m>{months})\b(?:,?\s+(?:of\s+)?{year}\b)?"),
            ("decade", rf"(?:\b(?P<dy>1\d{{2}}0|20\d0)['’]?s\b|['’](?P<dd>\d0)s\b|\b(?P<dw>{decades})\b)"),
            ("hm", rf"\b(?P<h>[01]?\d|2[0-4])(?:[:.](?P<mi>[0-5]\d))?{ampm}"),
            ("hm", r"\b(?P<h>[01]?\d|2[0-4]):(?P<mi>[0-5]\d)\b"),
        ]
    pats.append(("weekday", rf"\b(?P<wd>{days})\b"))
    return [(name, re.compile(rx, flags)) for name, rx in pats]


def _month(word: str, lang: str) -> int:
    return int(word) if word.isdigit() else lexicon.months(lang)[word.lower().rstrip(".")]


def _year(text: str | None) -> int | None:
    if not text:
        return None
    y = int(text)
    return y + (2000 if y < 50 else 1900) if len(text) == 2 else y


def _decade(m: re.Match[str], lang: str) -> int:
    if m.group("dy"):
        return int(m.group("dy"))
    if m.group("dd"):
        d = int(m.group("dd"))
        return (2000 if d < 20 else 1900) + d
    d = _DECADE_WORDS[lang][m.group("dw").lower()]
    return 1900 + d


def extract_dates(text: str, lang: str) -> list[Fact]:
    """Date and time facts, longest pattern first; spans never overlap."""
    out: list[Fact] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in (f.span for f in out))

    for name, rx in _patterns(lang):
        for m in rx.finditer(text):
            if not free(*m.span()):
                continue
            fact = _build(name, m, lang)
            if fact is not None:
                out.append(fact)
    return sorted(out, key=lambda f: f.span)


def _build(name: str, m: re.Match[str], lang: str) -> Fact | None:
    span, raw = m.span(), m.group()
    if name in ("dmy", "mdy", "slash", "my"):
        month = _month(m.group("m"), lang)
        day_text = m.groupdict().get("d")
        day = 1 if day_text == "primo" else (int(day_text) if day_text else None)
        if not 1 <= month <= 12 or (day is not None and name == "slash" and not 1 <= day <= 31):
            return None
        # "46 November", "September 35th": not a valid date, kept as written so it compares
        # as altered rather than passing on the month alone
        canonical = ("date", _year(m.group("y")), month, day)
        return Fact("date", raw, span, canonical)
    if name == "weekday":
        return Fact("date", raw, span, ("date", "weekday", lexicon.weekdays(lang)[raw.lower()], None))
    if name == "decade":
        return Fact("date", raw, span, ("date", "decade", _decade(m, lang), None))
    hour, minute = int(m.group("h")), int(m.group("mi") or 0)
    ap = m.groupdict().get("ap")
    if ap:
        if hour > 12:
            return None
        hour = hour % 12 + (12 if ap.lower() == "p" else 0)
    return Fact("time", raw, span, ("time", hour, minute), value=float(numbers.tidy(hour)))
