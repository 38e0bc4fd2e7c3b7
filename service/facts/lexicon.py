"""Word lists the extractors need, built once from CLDR (babel) and the hand-written data files.

Everything here is cached: babel lookups are slow-ish and the CLI checks thousands of rows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml
from babel import Locale
from babel.numbers import get_currency_symbol
from babel.units import format_unit

DATA_DIR = Path(__file__).parent / "data"

# Currencies we recognise, in priority order (an ambiguous word like "dollari" means the first).
CURRENCIES = ("EUR", "USD", "GBP", "CHF", "JPY", "CNY", "RUB", "INR", "CAD", "AUD")
# Italian currency words CLDR only has with a country adjective ("dollari statunitensi").
_IT_CURRENCY_WORDS = {"dollaro": "USD", "dollari": "USD", "sterlina": "GBP", "sterline": "GBP",
                      "franco": "CHF", "franchi": "CHF", "rublo": "RUB", "rubli": "RUB"}
_EN_CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "pound": "GBP", "pounds": "GBP",
                      "euro": "EUR", "euros": "EUR", "franc": "CHF", "francs": "CHF",
                      "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB"}

# CLDR unit ids we extract as quantities; values are the canonical short English unit.
UNITS = {
    "length-kilometer": "km", "length-meter": "m", "length-centimeter": "cm",
    "length-millimeter": "mm", "length-mile": "mi", "length-foot": "ft", "length-inch": "in", "length-yard": "yd",
    "mass-kilogram": "kg", "mass-gram": "g", "mass-tonne": "t", "mass-ton": "t", "mass-pound": "lb",
    "area-hectare": "ha", "area-square-kilometer": "km²", "area-acre": "ac",
    "temperature-celsius": "°C", "temperature-fahrenheit": "°F", "temperature-generic": "°",
    "volume-liter": "l", "duration-hour": "h", "duration-year": "year", "duration-month": "month",
    "duration-week": "week", "duration-day": "day", "duration-minute": "min",
    "speed-kilometer-per-hour": "km/h", "speed-mile-per-hour": "mph",
}
# Unit words that must not be read as units (too ambiguous as bare tokens).
_UNIT_STOP = {"in", "mi", "ac", "gg", "tn", "hr", "yr", "yrs", "mth", "mths", "wk", "wks"}
# Conversion factors to a base unit, to accept "50 miles" for "80 km".
UNIT_BASE = {"km": ("len", 1000.0), "m": ("len", 1.0), "mi": ("len", 1609.34),
             "ft": ("len", 0.3048), "cm": ("len", 0.01), "mm": ("len", 0.001),
             "in": ("len", 0.0254), "yd": ("len", 0.9144), "kg": ("mass", 1.0), "lb": ("mass", 0.4536),
             "t": ("mass", 1000.0), "g": ("mass", 0.001), "ha": ("area", 1.0),
             "ac": ("area", 0.4047), "km²": ("area", 100.0),
             "km/h": ("speed", 1.0), "mph": ("speed", 1.609)}


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=2)
def locale(code: str) -> Locale:
    return Locale.parse(code)


@cache
def months(lang: str) -> dict[str, int]:
    """Month names (wide and abbreviated, lower-cased) -> month number."""
    loc = locale(lang)
    out: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for ctx in ("format", "stand-alone"):
            for num, name in loc.months[ctx][width].items():
                out[name.lower().rstrip(".")] = num
    if lang == "en":
        out.pop("may", None)  # handled case-sensitively by the English extractor
        out["may"] = 5
        out["sept"] = 9
    return out


@cache
def weekdays(lang: str) -> dict[str, int]:
    """Weekday names (lower-cased, also without accents) -> 0=Monday..6=Sunday."""
    out: dict[str, int] = {}
    for num, name in locale(lang).days["format"]["wide"].items():
        out[name.lower()] = num
        out[strip_accents(name.lower())] = num
    return out


@cache
def month_name_en(num: int) -> str:
    return locale("en").months["format"]["wide"][num]


@cache
def weekday_name_en(num: int) -> str:
    return locale("en").days["format"]["wide"][num]


@cache
def currency_words(lang: str) -> dict[str, str]:
    """Currency words and symbols (lower-cased) -> ISO code, from CLDR plus a few short forms."""
    out: dict[str, str] = {}
    loc = locale(lang)
    plural = loc._data["currency_names_plural"]
    for code in reversed(CURRENCIES):  # earlier codes win
        names = [loc.currencies.get(code, "")] + list(plural.get(code, {}).values())
        for name in names:
            if name:
                out[name.lower()] = code
        sym = get_currency_symbol(code, locale=lang)
        if sym and not sym.isalpha():
            out[sym.lower()] = code
    out.update(_IT_CURRENCY_WORDS if lang == "it" else _EN_CURRENCY_WORDS)
    out.update({"€": "EUR", "$": "USD", "us$": "USD", "£": "GBP", "¥": "JPY"})
    return out


@cache
def unit_words(lang: str) -> dict[str, str]:
    """Unit words as CLDR writes them after a number ("chilometri", "km") -> canonical unit."""
    out: dict[str, str] = {}
    for unit_id, short in UNITS.items():
        for length in ("long", "short", "narrow"):
            for n in (1, 2):
                try:
                    word = format_unit(n, unit_id, length=length, locale=lang)
                except Exception:  # a unit missing from this CLDR version
                    continue
                word = word.replace(str(n), "", 1).strip().lower()
                if len(word) > 1 and word not in _UNIT_STOP and not word.startswith(("′", "″")):
                    out.setdefault(word, short)
    if lang == "it":
        out.pop("ha", None)  # "ha" is the verb "has" far more often than hectares
        out.update({"chili": "kg", "gradi": "°", "grado": "°", "ore": "h", "ora": "h",
                    "mph": "mph", "km orari": "km/h",
                    "ºc": "°C", "ºf": "°F"})  # the ordinal indicator typed for a degree sign: "26 ºC"
    else:
        out.update({"kilometres": "km", "kilometre": "km", "metres": "m", "metre": "m",
                    "litres": "l", "litre": "l", "degrees": "°", "degree": "°",
                    "tonnes": "t", "tons": "t", "hours": "h", "hour": "h", "kph": "km/h",
                    "yards": "yd", "yard": "yd"})
    return out


@dataclass(frozen=True)
class Gazetteer:
    """Italian name -> acceptable English renderings, and English rendering -> kind."""

    it_to_en: dict[str, tuple[str, ...]]
    kind_of: dict[str, str]
    it_common: frozenset[str]
    en_names: frozenset[str]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    data = yaml.safe_load((DATA_DIR / "names.yaml").read_text(encoding="utf-8"))
    it_to_en: dict[str, tuple[str, ...]] = {}
    kind_of: dict[str, str] = {}
    it_terr, en_terr = locale("it").territories, locale("en").territories
    aliases = {str(k): v for k, v in data["territory_aliases"].items()}
    for code, it_name in it_terr.items():
        en_name = en_terr.get(code)
        if not en_name or (code.isdigit() and code not in aliases):
            continue
        it_to_en[it_name] = tuple(dict.fromkeys([en_name, *aliases.get(code, [])]))
        kind_of[it_name] = "place"
    for kind, key in (("place", "places"), ("org", "orgs")):
        for it_name, en_names in data[key].items():
            it_to_en[it_name] = tuple(en_names)
            kind_of[it_name] = kind
    en_names = frozenset(strip_accents(n).lower() for names in it_to_en.values() for n in names)
    return Gazetteer(it_to_en, kind_of, frozenset(data["it_common_capitalised"]), en_names)


@cache
def us_state_abbreviations() -> dict[str, tuple[str, ...]]:
    """US state and territory names (lower-case) -> the USPS code and the AP-style abbreviation a
    US newspaper writes for them: "arizona" -> ("AZ", "Ariz."), "louisiana" -> ("LA", "La."),
    "north carolina" -> ("NC", "N.C."). From the `us` package (state metadata, no hand list)."""
    import us

    out: dict[str, tuple[str, ...]] = {}
    for state in us.states.STATES_AND_TERRITORIES:
        forms = [state.abbr]
        if state.ap_abbr and state.ap_abbr != state.name:  # AP spells "Alaska", "Texas" out
            forms.append(state.ap_abbr)
        out[state.name.lower()] = tuple(forms)
    return out


@lru_cache(maxsize=1)
def lowercase_renderings() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """(Italian stem pattern, English renderings) for lower-case words that become English names."""
    data = yaml.safe_load((DATA_DIR / "names.yaml").read_text(encoding="utf-8"))
    return tuple((re.compile(rf"\b{re.escape(stem)}", re.IGNORECASE), tuple(names))
                 for stem, names in data.get("lowercase_renderings", {}).items())


# An "ordinary Italian word" is one that Italian text uses often (Zipf >= 3, i.e. at least once per
# million words, for the word or its lemma) and clearly more than English text does (by >= 0.8 on
# the Zipf scale, a factor of ~6): "Via", "Lattea", "Prima", "Strada", "Costa", "Spade" (lemma
# "spada") are; "Gebrselassie", "Hong", "George", "Federal", "Estate" are not. Frequencies are
# wordfreq's, lemmas simplemma's; both ship their data inside the wheel (no download).
ITALIAN_WORD_ZIPF = 3.0
ITALIAN_OVER_ENGLISH_ZIPF = 0.8
# A lone capitalised word opening an Italian sentence is read as a word, not a name, on weaker
# evidence: Zipf >= 2.5 ("Parlatene", "Cancelliera"), or a two-letter word common in Italian
# ("So", "Ve"). "Lamb", "Giles", "Lee", "Erdogan", "Pompeo" stay names.
SENTENCE_START_ZIPF = 2.5
# A word both languages use a lot ("Date", imperative of "dare"; "Fine"; "Nature"): opening an
# Italian sentence it is read as a word when simplemma knows it as an Italian form, it is very
# common in Italian (Zipf >= 5, once per 10,000 words) and at least as frequent in Italian as in
# English. Brand and person names ("Apple", "Trump", "Google") are not Italian word forms, so stay
# names; "Sane" (Leroy Sané; Italian "sane", Zipf 4.3) is rarer, so stays a name.
SHARED_WORD_ZIPF = 5.0
# A single capitalised word on its own ("Terra", "Bibbia", "Premio") is taken for a translated
# Italian noun, and not checked, only on stronger evidence than a word inside a longer name:
# ahead of English by 1.5, so "Rosa" (a hurricane, 1.0), "Valentino" (1.0) are still checked.
LONE_WORD_OVER_ENGLISH_ZIPF = 1.5


@lru_cache(maxsize=65536)
def _zipf(token: str) -> tuple[float, float]:
    """(Italian Zipf frequency of the word or its lemma, whichever is higher; English Zipf)."""
    import simplemma
    from wordfreq import zipf_frequency

    low = token.lower()
    z_it = zipf_frequency(low, "it")
    lemma = simplemma.lemmatize(low, lang="it")
    if lemma != low:
        z_it = max(z_it, zipf_frequency(lemma, "it"))
    return z_it, zipf_frequency(low, "en")


def english_zipf(token: str) -> float:
    """wordfreq's English Zipf frequency of a word (lower-cased)."""
    return _zipf(token)[1]


