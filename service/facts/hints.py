"""English hints: each Italian fact rendered the way a faithful English translation writes it.

Deterministic and CLDR-based (babel): "7.500 km" -> "7,500 km", "28 febbraio 2023" ->
"28 February 2023", "martedì" -> "Tuesday", "25 milioni di dollari" -> "$25 million",
"Mosca" -> "Moscow", "28enne" -> "28-year-old". The translation prompt can quote them.
"""

from __future__ import annotations

from babel.numbers import get_currency_symbol
from babel.units import format_unit

from .extract import extract_italian
from .fact import Fact, Hint
from .lexicon import UNITS, month_name_en, weekday_name_en
from .numbers import format_en, format_scaled_en

_UNIT_IDS = {short: uid for uid, short in reversed(list(UNITS.items()))}
_DURATIONS = {"year", "month", "week", "day", "h", "min"}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _date(f: Fact) -> str:
    _, a, b, c = f.canonical
    if a == "weekday":
        return weekday_name_en(b)
    if a == "decade":
        return f"{b}s"
    parts = [str(c) if c else "", month_name_en(b) if b else "", str(a) if a else ""]
    return " ".join(p for p in parts if p)


def render(f: Fact) -> str:
    """The expected English text for one Italian fact."""
    c = f.canonical
    if f.is_name:
        return f.english or f.text
    if f.kind == "money":
        sym = get_currency_symbol(c[2], locale="en")
        amount = format_scaled_en(c[1])
        return f"{sym}{amount}" if not sym.isalpha() else f"{amount} {sym}"
    if f.kind == "percent":
        return f"{format_en(c[1])}%" if c[2] == "%" else f"{format_en(c[1])} percentage points"
    if f.kind == "quantity":
        if c[2] == "year-old":
            return f"{format_en(c[1])}-year-old"
        if c[2] in _DURATIONS:
            return format_unit(c[1], _UNIT_IDS[c[2]], length="long", locale="en")
        return f"{format_en(c[1])} {c[2]}"
    if f.kind == "ordinal":
        return _ordinal(int(c[1]))
    if f.kind == "date":
        return _date(f)
    if f.kind == "time":
        return f"{c[1]:02d}:{c[2]:02d}"
    if isinstance(c[1], str):  # a dimension, "4x4"
        return c[1]
    text = format_scaled_en(c[1])
    return f"about {text}" if f.approx else text


def english_hints(text_it: str) -> list[Hint]:
    """One hint per Italian fact, in text order (repeated facts give repeated hints)."""
    return [Hint(f.text, render(f), f.kind) for f in extract_italian(text_it)]
