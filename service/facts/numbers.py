"""Numerals in Italian and English: digit formats, scale words and number words.

Digit formats follow CLDR: Italian groups with "." and decimals with ",", English the reverse.
So "12.100" is 12100 in Italian but 12.1 in English — the classic translation trap.
Number words go through text2num, which knows both languages.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol
from text_to_num import alpha2digit, text2num

SCALES = {
    "it": {"mila": 1e3, "mille": 1e3, "milione": 1e6, "milioni": 1e6, "mln": 1e6,
           "miliardo": 1e9, "miliardi": 1e9, "mld": 1e9, "mrd": 1e9},
    "en": {"thousand": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6, "m": 1e6, "mn": 1e6,
           "mln": 1e6, "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12,
           "tn": 1e12, "trn": 1e12},
}
# Scale abbreviations that only count right after a number ("$25m", "3bn"), never as words.
_SHORT_SCALES = {"k", "m", "b", "mn", "bn", "tn", "trn", "mln", "mld", "mrd"}
# Words text2num reads as numbers but which are articles/pronouns far more often than counts.
NOT_NUMBERS = {"it": {"un", "uno", "una", "un'", "zero", "sei", "venti", "prima", "primo", "prime",
                      "primi", "seconda", "secondo", "seconde", "secondi", "quarto", "quarti"},
               "en": {"a", "an", "one", "zero", "o", "first", "second", "fourth"}}
# (Italian: "sei" is also "you are", "venti" also "winds", "prima" also "before", "secondo" also
# "according to", "quarto" also "quarter"; "Primo Ministro" is "Prime Minister". English mirrors
# the ordinals, or "prima visita" → "first visit" would read as an unsupported figure.)

# Italian collective approximations: "una ventina" (about twenty).
_IT_APPROX = {"decina": 10, "dozzina": 12, "centinaio": 100, "migliaio": 1000}


_INFORMAL_DECIMAL = re.compile(r"\d+\.\d{1,2}")


@lru_cache(maxsize=2)
def _symbols(lang: str) -> tuple[str, str]:
    return get_decimal_symbol(lang), get_group_symbol(lang)


def digits_pattern(lang: str) -> str:
    """Regex (no groups) for one numeral written with digits in `lang`'s CLDR format."""
    dec, grp = (re.escape(s) for s in _symbols(lang))
    # Italian text written in the English style ("6.5 km", "magnitudo 2.7"): a point followed by one
    # or two digits cannot be a thousands separator, so it is read as a decimal point.
    informal = r"\d+\.\d{1,2}(?!\d)|" if lang == "it" else ""
    # thousands grouped by a space, no-break space or thin space: "270 000" (SI style)
    spaced = rf"\d{{1,3}}(?:[ \u00a0\u202f]\d{{3}})+(?![\d]|{dec}\d)"
    return rf"\d{{1,3}}(?:{grp}\d{{3}})+(?:{dec}\d+)?|{spaced}|{informal}\d+(?:{dec}\d+)?"


def parse_digits(text: str, lang: str) -> float:
    """'1.234,56' (it) or '1,234.56' (en) -> 1234.56. Assumes `text` matched digits_pattern."""
    dec, grp = _symbols(lang)
    if lang == "it" and _INFORMAL_DECIMAL.fullmatch(text):
        return float(text)
    text = re.sub(r"[ \u00a0\u202f]", "", text)
    text = text.replace("\u2212", "-").replace(grp, "").replace(dec, ".")
    return float(text)


def scale_value(word: str, lang: str, after_digits: bool) -> float | None:
    word = word.lower().rstrip(".")
    if word in _SHORT_SCALES and not after_digits and lang == "en":
        return None
    return SCALES[lang].get(word)


@lru_cache(maxsize=4096)
def word_number(word: str, lang: str) -> tuple[float, bool] | None:
    """A single number word -> (value, is_ordinal), e.g. 'venticinque' -> (25, False),
    'terzo' -> (3, True). Returns None for non-numbers and for articles like 'un'."""
    low = word.lower()
    if low in NOT_NUMBERS[lang] or not low.replace("-", "").isalpha():
        return None
    try:
        return float(text2num(low, lang)), False
    except ValueError:
        pass
    converted = alpha2digit(low, lang, threshold=0)
    m = re.fullmatch(r"(\d+)(?:º|ª|°|st|nd|rd|th)", converted)
    if m:
        return float(m.group(1)), True
    return None


@lru_cache(maxsize=4096)
def words_number(phrase: str, lang: str) -> float | None:
    """A run of number words ('twenty five', 'tre milioni') -> value, or None."""
    try:
        return float(text2num(phrase.lower(), lang))
    except ValueError:
        return None


@lru_cache(maxsize=1024)
def approx_word(word: str) -> float | None:
    """Italian 'ventina' -> 20, 'decina' -> 10, 'centinaio' -> 100; else None."""
    low = word.lower()
    if low in _IT_APPROX:
        return float(_IT_APPROX[low])
    if low.endswith("ina"):
        stem = low[:-3]
        for end in ("i", "a", ""):
            value = words_number(stem + end, "it")
            if value is not None and value >= 10:
                return value
    return None


@lru_cache(maxsize=1024)
def age_word(word: str) -> float | None:
    """Italian 'ventottenne' -> 28, 'trentenne' -> 30, 'diciottenne' -> 18; else None."""
    low = word.lower()
    if not low.endswith("enne") or len(low) < 7:
        return None
    stem = low[:-4]
    for end in ("o", "i", "a", "e", ""):
        value = words_number(stem + end, "it")
        if value is not None and value >= 10:  # "ottenne" is a verb far more often
            return value
    return None


def tidy(value: float) -> int | float:
    """Canonical number: int when whole, else rounded to 6 decimals (hashable, JSON-friendly)."""
    if abs(value - round(value)) < 1e-9:
        return int(round(value))
    return round(value, 6)


def format_en(value: float) -> str:
    """English rendering with CLDR grouping: 7500 -> '7,500', 2.5 -> '2.5'."""
    return format_decimal(tidy(value), locale="en", decimal_quantization=False)


def format_scaled_en(value: float) -> str:
    """25000000 -> '25 million', 2500000000 -> '2.5 billion', 7500 -> '7,500'."""
    for word, size in (("trillion", 1e12), ("billion", 1e9), ("million", 1e6)):
        if abs(value) >= size:
            return f"{format_en(value / size)} {word}"
    return format_en(value)
