"""Finding a source name again in a translation: `NameIndex` (the translation's words, normalised
once) and `match_name` (preserved, altered, missing or unverified, with the reason).

A name is preserved when its whole canonical value is there: every core token (an initial may be
dropped or added), compared case-insensitively with accents stripped and possessive 's dropped;
close spellings (Tokaev ~ Tokayev, transliterations) by rapidfuzz on folded forms; acronyms exact
or through their expansion; a known exonym, a US state's postal code or a translated ordinary
Italian word in place. Names are found in the source by `names.py`.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from . import lexicon
from .fact import Fact
from .names import _CONNECT, _NAME_CONNECTORS, _TOKEN, _acronym, norm, stopwords
from .report import FactStatus


def fold(word: str) -> str:
    """Spelling-neutral form for transliterations: Wasjunik ~ Vasyunik, Iwan ~ Ivan, Tokaev ~
    Tokayev (w→v, j/y→i, k/q→c, ph→f, doubled letters once; accents are already stripped)."""
    word = word.lower().replace("ph", "f").translate(_FOLD)
    return re.sub(r"(.)\1+", r"\1", word)


_FOLD = str.maketrans({"w": "v", "j": "i", "y": "i", "k": "c", "q": "c"})
# Two folded spellings of a name token (5+ letters) are the same name at this rapidfuzz ratio
# (0-100, Indel distance): Tokaev/Tokayev 92, Wasjunik/Vasyunik 100 once folded; Menga/Mensa 80.
FUZZY_NAME_RATIO = 85


class NameIndex:
    """The words of a text, normalised once, to look name keys up quickly."""

    def __init__(self, text: str, english: bool = False) -> None:
        self.raw = text
        self.text = " " + norm(text) + " "
        self.words = set(self.text.split())
        # plural acronyms ("AMs") and plurals ("Blues") also count as the singular
        self.words |= {w[:-1] for w in self.words if len(w) > 2 and w.endswith("s")}
        # a name with a symbol suffix ("Face++", "Google+") also counts as the name
        self.words |= {w.rstrip("+") for w in self.words if w.endswith("+") and len(w.rstrip("+")) > 1}
        self.lower_words = {w.lower() for w in self.words}
        # German transliteration: Wuerttemberg ~ Württemberg (accents are already stripped)
        self.lower_words |= {w.replace("ue", "u").replace("oe", "o").replace("ae", "a")
                             for w in self.lower_words}
        self.folded = sorted({fold(w) for w in self.lower_words if w.isalpha()})
        self._folded_set = set(self.folded)
        self._capitalised: NameIndex | None = None
        # words a name's adjective may be: in English only capitalised ones (Hungarian, Bolivians),
        # so "Tellis" is not found in "telling"; Italian adjectives are lower-case ("indonesiano")
        self._adjective_words = {norm(w).lower() for w in re.findall(r"(?<![\w'’])[A-Z][\w'’-]*", text)} \
            if english else self.lower_words

    def capitalised(self) -> NameIndex:
        """An index of only the words written with a capital (names, acronyms), built once."""
        if self._capitalised is None:
            self._capitalised = NameIndex(" ".join(re.findall(r"(?<![\w'’])[A-Z][\w'’.+-]*", self.raw)))
        return self._capitalised

    def has(self, key: str) -> bool:
        """Is this key (a token, or a whole rendering when it has spaces) in the text?"""
        if " " in key:
            return (f" {key} " in self.text or f" {key.lower()} " in self.text.lower()
                    or key.replace(" ", "").lower() in self.lower_words  # Wi-Fi ~ wifi
                    or all(self.has(p) for p in key.split()))
        if key.isupper() or any(c.isdigit() for c in key):
            # acronyms of 4+ letters may be written as words: AIDS ~ Aids, NATO ~ Nato
            return key in self.words or (len(key) >= 4 and key.isalpha() and key.lower() in self.lower_words)
        if key in self.lower_words or fold(key) in self._folded_set:
            return True
        if len(key) >= 5:  # transliteration variants: Tokaev / Tokayev, Qasym / Kassym
            if self._transliteration(key) is not None:
                return True
            # adjectives: Hungary / Hungarian, Belgium / Belgian; compounds: Congress / congresswoman
            return any(w[:len(key) - 2] == key[:-2] for w in self._adjective_words if len(w) >= 5) or \
                any(w.startswith(key) for w in self.lower_words)
        return False

    def exact(self, key: str) -> bool:
        """Is this token in the text as it is (case and spelling-neutral), not only nearly?"""
        return key.lower() in self.lower_words or fold(key) in self._folded_set

    def near(self, key: str) -> str | None:
        """The folded word a token of 5+ letters matches only as a transliteration, if any."""
        if len(key) < 5 or self.exact(key):
            return None
        return self._transliteration(key)

    def _transliteration(self, key: str) -> str | None:
        """The folded word of the text closest to `key` at FUZZY_NAME_RATIO or above, if any."""
        hit = process.extractOne(fold(key), self.folded, scorer=fuzz.ratio, score_cutoff=FUZZY_NAME_RATIO)
        return hit[0] if hit is not None else None

    def has_any(self, keys) -> bool:
        return any(self.has(k) for k in keys)

    def expands(self, acronym: str) -> bool:
        """Is `acronym` spelled out by consecutive capitalised words? HRE ~ Hypo Real Estate,
        Nyt ~ New York Times (connectors such as "of" may sit between them)."""
        letters = acronym.upper()
        if not 2 <= len(letters) <= 6 or not letters.isalpha():
            return False
        words = re.findall(r"[A-Za-z][\w'’-]*", self.raw)
        initials = [w[0] for w in words if w[0].isupper()]
        caps = "".join(initials)
        return letters in caps and bool(re.search(
            r"(?<![A-Za-z])" + r"\W+(?:(?:of|the|for|and|de|di)\W+)?".join(
                rf"{c}[\w'’-]*" for c in letters) + r"(?![\w])", self.raw))


_CONNECTED_BEFORE = re.compile(rf"[A-ZÀ-ÖØ-Þ][\w'’-]*\s+{_CONNECT}\s+$")
_INITIAL = re.compile(r"[A-Z]\.?")  # "George W. Bush": an initial may come or go
_ARTICLES_IT = frozenset({"il", "lo", "la", "i", "gli", "le", "l"})
_ARTICLES_EN = frozenset({"the", "a", "an"})
_EN_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def _name_particle(fact: Fact, source: str) -> str:
    """A capitalised common Italian word just before the name in the Italian, which the extractor
    leaves out of the name's tokens ("San" Francisco, "Santa" Fe), or ''."""
    if not source or fact.span[0] <= 0:
        return ""
    m = re.search(r"(?:^|\s)([A-Z][a-z]+)\s+$", source[:fact.span[0]])
    if m and len(m.group(1)) >= 3 and m.group(1) in lexicon.gazetteer().it_common:  # not "Mr" (a title)
        return m.group(1)
    return ""