def ordinary_italian_word(token: str) -> bool:
    """Is `token` a common Italian word a translator would translate, rather than copy?
    Acronyms (all capitals) never are."""
    if len(token) < 2 or token.isupper():
        return False
    z_it, z_en = _zipf(token)
    return z_it >= ITALIAN_WORD_ZIPF and z_it - z_en >= ITALIAN_OVER_ENGLISH_ZIPF


def sentence_start_word(token: str) -> bool:
    """Is a lone capitalised `token` opening an Italian sentence more likely a word than a name?"""
    if token.isupper():
        return False
    z_it, z_en = _zipf(token)
    if (z_it >= SENTENCE_START_ZIPF and z_it - z_en >= ITALIAN_OVER_ENGLISH_ZIPF) or \
            (len(token) == 2 and z_it >= 4.5):
        return True
    import simplemma

    return z_it >= SHARED_WORD_ZIPF and z_it >= z_en and simplemma.is_known(token.lower(), lang="it")


def lone_italian_word(token: str) -> bool:
    """A single capitalised word that is most likely a translated Italian noun ("Terra")."""
    if not ordinary_italian_word(token):
        return False
    z_it, z_en = _zipf(token)
    return z_it - z_en >= LONE_WORD_OVER_ENGLISH_ZIPF


