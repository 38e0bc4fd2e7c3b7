"""Numeric facts — number, money, percent, quantity, ordinal and bare years — in either language.

A figure is a numeral (digits in the language's CLDR format, or number words read by text2num)
plus an optional scale word ("5mila", "25 milioni", "$25m"), classified by what surrounds it:
a currency before or after, a percent sign or "per cento", a unit, an age suffix ("28enne",
"28-year-old"), an ordinal suffix. Spans already claimed by dates and times are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import roman

from . import lexicon, numbers
from .fact import Fact

_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class _Spec:
    digits: re.Pattern[str]
    prefix_money: re.Pattern[str]
    suffix_money: re.Pattern[str]
    suffix_percent: re.Pattern[str]
    suffix_points: re.Pattern[str]
    suffix_age: re.Pattern[str]
    suffix_unit: re.Pattern[str]
    suffix_ordinal: re.Pattern[str]
    approx_before: re.Pattern[str]
    article_before: re.Pattern[str]
    joiners: frozenset[str]


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=2)
def spec(lang: str) -> _Spec:
    # English short scales ("$25m", "3bn") must touch the digits; "25 m" is metres
    long_scales = [w for w in numbers.SCALES[lang] if len(w) > 3 or lang == "it"]
    short_scales = [w for w in numbers.SCALES[lang] if w not in long_scales] or ["(?!)"]
    scale = (rf"(?:\s?(?P<scale>{_alternation(long_scales)})\b\.?"
             rf"|(?P<short>{_alternation(short_scales)})\b\.?)?")
    # A minus sign, or a dash with a space ("intorno ai – 20 gradi"), unless a number precedes it
    # (then it is a range: "10-20", "10 – 20").
    digits = (rf"(?<![\w.,/])(?P<neg>(?<!\d )(?<!\d)(?:[-−]|–\s?)(?=\d))?"
              rf"(?P<num>{numbers.digits_pattern(lang)})(?![.,]?\d){scale}")
    currencies = lexicon.currency_words(lang)
    symbols = [w for w in currencies if not w[-1].isalpha()]
    names = [w for w in currencies if w[-1].isalpha()]
    units = lexicon.unit_words(lang)
    if lang == "it":
        suffix_money = rf"\s?(?:di\s+)?(?P<cur>{_alternation(names + symbols)})(?!\w)"
        percent = r"\s?(?:%|per\s?cento\b)"
        # "punti" are points ("2,3 punti percentuali", "21 punti"), but "punti vendita" are shops
        points = r"\s+punt[oi](?:\s+percentual[ei])?\b(?!\s+(?:vendita|di\s+(?:vista|forza|riferimento|contatto|interesse|raccolta|ristoro)))"
        age = r"\s?-?enne\b"
        ordinal = r"(?:º|°|ª)(?!\s?[CF]\b)"
        approx = r"\b(?:circa|oltre|più di|quasi|almeno|meno di|fino a|intorno a|sui|sulle)\s+$"
        article = r"\b(?:il|lo|la|l['’]|i|gli|le|al|allo|alla|del|dello|della|nel|nello|nella|dal|dalla|sul|sulla|un|una|suo|sua|loro)\s+$"
        joiners = frozenset({"e"})
    else:
        suffix_money = rf"\s?(?P<cur>{_alternation(names)})\b"
        percent = r"\s?(?:%|per\s?cent\b|percent\b)"
        points = r"\s+(?:percentage\s+)?points?\b"
        age = r"(?:-|\s)years?(?:-|\s)old\b"
        ordinal = r"(?:st|nd|rd|th)\b"
        approx = r"\b(?:about|around|some|over|more than|nearly|almost|roughly|at least|up to)\s+$"
        article = r"(?!)"
        joiners = frozenset({"and", "-"})
    return _Spec(
        digits=re.compile(digits),
        prefix_money=re.compile(rf"(?P<cur>US\$|{_alternation(symbols)})\s?$", re.I),
        suffix_money=re.compile(suffix_money, re.I),
        suffix_percent=re.compile(percent, re.I),
        suffix_points=re.compile(points, re.I),
        suffix_age=re.compile(age, re.I),
        suffix_unit=re.compile(rf"\s?(?P<unit>{_alternation(units)})(?![\w²])", re.I),
        suffix_ordinal=re.compile(ordinal),
        approx_before=re.compile(approx, re.I),
        article_before=re.compile(article, re.I),
        joiners=joiners,
    )


@dataclass
class _Num:
    start: int
    end: int
    value: float
    word: bool = False
    ordinal: bool = False
    approx: bool = False


def _digit_numbers(text: str, lang: str, sp: _Spec) -> list[_Num]:
    out = []
    for m in sp.digits.finditer(text):
        value = numbers.parse_digits(m.group("num"), lang)
        if m.group("neg"):
            value = -value
        mult = 1.0
        if m.group("scale") or m.group("short"):
            is_short = bool(m.group("short"))
            word = m.group("scale") or m.group("short")
            mult = numbers.scale_value(word, lang, after_digits=True) or 1.0
            if is_short and lang == "en" and word.lower() in ("m", "b", "k") and not \
                    sp.prefix_money.search(text[max(0, m.start() - 4):m.start()]):
                # "25m" is metres unless money: keep the numeral, let the unit rule decide
                out.append(_Num(m.start(), m.start("short"), value))
                continue
        out.append(_Num(m.start(), m.end(), value * mult))
    return out


def _word_numbers(text: str, lang: str, sp: _Spec, taken) -> list[_Num]:
    out: list[_Num] = []
    tokens = list(_WORD.finditer(text))

    def nxt_start(k: int) -> int:
        return tokens[k + 1].start()

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if taken(tok.start()):
            i += 1
            continue
        word = tok.group()
        if word.lower() == "cento" and i > 0 and tokens[i - 1].group().lower() == "per":
            i += 1  # "per cento" after a number word ("uno per cento")
            continue
        approx = numbers.approx_word(word) if lang == "it" else None
        if approx and i > 0 and tokens[i - 1].group().lower() in ("una", "un", "a"):
            prev = tokens[i - 1]
            out.append(_Num(prev.start(), tok.end(), approx, word=True, approx=True))
            i += 1
            continue
        age = numbers.age_word(word) if lang == "it" else None
        if age:
            out.append(_Num(tok.start(), tok.end(), age, word=True))
            out[-1].ordinal = False
            i += 1
            continue
        hit = numbers.word_number(word, lang)
        article_scale = _article_before_number(text, tokens, i, lang)
        if not hit and not article_scale:
            i += 1
            continue
        if hit and hit[1]:
            if lang == "en" or sp.article_before.search(text[max(0, tok.start() - 12):tok.start()]):
                out.append(_Num(tok.start(), tok.end(), hit[0], word=True, ordinal=True))
            i += 1
            continue
        # extend a cardinal run: "twenty five", "tre milioni", "one hundred and twenty"
        j, best = i, (i, hit[0] if hit else None)
        while j + 1 < len(tokens):
            nxt = tokens[j + 1]
            gap = text[tokens[j].end():nxt.start()]
            if gap.strip() not in ("", "-") or taken(nxt.start()):
                break
            w = nxt.group().lower()
            if w in sp.joiners:
                j += 1
                continue
            if not (numbers.word_number(w, lang) or numbers.scale_value(w, lang, False)):
                break
            j += 1
            phrase = text[tok.start():tokens[j].end()]
            if article_scale:
                phrase = ("un " if lang == "it" else "one ") + text[nxt_start(i):tokens[j].end()]
            value = numbers.words_number(phrase.replace("-", " "), lang)
            if value is not None:
                best = (j, value)
        if best[1] is not None:
            out.append(_Num(tok.start(), tokens[best[0]].end(), best[1], word=True))
        i = best[0] + 1
    return out


def _article_before_number(text: str, tokens: list, i: int, lang: str) -> bool:
    """'un milione', 'a million', 'one hundred': an article that starts a number run."""
    word = tokens[i].group().lower()
    if word not in numbers.NOT_NUMBERS[lang] or word == "zero" or i + 1 >= len(tokens):
        return False
    nxt = tokens[i + 1]
    if text[tokens[i].end():nxt.start()].strip():
        return False
    return bool(numbers.scale_value(nxt.group(), lang, False)
                or nxt.group().lower() in ("hundred", "cento"))


def extract_figures(text: str, lang: str, claimed: list[tuple[int, int]]) -> list[Fact]:
    """Numeric facts in `text`, skipping spans in `claimed` (dates, times already found)."""
    sp = spec(lang)

    def taken(pos: int) -> bool:
        return any(a <= pos < b for a, b in claimed)

    centuries = (_roman_centuries(text, lang, taken) + _feet_and_inches(text, lang, taken)
                 + _decades(text, lang, taken) + _dimensions(text, taken))
    claimed = claimed + [f.span for f in centuries]
    facts = centuries + [_classify(text, n, lang, sp) for n in _digit_numbers(text, lang, sp)
                         if not taken(n.start)]
    claimed = claimed + [f.span for f in facts]
    facts += [_classify(text, n, lang, sp) for n in _word_numbers(text, lang, sp, taken)]
    return _spread_ranges(text, sorted(facts, key=lambda f: f.span))


_ROMAN_CENTURY = {
    "it": re.compile(r"\b(?P<r>[IVXL]{1,6})\s+(?:secolo|sec\.)|\bsecolo\s+(?P<r2>[IVXL]{1,6})\b"),
    "en": re.compile(r"\b(?P<r>[IVXL]{1,6})\s+century\b|\bcentury\s+(?P<r2>[IVXL]{1,6})\b"),
}


def _roman_centuries(text: str, lang: str, taken) -> list[Fact]:
    """'XVI secolo', 'secolo XVI' -> ordinal 16 (English '16th century' is ordinal 16 too)."""
    out = []
    for m in _ROMAN_CENTURY[lang].finditer(text):
        numeral = m.group("r") or m.group("r2")
        if taken(m.start()):
            continue
        try:
            value = roman.fromRoman(numeral)
        except roman.InvalidRomanNumeralError:
            continue
        out.append(Fact("ordinal", m.group(), m.span(), ("ordinal", value), value=float(value)))
    return out


# A roman numeral right after a capitalised word is the number of a designation: "Apollo X" is
# "Apollo 10", "Luigi XIV" is "Louis XIV", "Giovanni Paolo II". Single letters other than V and X
# are left alone ("I" is a pronoun, "Vitamina C", "Piano B").
_ROMAN_DESIGNATION = re.compile(r"\b[A-Z][a-z]+ (?P<r>[IVXLC]{2,7}|[VX])\b(?![-'\u2019]\w)")


def roman_designations(text: str, claimed: list[tuple[int, int]]) -> list[Fact]:
    """'Apollo X' -> number 10 (matches 'Apollo 10'); a numeral that is not valid is skipped."""
    out = []
    for m in _ROMAN_DESIGNATION.finditer(text):
        start, end = m.span("r")
        if any(a <= start < b for a, b in claimed):
            continue
        try:
            value = roman.fromRoman(m.group("r"))
        except roman.InvalidRomanNumeralError:
            continue
        out.append(Fact("number", m.group("r"), (start, end), ("number", value), value=float(value)))
    return out


_FEET_INCHES = re.compile(r"\b(?P<ft>\d)[- ](?:foot|feet|ft)[- ](?P<inch>\d{1,2})(?:[- ]inch(?:es)?)?\b")


def _feet_and_inches(text: str, lang: str, taken) -> list[Fact]:
    """English heights: '6-foot-6' -> 1.98 m (compared with '198 cm' within the 5% of conversions)."""
    if lang != "en":
        return []
    out = []
    for m in _FEET_INCHES.finditer(text):
        if not taken(m.start()):
            metres = int(m.group("ft")) * 0.3048 + int(m.group("inch")) * 0.0254
            out.append(Fact("quantity", m.group(), m.span(), ("quantity", numbers.tidy(round(metres, 3)), "m"),
                            value=metres, approx=True))  # a rounded conversion: "due metri" ~ 6-foot-6
    return out


# Two numbers joined by "x", "×" or "by": a drive ("4x4"), a size ("1920x1080", "36 by 24 mm"). One figure: a
# changed side is an altered figure, not two bare numbers that may still match elsewhere.
_DIMENSION = re.compile(r"(?<![\w.,])(?P<a>\d{1,5})(?: ?× ?|x| by (?=\d{1,3} ?(?:mm|cm|m|in|inch|inches|ft|feet|metres|meters)\b))"
                        r"(?P<b>\d{1,5})(?![\w]|[.,]\d)")  # "36 by 24 mm" only before a length unit


def _dimensions(text: str, taken) -> list[Fact]:
    """'4x4' -> number '4x4' (compared as written, both sides), in either language."""
    return [Fact("number", m.group(), m.span(), ("number", f"{int(m.group('a'))}x{int(m.group('b'))}"))
            for m in _DIMENSION.finditer(text) if not taken(m.start())]


# "a decade", "two decades", "un decennio", "due decenni": a count of ten-year spans (10 years each)
_DECADES = {
    "en": re.compile(r"\b(?:(?P<one>a|one)|(?P<n>[a-z]+|\d+))\s+decades?\b", re.I),
    "it": re.compile(r"\b(?:(?P<one>un)|(?P<n>[a-z]+|\d+))\s+decennio?\b", re.I),
}


def _decades(text: str, lang: str, taken) -> list[Fact]:
    """'a decade' -> 10 years (matches 'dieci anni'), 'due decenni' -> 20 years."""
    out = []
    for m in _DECADES[lang].finditer(text):
        if taken(m.start()):
            continue
        if m.group("one"):
            count: float | None = 1.0
        elif m.group("n").isdigit():
            count = float(m.group("n"))
        else:
            hit = numbers.word_number(m.group("n"), lang)
            count = hit[0] if hit and not hit[1] else None
        if count is None:
            continue
        years = numbers.tidy(count * 10)
        out.append(Fact("quantity", m.group(), m.span(), ("quantity", years, "year"), value=count * 10))
    return out


_RANGE_GAP = re.compile(r"\s*(?:-|–|to|a|ai|al|e|and|or|o|fino a)\s*$")  # "dai 2 ai 10 cm", "dal 5 al 10%"


def _spread_ranges(text: str, facts: list[Fact]) -> list[Fact]:
    """'2 to 4 inches', '10-12 anni': the first number takes the second one's unit."""
    out = list(facts)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if a.kind == "number" and a.value is not None and b.kind in ("quantity", "money", "percent") and \
                _RANGE_GAP.fullmatch(text[a.span[1]:b.span[0]]):
            canonical = (b.kind, a.canonical[1], *b.canonical[2:])
            out[i] = Fact(b.kind, a.text, a.span, canonical, value=a.value, approx=a.approx,
                          hedged=a.hedged or b.hedged)
    return out