def _translated_in_place(fact: Fact, found: list[str], index: NameIndex, particle: str = "", source: str = "") -> bool:
    """A word of a name that is an ordinary Italian word may be translated, but its translation
    must then stand in the name's place: the run of capitalised English words around the kept
    tokens (connectors such as "of", "the", "do" may sit inside) has at least as many capitalised
    content words as the Italian name has capitalised words (leading articles aside).
    "Distretto di Columbia" ~ "District of Columbia" (2 = 2) and "Corte Suprema della
    Pennsylvania" ~ "Pennsylvania Supreme Court" (3 = 3) pass; "San Francisco" -> "Francisco",
    "Stadio San Paolo" -> "Stadio San", "Dionisio A. Lind" -> "A. Lind" do not (a dropped word,
    not a translated one; initials are not counted)."""
    tokens = ([particle] if particle else []) + _TOKEN.findall(fact.text)
    if not 2 <= len(tokens) <= 4 or not all(w[0].isupper() for w in tokens) or \
            len(tokens) > 2 and _CONNECTED_BEFORE.search(source[:fact.span[0]]):
        # "Mare di Ross al Polo", "Trono di Spade Kit Harington": a span with connectors may be two
        # names run together by the extractor; only names of 2-4 capitalised words, not joined by
        # a connector to a capitalised word before them, are checked this way
        return True
    it_caps = [w for w in tokens if norm(w) not in _ARTICLES_IT and not _INITIAL.fullmatch(w)]
    words = _EN_WORD.findall(index.raw)
    keys = {k.lower() for k in found}
    en_stop = _ARTICLES_EN
    best = 0
    for i, word in enumerate(words):
        if norm(word).lower() not in keys:
            continue
        lo = hi = i
        while lo > 0 and (words[lo - 1][0].isupper() or
                          (words[lo - 1] in _NAME_CONNECTORS and lo >= 2 and words[lo - 2][0].isupper())):
            lo -= 1
        while hi + 1 < len(words) and (words[hi + 1][0].isupper() or
                                       (words[hi + 1] in _NAME_CONNECTORS and hi + 2 < len(words) and words[hi + 2][0].isupper())):
            hi += 1
        count = sum(1 for w in words[lo:hi + 1] if w[0].isupper() and w.lower() not in en_stop and not _INITIAL.fullmatch(w))
        best = max(best, count)
    return best >= len(it_caps) or best == 0