def italian_acronym(token: str) -> bool:
    """An acronym more at home in Italian than in English ("SMS", "NATO" spelled as a word),
    which a translation may spell out or replace; English ones ("CNN", "FBI") are kept as is."""
    z_it, z_en = _zipf(token)
    return z_it - z_en >= ACRONYM_OVER_ENGLISH_ZIPF


ACRONYM_OVER_ENGLISH_ZIPF = 0.3


# A capitalised word in a Title Case headline ("... Visits Central Asia, Promoting Growth") is read
# as an ordinary English word, not a name, when all three hold:
# - wordfreq finds it common in English: Zipf >= 3.0 (at least once per million words);
# - it is clearly English rather than international: its English Zipf is ahead of its Italian Zipf
#   by >= 0.8 (a factor of ~6). Names travel between languages and stay under it (Putin -0.1,
#   Rose 0.4, Apple 0.3, Trump 0.5, Bush 0.7, London 1.3); headline words do not (Promoting 2.6,
#   Talks 2.0, Causing 3.2, Accusations 3.9, Sold 1.7);
# - simplemma knows it as an English form, and written with a capital its lemma is in lower case:
#   the dictionary keeps the capital of proper nouns and adjectives ("Germany", "Florence", "Obama",
#   "Earth", "Baltic", "Senate", "White"), not of words ("Promoting" -> "promote").
# The caller still keeps it a name wherever the article writes it capitalised mid-sentence.
TITLE_WORD_ENGLISH_ZIPF = 3.0
TITLE_WORD_OVER_ITALIAN_ZIPF = 0.8


