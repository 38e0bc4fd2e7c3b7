"""Is this text Italian? A small stopword vote, conservative by design.

Each word found in the stopword lists below votes for its languages (a word in k lists
gives 1/k to each). `italian_score` is Italian's share of the votes against the best other
language. Names and borrowed words (Apple, Silicon Valley, smartphone) are not stopwords,
so they barely move the score; only running text in another language does.
"""

import re

from service.text.errors import NotItalianError

STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "Italian": """il lo la i gli le un uno una di del dello della dei degli delle dell
            a al allo alla ai agli alle all da dal dallo dalla dai dagli dalle dall in nel
            nello nella nei negli nelle nell con su sul sullo sulla sui sugli sulle sull per
            tra fra e ed o ma che chi non si ci ne è sono era erano stato stata stati hanno
            ha anche come più questo questa questi queste quello quella quelli suo sua suoi
            sue loro lui lei noi voi io essere avere dopo mentre perché però quando anche
            ancora già molto tutti tutto ogni secondo contro senza verso cui l c""",
        "English": """the of and to a in is it that for on with as was were be been are
            by at this from or an which have has had not but what all their they there
            his her its who would will can about into than them these those our we you
            i he she said after over also more when out up""",
        "French": """le la les un une des du de et à au aux en est sont que qui dans pour
            sur par avec ne pas plus ce cette ces il elle ils elles nous vous son sa ses
            leur leurs été être avoir a ont mais ou où comme aussi l d qu n""",
        "Spanish": """el la los las un una unos unas de del al y o en es son que por para
            con no se su sus lo le les como más pero este esta estos estas ese esa fue ha
            han ser está están muy también entre sin sobre cuando porque ya""",
        "German": """der die das den dem des ein eine einer eines und oder nicht ist sind
            war waren mit von zu im in auf für an bei aus nach wie auch als sich er sie es
            wir ihr dass hat haben wird werden noch nur über""",
        "Portuguese": """o a os as um uma uns umas de do da dos das no na nos nas em e ou
            que por para com não se seu sua seus suas é são foi mais mas como também ao
            aos pela pelo pelas pelos este esta isso essa ele ela eles elas""",
    }.items()
}

LANGUAGE_CODES: dict[str, str] = {
    "Italian": "it", "English": "en", "French": "fr", "Spanish": "es", "German": "de", "Portuguese": "pt",
}

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_MIN_VOTES = 5.0  # fewer votes than this: no verdict
_FAIL_BELOW = 0.3  # Italian share under which `ensure_italian` refuses


def language_votes(text: str) -> dict[str, float]:
    """Stopword votes per language (see the module docstring)."""
    votes = dict.fromkeys(STOPWORDS, 0.0)
    for word in _WORD.findall(text.lower()):
        langs = [lang for lang, words in STOPWORDS.items() if word in words]
        for lang in langs:
            votes[lang] += 1 / len(langs)
    return votes


def detect_languages(text: str, limit: int = 3) -> list[tuple[str, float]]:
    """The languages `text` may be in, best first: (ISO 639-1 code, share of all stopword votes, 0..1).

    At most `limit` languages, only those with votes; `[]` when no stopword was found.
    """
    votes = language_votes(text)
    total = sum(votes.values())
    if not total:
        return []
    ranked = sorted(((lang, n) for lang, n in votes.items() if n > 0), key=lambda item: -item[1])
    return [(LANGUAGE_CODES[lang], n / total) for lang, n in ranked[:limit]]


def italian_score(text: str) -> float:
    """Italian's share of the votes against the best other language, 0..1.

    0.5 when there are no votes at all (no evidence either way).
    """
    votes = language_votes(text)
    italian = votes.pop("Italian")
    other = max(votes.values())
    if italian + other == 0:
        return 0.5
    return italian / (italian + other)


def ensure_italian(text: str, min_chars: int = 40) -> None:
    """Raise `NotItalianError` when `text` is clearly another language.

    Texts shorter than `min_chars` characters, or with too few stopwords to tell, pass.
    """
    if len(text.strip()) < min_chars:
        return
    votes = language_votes(text)
    italian = votes.pop("Italian")
    best = max(votes, key=lambda lang: votes[lang])
    total = italian + votes[best]
    if total < _MIN_VOTES:
        return
    score = italian / total
    if score < _FAIL_BELOW:
        raise NotItalianError(
            f"This looks like {best} (Italian score {score:.2f}), not Italian.",
            hint="Send Italian text, or pass --no-language-check to skip this check.",
        )