_WORD_OR_MARK = re.compile(r"[^\W_][\w'’+-]*|[^\w\s]")


def _beside_name_word(key: str, found: list[str], text: str) -> bool:
    """Does `key` stand in `text` within two words of another found word of the name, with no
    punctuation between ("Emmy awards", "Chequers compromise plan"; not "management company, HK")?"""
    tokens = [norm(t).lower() if t[0].isalnum() else "" for t in _WORD_OR_MARK.findall(text)]
    others = {fold(k) for k in found if k != key}
    target = fold(key)
    for i, tok in enumerate(tokens):
        if not tok or fold(tok) != target and fold(tok).rstrip("s") != target.rstrip("s"):
            continue
        for j in range(max(0, i - 2), min(len(tokens), i + 3)):
            lo, hi = min(i, j), max(i, j)
            if j != i and tokens[j] and fold(tokens[j]) in others and all(tokens[lo:hi + 1]):
                return True
    return False


def _has_key(key: str, index: NameIndex) -> bool:
    """Is a name token in the text, as itself or as a gazetteer rendering of it ("Stati" aside)?"""
    if index.has(key):
        return True
    token = key.capitalize() if key.islower() else key
    gaz = lexicon.gazetteer().it_to_en
    return token in gaz and index.has_any(norm(e) for e in gaz[token])


def match_name(fact: Fact, index: NameIndex, source: str = "") -> tuple[FactStatus, str]:
    """(status, detail) of a source name in a target text, strictly.

    - preserved: a whole rendering (gazetteer names), or every token of the name that a
      translator keeps verbatim; an initial may be dropped, a transliteration may differ
      (fold + FUZZY_NAME_RATIO), an ordinary Italian word in it may be translated ("Corte
      Suprema della Pennsylvania" ~ "Pennsylvania Supreme Court"), an acronym may be spelled out.
    - altered: some tokens are there and a kept-verbatim one is not ("Haile" for "Haile
      Gebrselassie": detail "'Gebrselassie' missing").
    - unverified: nothing found, and the name is made only of ordinary Italian words ("Via
      Lattea" may be "Milky Way") or is an acronym with no expansion in the text ("SMS").
    - missing: nothing of it found.
    """
    if fact.renderings:
        if index.has_any(fact.keys) or _state_abbreviated(fact, index):
            return "preserved", ""
        for rendering in fact.keys:  # "Federal" for "Federal Reserve": part of a rendering
            words = rendering.split()
            if len(words) > 1 and any(index.has(w) for w in words):
                return "altered", ", ".join(f"'{w}'" for w in words if not index.has(w)) + " missing"
        return "missing", ""
    found, absent, translatable, particles = [], [], [], []
    for key in fact.keys:
        if _has_key(key, index):
            found.append(key)
        elif key in stopwords("it") and not key.isupper():
            particles.append(key)  # Rio Grande do "Sul": required once the rest of the name is there
        elif lexicon.ordinary_italian_word(key):
            # an ordinary Italian word may be translated: inside a longer name ("Corte Suprema"),
            # or alone ("Luna" -> "the Moon", "Sole" -> "the Sun"); with nothing else of the name
            # found it is `unverified` below (check by hand), never a false `missing`
            translatable.append(key)
        else:
            absent.append(key)
    # One English word cannot stand for two tokens of a name: "Galilei" alone is not "Galileo
    # Galilei" (Galileo ~ Galilei at the transliteration ratio).
    exact = {fold(k) for k in found if index.exact(k)}
    for key in [k for k in found if not index.exact(k)]:
        if index.near(key) in exact:
            found.remove(key)
            absent.append(key)
    # A word of a longer name found only in lower case, as an ordinary English word, while another
    # word of the name stands there with its capital, is not the name's word: "HK Inc." beside "the
    # band's management company" has dropped "Management" from "HK Management Inc.".
    # ("Emmy awards", "Chequers compromise plan": a lower-case word right by the name's capitalised
    # word, no punctuation between, is the name's word written in lower case.)
    if len(fact.keys) > 1:
        cased = index.capitalised()
        if any(_has_key(k, cased) for k in found):
            for key in [k for k in found if not _has_key(k, cased) and k not in stopwords("en")
                        and not _beside_name_word(k, found, index.raw)]:
                found.remove(key)
                (translatable if lexicon.ordinary_italian_word(key) else absent).append(key)
    if found:
        absent += particles
    else:
        translatable += particles
    if found and not absent:
        if translatable and not _translated_in_place(fact, found, index, source=source):
            shown = {norm(w): w for w in _TOKEN.findall(fact.text)}
            return "altered", ", ".join(f"'{shown.get(k, k)}'" for k in translatable) + " missing"
        particle = _name_particle(fact, source)
        if particle and len(fact.keys) == 1 and not _translated_in_place(fact, found, index, particle):
            return "altered", f"'{particle}' missing"
        return "preserved", ""
    if found:
        shown = {norm(w): w for w in _TOKEN.findall(fact.text)}
        return "altered", ", ".join(f"'{shown.get(k, k)}'" for k in absent) + " missing"
    if (len(fact.keys) == 1 and index.expands(fact.keys[0])) or _state_abbreviated(fact, index):
        return "preserved", ""
    initials = "".join(w[0] for w in _TOKEN.findall(fact.text) if w[0].isupper())
    if len(initials) >= 2 and initials in index.words:  # AMLO for Andres Manuel Lopez Obrador
        return "preserved", ""
    if len(fact.keys) == 1 and fact.keys[0].isupper() and fact.keys[0][::-1] in index.words:
        return "preserved", ""  # IA ~ AI
    if not absent or all(_acronym(k) and k.isalpha() and lexicon.italian_acronym(k) for k in absent):
        return "unverified", ("ordinary Italian words, may be translated" if not absent
                              else "acronym not found in the translation")
    if source and _exonym_like(absent, index, source):
        return "unverified", "may be an exonym"
    if source and len(absent) == 1 and _short_form(absent[0], index, source):
        return "unverified", "may be a short form"
    return "missing", ""