def _classify(text: str, n: _Num, lang: str, sp: _Spec) -> Fact:
    start, end, value = n.start, n.end, n.value
    after, before = text[end:end + 40], text[max(0, start - 40):start]
    val = numbers.tidy(value)

    def fact(kind: str, canonical: tuple, e: int, s: int = start) -> Fact:
        # small numbers in words, and a bare "1" (English says "one", "a"), are soft
        soft = kind == "number" and (n.word and abs(value) <= 10 or abs(value) == 1)
        hedged = bool(sp.approx_before.search(text[max(0, s - 20):s]))
        return Fact(kind, text[s:e], (s, e), canonical, value=value, approx=n.approx, soft=soft, hedged=hedged)

    m = sp.prefix_money.search(before)
    if m and not n.ordinal:
        code = lexicon.currency_words(lang).get(m.group("cur").lower(), "USD")
        # "$25 million": the scale word may follow a prefixed amount
        return fact("money", ("money", val, code), end, start - len(m.group()))
    if n.ordinal:
        return fact("ordinal", ("ordinal", val), end)
    if not n.word and (m := sp.suffix_ordinal.match(after)):
        return fact("ordinal", ("ordinal", val), end + m.end())
    for rx, kind in ((sp.suffix_money, "money"), (sp.suffix_percent, "percent"),
                     (sp.suffix_points, "pp"), (sp.suffix_age, "age"), (sp.suffix_unit, "unit")):
        m = rx.match(after)
        if not m:
            continue
        e = end + m.end()
        if kind == "money":
            code = lexicon.currency_words(lang)[m.group("cur").lower()]
            return fact("money", ("money", val, code), e)
        if kind == "percent":
            return fact("percent", ("percent", val, "%"), e)
        if kind == "pp":
            return fact("percent", ("percent", val, "pp"), e)
        if kind == "age":
            return fact("quantity", ("quantity", val, "year-old"), e)
        unit = lexicon.unit_words(lang)[m.group("unit").lower()]
        return fact("quantity", ("quantity", val, unit), e)
    if lang == "it" and text[start:end].lower().endswith("enne"):
        return fact("quantity", ("quantity", val, "year-old"), end)
    raw = text[start:end]
    if not n.word and raw.isdigit() and len(raw) == 4 and 1000 <= value <= 2099:
        return Fact("date", raw, (start, end), ("date", int(value), None, None), value=value)
    return fact("number", ("number", val), end)
