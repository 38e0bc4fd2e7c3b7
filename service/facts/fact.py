"""The `Fact` and `Hint` records shared by extraction, comparison and hints.

Kinds (`KINDS`):
- number    a bare count or figure: "7.500", "tre", "una ventina" (approx), "cinque paesi"
- money     an amount with a currency: "25 milioni di dollari" -> ("money", 25000000, "USD")
- percent   "15%", "15 per cento"; percentage points carry unit "pp"
- date      a year, month, day, weekday or decade: ("date", 2023, 2, 28), ("date", "weekday", 1)
- time      a clock time: ("time", 20, 30)
- quantity  a number with a unit: ("quantity", 7500, "km"); ages ("28enne") use unit "year-old"
- ordinal   "terzo mandato" -> ("ordinal", 3)
- person, place, org   names; canonical is ("place", "Moscow") — the expected English form
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("number", "money", "percent", "date", "time", "quantity", "ordinal",
         "person", "place", "org")
NUMERIC_KINDS = frozenset({"number", "money", "percent", "quantity", "ordinal"})
NAME_KINDS = frozenset({"person", "place", "org"})


@dataclass(frozen=True)
class Fact:
    """One figure or name found in a text.

    `canonical` is hashable and language-neutral, so an Italian fact and its English rendering
    have the same canonical value. `value` is the number used for matching (None for names and
    most dates); `approx` marks "circa"/"una ventina"; `english` is the expected English text;
    `keys` are a name's normalised tokens, all of which a translation must keep — or, when
    `renderings` is set (gazetteer names: "Stati Uniti"), whole alternative English renderings,
    any one of which will do. `soft` marks small
    numbers written as words ("due", "tre"): extracted, but not compared (see compare.py).
    `hedged` marks a digit figure after "circa", "about", "oltre", "over": its conversion to
    another unit may be rounded more loosely (compare.CONVERSION_HEDGED_TOLERANCE).
    """

    kind: str
    text: str
    span: tuple[int, int]
    canonical: tuple
    value: float | None = None
    approx: bool = False
    english: str = ""
    soft: bool = False
    keys: tuple[str, ...] = field(default=(), compare=False)
    renderings: bool = field(default=False, compare=False)
    phrase: bool = field(default=False, compare=False)  # one checked word of a longer capitalised phrase
    hedged: bool = field(default=False, compare=False)  # "circa 25 metri", "about 30 yards": a rounded figure

    @property
    def canonical_str(self) -> str:
        """JSON-friendly form, e.g. 'money:25000000:USD'."""
        return ":".join("" if part is None else str(part) for part in self.canonical)

    @property
    def is_name(self) -> bool:
        return self.kind in NAME_KINDS

    @property
    def is_numeric(self) -> bool:
        """Numeric kinds plus bare years, which translators may render either way."""
        return self.kind in NUMERIC_KINDS or self.is_year

    @property
    def is_year(self) -> bool:
        c = self.canonical
        return self.kind == "date" and isinstance(c[1], int) and c[2] is None and c[3] is None


@dataclass(frozen=True)
class Hint:
    """An Italian fact rendered as it should read in English: '7.500 km' -> '7,500 km'."""

    source_text: str
    english: str
    kind: str