def state_abbreviations(fact: Fact) -> tuple[str, ...]:
    """The postal code and AP abbreviation of a US state the name stands for ("Arizona" -> AZ,
    Ariz.; "Carolina del Nord", rendered "North Carolina" -> NC, N.C.), or ()."""
    table = lexicon.us_state_abbreviations()
    names = fact.keys if fact.renderings else (norm(fact.text).lower(),)
    return tuple(form for name in names for form in table.get(name.lower(), ()))


def _state_abbreviated(fact: Fact, index: NameIndex) -> bool:
    """Is the US state this name stands for written as its postal code ("the AZ border") or AP
    abbreviation ("Baton Rouge, La.") in the English? Matched as written: capitals, and the
    abbreviation's full stops ("La" alone, as in "La Riviera", is not Louisiana)."""
    return any(re.search(rf"(?<![\w.]){re.escape(form)}(?!\w)", index.raw) for form in state_abbreviations(fact))


def _short_form(key: str, index: NameIndex, source: str) -> bool:
    """Does the English clip this one-word name ("Juve" for "Juventus", "Livi" for "Livingston",
    "Insta" for "Instagram")? A capitalised English word of 4+ letters, not opening a sentence and
    not in the Italian, that the name starts with and that is rarer in English (wordfreq) than the
    name itself: a clipped form is a nickname, whereas "John" (Johnson), "Robert" (Robertson) or
    "West" (Westminster) are words and names of their own, more frequent than the longer name."""
    if len(key) < 6 or not key.isalpha() or key.isupper():
        return False
    low = key.lower()
    in_source = {w.lower() for w in re.findall(r"\w+", lexicon.strip_accents(source))}
    for word in set(re.findall(r"(?<![.!?\"“] )(?<!^)\b[A-Z][a-z]{3,}", lexicon.strip_accents(index.raw))):
        short = word.lower()
        if low.startswith(short) and short != low and short not in in_source and \
                lexicon.english_zipf(short) < lexicon.english_zipf(low):
            return True
    return False


# An exonym spells a place differently, beyond a transliteration (Dunkerque ~ Dunkirk 75, U-Boot ~
# U-Boats 75 after folding; Insta ~ Instagram is 71, Anversa ~ Antwerp 71 stay `missing`;
# transliterations need FUZZY_NAME_RATIO = 85).
# When nothing of a name is in the English but every word of it (3+ letters) has a capitalised
# English word (not opening a sentence) with the same initial at this rapidfuzz ratio, and that word is not in the
# Italian source too (then it renders another name there: "Metro" beside "MetroPlus"), the name is
# `unverified`.
EXONYM_RATIO = 75


def _exonym_like(absent: list[str], index: NameIndex, source: str) -> bool:
    words = [w for key in absent for w in key.split() if len(w) >= 3 and w.isalpha()]
    if not words:
        return False
    in_source = {fold(w) for w in re.findall(r"\w+", lexicon.strip_accents(source))}
    capitals = {fold(w) for w in re.findall(r"(?<![.!?\"“] )(?<!^)\b[A-Z][a-z]+", index.raw)} - in_source
    for word in words:
        folded = fold(word)
        if not any(c[0] == folded[0] and fuzz.ratio(folded, c) >= EXONYM_RATIO for c in capitals):
            return False
    return True


