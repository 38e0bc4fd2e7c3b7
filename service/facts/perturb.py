"""Controlled errors injected into English text, to measure how many the checker catches.

Each perturbation takes (english, rng, source_it) and returns the perturbed English, or None when
it does not apply. Deterministic for a given `random.Random`. `PERTURBATIONS` lists them by name.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from .compare import check_translation
from .english import extract_english
from .lexicon import month_name_en, weekday_name_en
from .names import norm

Perturbation = Callable[[str, random.Random, str], "str | None"]

_SCALE_SWAPS = {"million": "billion", "billion": "million", "thousand": "million",
                "Million": "Billion", "Billion": "Million", "Thousand": "Million",
                "m": "bn", "bn": "m", "mn": "bn", "k": "m"}
_SCALE_RX = re.compile(r"\b(million|billion|thousand|Million|Billion|Thousand)\b"
                       r"|(?<=\d)(m|bn|mn|k)\b")
_PERCENT_RX = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?)(?=\s?(?:%|per ?cent\b|percent\b|percentage point))")
_MONTHS = [month_name_en(i) for i in range(1, 13)]
_MONTH_RX = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b")
_DAYS = [weekday_name_en(i) for i in range(7)]
_DAY_RX = re.compile(r"\b(" + "|".join(_DAYS) + r")\b")


def _pick(rng: random.Random, items: list):
    return items[rng.randrange(len(items))] if items else None


def change_digit(text: str, rng: random.Random, source_it: str = "") -> str | None:
    """Change one digit inside one figure: '7,500' -> '7,900'."""
    positions = [i for f in extract_english(text) if not f.is_name
                 for i in range(*f.span) if text[i].isdigit()]
    pos = _pick(rng, positions)
    if pos is None:
        return None
    old = text[pos]
    choices = [d for d in "0123456789" if d != old and not (d == "0" and
               (pos == 0 or not text[pos - 1].isdigit()))]
    return text[:pos] + rng.choice(choices) + text[pos + 1:]


def swap_scale(text: str, rng: random.Random, source_it: str = "") -> str | None:
    """million <-> billion, thousand -> million ('$25m' -> '$25bn')."""
    m = _pick(rng, list(_SCALE_RX.finditer(text)))
    if m is None:
        return None
    return text[:m.start()] + _SCALE_SWAPS[m.group()] + text[m.end():]


def shift_month(text: str, rng: random.Random, source_it: str = "") -> str | None:
    """Move one month name by 1-11 months: 'February' -> 'March'."""
    m = _pick(rng, list(_MONTH_RX.finditer(text)))
    if m is None:
        return None
    new = _MONTHS[(_MONTHS.index(m.group()) + rng.randint(1, 11)) % 12]
    return text[:m.start()] + new + text[m.end():]


def change_weekday(text: str, rng: random.Random, source_it: str = "") -> str | None:
    """Replace one weekday with another: 'Tuesday' -> 'Friday'."""
    m = _pick(rng, list(_DAY_RX.finditer(text)))
    if m is None:
        return None
    new = _DAYS[(_DAYS.index(m.group()) + rng.randint(1, 6)) % 7]
    return text[:m.start()] + new + text[m.end():]


def change_percent(text: str, rng: random.Random, source_it: str = "") -> str | None:
    """Change a percentage's value: '15%' -> '18%'."""
    m = _pick(rng, list(_PERCENT_RX.finditer(text)))
    if m is None:
        return None
    value = float(m.group(1))
    new = value + rng.choice([-1, 1]) * rng.randint(1, 9) if value > 10 else value + rng.randint(1, 9)
    new_text = str(int(new)) if new == int(new) else f"{new:.1f}"
    return text[:m.start(1)] + new_text + text[m.end(1):]


def drop_name(text: str, rng: random.Random, source_it: str = "") -> str | None:
    """Remove every mention of one name that the source and the English share."""
    report = check_translation(source_it, text) if source_it else None
    names = [r.fact for r in (report.results if report else []) if r.fact.is_name
             and r.status == "preserved"]
    fact = _pick(rng, names)
    if fact is None:
        return None
    out = text
    for key in sorted(fact.keys, key=len, reverse=True):
        words = [re.escape(w) for w in key.split()]
        rx = r"(?<![\w.])" + r"[\W_]{1,3}".join(words) + r"(?:['’]s)?(?![\w])"
        out = re.sub(rx, "", out, flags=0 if key.isupper() else re.I)
    out = _drop_close_words(out, fact.keys)
    out = re.sub(r"\s{2,}", " ", out).strip()
    return out if out != text else None


def _drop_close_words(text: str, keys: tuple[str, ...]) -> str:
    """Also remove transliteration variants the checker would accept (Tokaev for Tokayev)."""
    from difflib import SequenceMatcher

    def close(word: str) -> bool:
        w = norm(word)
        return any(len(k) >= 5 and " " not in k and SequenceMatcher(None, k, w).ratio() >= 0.8
                   for k in keys)

    return re.sub(r"[\w’'.-]+", lambda m: "" if close(m.group()) else m.group(), text)


PERTURBATIONS: dict[str, Perturbation] = {
    "change_digit": change_digit,
    "swap_scale": swap_scale,
    "shift_month": shift_month,
    "change_weekday": change_weekday,
    "change_percent": change_percent,
    "drop_name": drop_name,
}
