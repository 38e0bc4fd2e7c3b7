"""Article text in (plain, Markdown or HTML; str or UTF-8 bytes) → title + clean paragraphs.

Web boilerplate lines (`boilerplate.txt`) are dropped and reported in `removed`; photo
credits and captions (`captions.txt`, "(foto Ansa)") move to `captions`. Whitespace and
typographic quotes are normalised; digits and the ".", ",", ":" inside figures are never
touched.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from service.errors import InputError
from service.text._data import data_lines
from service.text._html import html_blocks
from service.text._markdown import markdown_lines
from service.text.errors import EmptyInputError, EncodingError, InputTooLargeError

FORMATS = ("auto", "text", "markdown", "html")
TITLE_MAX_CHARS = 150
_RAW_SIZE_FACTOR = 20  # raw input (markup included) may be this many times max_chars
_FILTER_MAX_CHARS = 300  # longer lines are never boilerplate or captions

_HTML_TAG = re.compile(
    r"<(?:!doctype|html|head|body|p|div|br|span|a|h[1-6]|article|section|ul|ol|li|strong|em|"
    r"b|i|script|style|title|meta|img|table)\b[^>]*>",
    re.IGNORECASE,
)
_MD_STRONG = re.compile(r"^\s{0,3}#{1,6}\s+\S|\[[^\]\n]{1,500}\]\([^)\s]{1,2000}\)|!\[", re.MULTILINE)
_MD_WEAK = re.compile(r"^\s*(?:[-*+]\s+\S|>\s)|\*\*\S[^*\n]*\*\*|__\S[^_\n]*__", re.MULTILINE)
_INLINE_CREDIT = re.compile(r"\s*\((?:foto|photo|ph\.)\s[^()]{1,80}\)", re.IGNORECASE)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"',
                         "‟": '"'})
_GUILLEMETS = ((re.compile(r"«\s*"), '"'), (re.compile(r"\s*»"), '"'))
_PARAGRAPH_END = tuple('.!?…"»)')


@dataclass
class CleanedArticle:
    """A cleaned article. `fmt` is the format actually parsed (never "auto")."""

    title: str | None
    paragraphs: list[str]
    removed: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    fmt: str = "text"

    @property
    def text(self) -> str:
        """The paragraphs joined with blank lines (the title is not included)."""
        return "\n\n".join(self.paragraphs)


def clean_article(
    raw: str | bytes,
    fmt: str = "auto",
    max_chars: int | None = None,
    title: str | None = None,
) -> CleanedArticle:
    """Clean one article. `title`, if given, is used instead of a detected one.

    Raises `EncodingError` (bytes not UTF-8), `EmptyInputError` (nothing to translate),
    `InputTooLargeError` (cleaned text over `max_chars`: paragraphs, captions and title together,
    since all of them are translated), `InputError` (unknown `fmt`).
    """
    text = decode(raw)
    if not text.strip():
        raise EmptyInputError("The article is empty.", hint="Send the Italian article text.")
    if fmt not in FORMATS:
        raise InputError(f"Unknown format {fmt!r}.", hint=f"Use one of: {', '.join(FORMATS)}.")
    if max_chars is not None and len(text) + len(title or "") > max_chars * _RAW_SIZE_FACTOR:
        raise _too_large(len(text) + len(title or ""), max_chars, "input")
    detected = detect_format(text) if fmt == "auto" else fmt

    found_title: str | None = None
    captions: list[str] = []
    if detected == "html":
        found_title, blocks, captions = html_blocks(text)
        lines = [line for block in blocks for line in (block, "")]
    elif detected == "markdown":
        lines = markdown_lines(text)
    else:
        lines = text.splitlines()

    removed: list[str] = []
    kept: list[str] = []
    captions = [normalize_text(c) for c in captions]
    for line in map(normalize_text, lines):
        if line and _matches(line, _boilerplate()):
            removed.append(line)
        elif line and _matches(line, _caption_patterns()):
            captions.append(line)
        else:
            kept.append(_take_inline_credits(line, captions))
    paragraphs = _assemble(kept)

    chosen = normalize_text(title) if title else (normalize_text(found_title or "") or None)
    if chosen and paragraphs and paragraphs[0].casefold() == chosen.casefold():
        paragraphs.pop(0)
    elif chosen is None and len(paragraphs) > 1 and _looks_like_title(paragraphs[0]):
        chosen = paragraphs.pop(0)
    if not paragraphs:
        raise EmptyInputError(
            "No article text is left after removing boilerplate and captions.",
            hint="Check that the input holds the article body, not just a page frame.",
        )
    size = sum(map(len, paragraphs)) + sum(map(len, captions)) + len(chosen or "")  # all of it is translated
    if max_chars is not None and size > max_chars:
        raise _too_large(size, max_chars, "article text (title and captions included)")
    return CleanedArticle(chosen, paragraphs, removed, captions, detected)


def decode(raw: str | bytes) -> str:
    """UTF-8 bytes (BOM allowed) or str → str without BOM. Never guesses another encoding."""
    if isinstance(raw, str):
        try:
            raw.encode("utf-8")
        except UnicodeEncodeError as error:  # a lone surrogate ("\ud800" escaped in JSON): not text, cannot be output
            raise EncodingError(
                f"The input holds a lone surrogate (U+{ord(raw[error.start]):04X} at position {error.start}), which is not text.",
                hint="Send valid Unicode: the escaped half of a UTF-16 pair (such as \\ud800) is not a character.",
            ) from None
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad = raw[error.start : error.start + 1].hex()
        raise EncodingError(
            f"The input is not valid UTF-8 (byte 0x{bad} at position {error.start}).",
            hint="Save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8 in.txt > out.txt`) "
            "and send it again.",
        ) from None


def detect_format(text: str) -> str:
    """"html", "markdown" or "text"."""
    if len(_HTML_TAG.findall(text, 0, 200_000)) >= 2:
        return "html"
    if _MD_STRONG.search(text) or len(_MD_WEAK.findall(text)) >= 2:
        return "markdown"
    return "text"


def normalize_text(text: str) -> str:
    """NFC; invisible characters out; any space run → one space; typographic quotes → ' and "."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_QUOTES)
    for pattern, replacement in _GUILLEMETS:
        text = pattern.sub(replacement, text)
    return _SPACES.sub(" ", text).strip()


