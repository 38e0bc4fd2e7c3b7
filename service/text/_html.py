"""HTML → blocks of text with the standard library's parser."""

from html.parser import HTMLParser

from service.errors import InputError

_DROPPED = frozenset(
    "script style nav footer aside figure noscript template svg form button iframe select "
    "object canvas".split()
)
_BLOCKS = frozenset(
    "p div br li h1 h2 h3 h4 h5 h6 ul ol section article header main blockquote pre hr tr td "
    "th table dd dt dl figcaption".split()
)
_VOID = frozenset("br hr img meta link input area base col embed source track wbr".split())


class _BlockParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.captions: list[str] = []
        self.h1: str | None = None
        self.title: str | None = None
        self._buffer: list[str] = []
        self._dropped = 0  # depth inside dropped elements
        self._caption: list[str] | None = None  # inside <figcaption>
        self._in_title = False
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "figcaption":
            self._caption = []
        elif tag in _DROPPED and tag not in _VOID:
            self._dropped += 1
        elif tag == "title":
            self._in_title = True
        elif tag in _BLOCKS and not self._dropped:
            self._flush()
            self._in_h1 = tag == "h1" and self.h1 is None

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:  # `<![foo[` (an unknown keyword): skipped up to `>`, as browsers read it
            end = self.rawdata.find(">", i + 3)
            return len(self.rawdata) if end < 0 else end + 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS and not self._dropped:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "figcaption" and self._caption is not None:
            text = " ".join("".join(self._caption).split())
            if text:
                self.captions.append(text)
            self._caption = None
        elif tag in _DROPPED and tag not in _VOID:
            self._dropped = max(0, self._dropped - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in _BLOCKS and not self._dropped:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._caption is not None:
            self._caption.append(data)
        elif self._in_title:
            self.title = (self.title or "") + data
        elif not self._dropped:
            self._buffer.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        self._buffer = []
        if self._in_h1:
            self._in_h1 = False
            if text:
                self.h1 = text
                return
        if text:
            self.blocks.append(text)

    def close(self) -> None:
        super().close()
        self._flush()


def html_blocks(html: str) -> tuple[str | None, list[str], list[str]]:
    """(title from the first <h1> or else <title>, text blocks, <figcaption> texts)."""
    parser = _BlockParser()
    try:
        parser.feed(html)
        parser.close()
    except AssertionError as error:  # html.parser still asserts on some malformed markup
        raise InputError(f"The HTML could not be read ({error}).", hint='Send the text with "format": "text", '
                         "or fix the markup.") from None
    title = parser.h1 or (" ".join(parser.title.split()) if parser.title else None)
    return title or None, parser.blocks, parser.captions