@lru_cache(maxsize=65536)
def common_english_word(token: str) -> bool:
    """Is `token` (any case) an ordinary English word rather than a name? See the thresholds above.
    Acronyms and hyphenated compounds of such words ("Cross-Border") count by their parts."""
    if token.isupper() and len(token) > 1:
        return False
    parts = token.split("-")
    if len(parts) > 1:
        return all(p and common_english_word(p) for p in parts)
    if not token.isalpha() or len(token) < 2:
        return False
    import simplemma

    z_it, z_en = _zipf(token)
    if z_en < TITLE_WORD_ENGLISH_ZIPF or z_en - z_it < TITLE_WORD_OVER_ITALIAN_ZIPF:
        return False
    low = token.lower()
    capitalised = low[0].upper() + low[1:]
    return simplemma.is_known(low, lang="en") and simplemma.lemmatize(capitalised, lang="en")[:1].islower()


_DEMONYM_ENDINGS = frozenset({"n", "an", "ian", "ean", "ese", "ish", "i", "ic"})


@lru_cache(maxsize=65536)
def gazetteer_adjective(token: str) -> bool:
    """Is `token` the adjective or people of a gazetteer name ("Indonesian", "Syrian", "Chilean",
    "Belgian", "Iranians")? English always writes them capitalised, so Title Case says nothing
    about them: the name with up to two letters cut, then a demonym ending (-n, -an, -ian, -ean,
    -ese, -ish, -i, -ic, plural -s)."""
    low = strip_accents(token).lower()
    low = low[:-1] if low.endswith("s") else low
    for name in gazetteer().en_names:
        if len(name) < 4 or " " in name:
            continue
        for cut in (0, 1, 2):
            stem = name[:len(name) - cut]
            if low.startswith(stem) and low[len(stem):] in _DEMONYM_ENDINGS:
                return True
    return False