@cache
def _boilerplate() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(line.strip(), re.IGNORECASE) for line in data_lines("boilerplate.txt"))


@cache
def _caption_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(line.strip(), re.IGNORECASE) for line in data_lines("captions.txt"))


def _matches(line: str, patterns: tuple[re.Pattern[str], ...]) -> bool:
    # A line starting in lower case continues a hard-wrapped paragraph: never filtered.
    if len(line) > _FILTER_MAX_CHARS or line[0].islower():
        return False
    return any(pattern.fullmatch(line) for pattern in patterns)


def _take_inline_credits(line: str, captions: list[str]) -> str:
    def take(match: re.Match[str]) -> str:
        captions.append(match.group(0).strip())
        return ""

    return _INLINE_CREDIT.sub(take, line)


def _assemble(lines: list[str]) -> list[str]:
    """Lines → paragraphs. Blank lines separate; a line ending a sentence ends a paragraph;
    otherwise a hard-wrapped line is joined to the next one."""
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
        elif current and not _ends_paragraph(current, line):
            current = f"{current} {line}"
        else:
            if current:
                paragraphs.append(current)
            current = line
    if current:
        paragraphs.append(current)
    return paragraphs


def _ends_paragraph(previous: str, following: str) -> bool:
    if following.startswith((",", ";", ":", ")", "]")):
        return False  # a line cannot open with these: it continues the previous one
    if previous.endswith(_PARAGRAPH_END):
        return True
    # short line before a capitalised one: a heading or title, not a hard wrap
    return len(previous) < 50 and not following[:1].islower()


def _looks_like_title(paragraph: str) -> bool:
    return len(paragraph) <= TITLE_MAX_CHARS and not paragraph.endswith(".")


def _too_large(size: int, limit: int, what: str) -> InputTooLargeError:
    return InputTooLargeError(
        f"The {what} is {size:,} characters; the limit is {limit:,}.",
        hint="Send a shorter article, or raise the limit with the BRIEF_MAX_ARTICLE_CHARS "
        "setting (environment variable).",
    )
