"""Controlled errors injected into English text, to measure how many the checker catches.

What to break is chosen from the text alone — never from the fact engine's own extraction, so a
figure or name the engine cannot see is still broken and its miss is counted:

- change_digit     any digit in the English, changed to another ('7,500' -> '7,900')
- swap_scale       million <-> billion, thousand -> million, '$25m' -> '$25bn'
- shift_month      a month word moved by 1-11 months ('February' -> 'June'); "May" is left out
                   (it is also a verb and a surname)
- change_weekday   a weekday word replaced by another
- change_percent   the number before '%'/'per cent'/'percent' changed
- drop_name        every occurrence of one capitalised English token that also appears,
                   capitalised, in the Italian source (not an English stop word, not a month or
                   weekday), removed with its possessive: 'Haile Gebrselassie' -> 'Haile'

Each perturbation takes (english, rng, source_it) and returns the perturbed English, or None when
it does not apply. Deterministic for a given `random.Random`. `PERTURBATIONS` lists them by name.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from stop_words import get_stop_words

from .lexicon import month_name_en, weekday_name_en

Perturbation = Callable[[str, random.Random, str], "str | None"]

_SCALE_SWAPS = {"million": "billion", "billion": "million", "thousand": "million",
                "trillion": "billion", "Million": "Billion", "Billion": "Million",
                "Thousand": "Million", "m": "bn", "bn": "m", "mn": "bn", "k": "m"}
_SCALE_RX = re.compile(r"\b(million|billion|thousand|trillion|Million|Billion|Thousand)\b"
                       r"|(?<=\d)(m|bn|mn|k)\b")
_PERCENT_RX = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?)(?=\s?(?:%|per ?cent\b|percent\b|percentage point))")
_MONTHS = [month_name_en(i) for i in range(1, 13)]
_MONTH_RX = re.compile(r"\b(" + "|".join(m for m in _MONTHS if m != "May") + r")\b")
_DAYS = [weekday_name_en(i) for i in range(7)]
_DAY_RX = re.compile(r"\b(" + "|".join(_DAYS) + r")\b")
_CAP_TOKEN = re.compile(r"(?<![\w’'-])[A-ZÀ-Ö][\w]*(?:[-][A-Z][\w]*)*(?![\w-])")
_EN_STOP = frozenset(w.lower() for w in get_stop_words("english"))


def _pick(rng: random.Random, items: list):
    return items[rng.randrange(len(items))] if items else None


def change_digit(text: str, rng: random.Random, source_it: str = "") -> str | None:
    """Change any one digit of the English to another: '7,500' -> '7,900'."""
    positions = [i for i, c in enumerate(text) if c.isdigit()]
    pos = _pick(rng, positions)
    if pos is None:
        return None
    old = text[pos]
    leading = pos == 0 or not text[pos - 1].isdigit()
    choices = [d for d in "0123456789" if d != old and not (d == "0" and leading)]
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


def name_tokens(text: str, source_it: str) -> list[str]:
    """Capitalised English tokens that also appear capitalised in the Italian (text only)."""
    it_tokens = set(_CAP_TOKEN.findall(source_it))
    out = []
    for tok in dict.fromkeys(_CAP_TOKEN.findall(text)):
        if len(tok) < 2 or tok.lower() in _EN_STOP or tok in _MONTHS or tok in _DAYS:
            continue
        if tok in it_tokens:
            out.append(tok)
    return out


def drop_name(text: str, rng: random.Random, source_it: str = "") -> str | None:
    """Remove every occurrence of one capitalised token that the source and the English share."""
    tok = _pick(rng, name_tokens(text, source_it))
    if tok is None:
        return None
    out = re.sub(rf"(?<![\w’'-]){re.escape(tok)}(?:['’]s?)?(?![\w-])", "", text)
    out = re.sub(r"\s{2,}", " ", out).strip()
    return out if out != text else None


PERTURBATIONS: dict[str, Perturbation] = {
    "change_digit": change_digit,
    "swap_scale": swap_scale,
    "shift_month": shift_month,
    "change_weekday": change_weekday,
    "change_percent": change_percent,
    "drop_name": drop_name,
}
