from pathlib import Path

import pytest

from service.errors import InputError
from service.text import (
    CleanedArticle,
    EmptyInputError,
    EncodingError,
    InputTooLargeError,
    clean_article,
    detect_format,
    normalize_text,
)

SEED = Path("/work/shared/seeds/000_fd4f438c24bf3718.txt")

BODY = "Il Comune di Bologna ha approvato il bilancio. La spesa sale del 2,5 per cento."


def test_seed_article() -> None:
    if not SEED.exists():
        pytest.skip("seed article not available")
    article = clean_article(SEED.read_bytes())
    assert article.title == "Blinken incontra i leader dell'Asia centrale"
    assert article.removed == ["Leggi anche:"]
    assert len(article.captions) == 1
    assert article.captions[0].startswith("Foto copertina: ")
    assert article.captions[0].endswith("Olivier Douliery/Pool")
    assert article.paragraphs[0].startswith("Il Segretario di Stato americano Antony Blinken")
    assert not any("Leggi anche" in p or "Foto copertina" in p for p in article.paragraphs)
    assert "7500 km" in article.text and "25 milioni" in article.text
    assert article.fmt == "text"


def test_plain_text_title_and_paragraphs() -> None:
    raw = f"Bilancio approvato a Bologna\n\n{BODY}\n\nSeconda parte.\nTerza parte."
    article = clean_article(raw)
    assert isinstance(article, CleanedArticle)
    assert article.title == "Bilancio approvato a Bologna"
    assert article.paragraphs == [BODY, "Seconda parte.", "Terza parte."]
    assert article.text == f"{BODY}\n\nSeconda parte.\n\nTerza parte."


def test_hard_wrapped_lines_are_joined() -> None:
    raw = (
        "Il Comune di Bologna ha approvato il bilancio dopo una lunga\n"
        "discussione in aula, con il voto favorevole della maggioranza\n"
        "e l'astensione dell'opposizione."
    )
    assert clean_article(raw).paragraphs == [" ".join(raw.split())]


def test_first_paragraph_with_final_period_is_not_a_title() -> None:
    article = clean_article(f"Una frase breve.\n\n{BODY}")
    assert article.title is None
    assert article.paragraphs == ["Una frase breve.", BODY]


def test_single_short_paragraph_stays_body() -> None:
    article = clean_article("Notizia breve senza punto")
    assert article.title is None
    assert article.paragraphs == ["Notizia breve senza punto"]


def test_explicit_title_wins_and_duplicate_is_dropped() -> None:
    article = clean_article(f"Titolo del giornale\n\n{BODY}", title="Titolo del giornale")
    assert article.title == "Titolo del giornale"
    assert article.paragraphs == [BODY]
    other = clean_article(f"Un sottotitolo\n\n{BODY}", title="Il mio titolo")
    assert other.title == "Il mio titolo"
    assert other.paragraphs == ["Un sottotitolo", BODY]


@pytest.mark.parametrize(
    "line",
    [
        "Leggi anche:",
        "Leggi anche",
        "LEGGI ANCHE",
        "Leggi anche: Bologna, il sindaco presenta la giunta",
        "Guarda anche",
        "Iscriviti alla newsletter",
        "Riproduzione riservata",
        "© RIPRODUZIONE RISERVATA",
        "Condividi",
        "Seguici su Facebook e Instagram",
        "Pubblicità",
        "Notizie correlate",
    ],
)
def test_boilerplate_lines_are_removed(line: str) -> None:
    article = clean_article(f"{BODY}\n\n{line}\n\nAltro paragrafo.")
    assert article.removed == [line]
    assert article.paragraphs == [BODY, "Altro paragrafo."]


def test_boilerplate_words_inside_text_are_kept() -> None:
    text = "Il sindaco ha detto: condividi la responsabilità. Leggi anche le carte, ha aggiunto."
    assert clean_article(text).paragraphs == [text]


@pytest.mark.parametrize(
    "line",
    [
        "Foto copertina: il ministro a Roma, 3 marzo 2023. Mario Rossi/Pool",
        "Foto: Ansa",
        "Credit: Getty Images",
        "(foto Ansa)",
        "Ph. Mario Rossi",
        "Il presidente durante la conferenza stampa a Roma. Mario Rossi/Pool",
        "Il premier a Bruxelles - Getty Images",
        "La piazza del Duomo gremita (ANSA)",
        "Il vertice di Bruxelles. REUTERS/Yves Herman",
    ],
)
def test_captions_are_moved_out(line: str) -> None:
    article = clean_article(f"{BODY}\n\n{line}\n\nAltro paragrafo.")
    assert article.captions == [line]
    assert article.paragraphs == [BODY, "Altro paragrafo."]


def test_inline_photo_credit_is_moved_out() -> None:
    article = clean_article("Il ministro (foto Ansa) ha parlato a Roma. Poi è ripartito.")
    assert article.paragraphs == ["Il ministro ha parlato a Roma. Poi è ripartito."]
    assert article.captions == ["(foto Ansa)"]


def test_agency_named_in_a_sentence_is_not_a_caption() -> None:
    text = "Lo ha riferito la Reuters, citando fonti del governo di Kiev."
    assert clean_article(text).paragraphs == [text]


def test_whitespace_and_quotes_normalised() -> None:
    raw = "L’ex\u00a0ministro ha detto:  “basta”   e «ora»\tbasta. Un\u200b ‘caso’."
    article = clean_article(raw)
    assert article.paragraphs == ["L'ex ministro ha detto: \"basta\" e \"ora\" basta. Un 'caso'."]


@pytest.mark.parametrize(
    "figure",
    ["1.234,56", "7.500", "2,5", "11:00", "20.30", "28.02.2023", "0,75%", "€ 1.000.000", "3-2"],
)
def test_figures_untouched(figure: str) -> None:
    text = f"Il dato ufficiale è {figure} secondo l'Istat."
    assert clean_article(text).paragraphs == [text]
    assert figure in normalize_text(f"“{figure}”")


def test_html() -> None:
    html = """<!DOCTYPE html><html><head><title>Bilancio | Il Giornale</title>
    <style>p { color: red }</style><script>var x = "<p>no</p>";</script></head>
    <body><nav><a href="/">Home</a> <a href="/news">Notizie</a></nav>
    <article><h1>Bologna approva il bilancio</h1>
    <p>Il Comune di Bologna ha approvato il bilancio &amp; il piano. La spesa sale del
       <b>2,5</b>&nbsp;per cento.</p>
    <figure><img src="a.jpg" alt="x"><figcaption>Il sindaco in aula. Foto Ansa</figcaption></figure>
    <div>Secondo paragrafo con l&#8217;apostrofo.<br>Terzo paragrafo.</div>
    <ul><li>Primo punto.</li><li>Secondo punto.</li></ul>
    <p>Leggi anche: <a href="/x">Un altro articolo</a></p>
    <aside>Articoli più letti</aside></article>
    <footer>© 2024 Il Giornale</footer></body></html>"""
    article = clean_article(html)
    assert article.fmt == "html"
    assert article.title == "Bologna approva il bilancio"
    assert article.paragraphs == [
        "Il Comune di Bologna ha approvato il bilancio & il piano. La spesa sale del 2,5 per cento.",
        "Secondo paragrafo con l'apostrofo.",
        "Terzo paragrafo.",
        "Primo punto.",
        "Secondo punto.",
    ]
    assert article.removed == ["Leggi anche: Un altro articolo"]
    assert article.captions == ["Il sindaco in aula. Foto Ansa"]


def test_html_title_tag_when_no_h1() -> None:
    html = "<html><head><title>Bilancio approvato</title></head><body><p>Testo.</p></body></html>"
    article = clean_article(html)
    assert article.title == "Bilancio approvato"
    assert article.paragraphs == ["Testo."]


def test_markdown() -> None:
    md = """# Bologna approva il **bilancio**

Il Comune ha approvato il [bilancio](https://esempio.it/bilancio) con il *voto* della
maggioranza. ![grafico](grafico.png)

## I numeri

- La spesa sale del 2,5 per cento.
- Gli investimenti valgono 1.234,56 euro.
1. Primo.

> Una citazione del sindaco.

---
Fine del __testo__ con nome_variabile.
"""
    article = clean_article(md)
    assert article.fmt == "markdown"
    assert article.title == "Bologna approva il bilancio"
    assert article.paragraphs == [
        "Il Comune ha approvato il bilancio con il voto della maggioranza.",
        "I numeri",
        "La spesa sale del 2,5 per cento.",
        "Gli investimenti valgono 1.234,56 euro.",
        "Primo.",
        "Una citazione del sindaco.",
        "Fine del testo con nome_variabile.",
    ]


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("Solo testo. Con frasi.", "text"),
        ("# Titolo\n\nTesto.", "markdown"),
        ("Vedi [qui](https://x.it) il testo.", "markdown"),
        ("<p>Uno</p><p>Due</p>", "html"),
        ("Il prezzo è < 5 e > 3.", "text"),
    ],
)
def test_detect_format(text: str, fmt: str) -> None:
    assert detect_format(text) == fmt


def test_forced_format() -> None:
    article = clean_article("# Non un titolo markdown\n\nTesto.", fmt="text")
    assert article.fmt == "text"
    assert article.title == "# Non un titolo markdown"


def test_unknown_format() -> None:
    with pytest.raises(InputError, match="Unknown format"):
        clean_article("Testo.", fmt="pdf")


def test_bytes_utf8_and_bom() -> None:
    raw = "\ufeffÈ già città. Perché no.".encode()
    assert clean_article(raw).paragraphs == ["È già città. Perché no."]
    assert clean_article("\ufeffTesto.").paragraphs == ["Testo."]


def test_non_utf8_bytes_raise() -> None:
    with pytest.raises(EncodingError) as info:
        clean_article("È già città.".encode("latin-1"))
    assert info.value.code == "not_utf8"
    assert "UTF-8" in info.value.hint
    assert isinstance(info.value, InputError)


@pytest.mark.parametrize("raw", ["", "   \n\t\u00a0 ", b"", b"\xef\xbb\xbf  "])
def test_empty_raises(raw: str | bytes) -> None:
    with pytest.raises(EmptyInputError) as info:
        clean_article(raw)
    assert info.value.code == "empty_input"


def test_only_boilerplate_raises_empty() -> None:
    with pytest.raises(EmptyInputError, match="boilerplate"):
        clean_article("Leggi anche\n\nRiproduzione riservata")


def test_too_large() -> None:
    with pytest.raises(InputTooLargeError) as info:
        clean_article(BODY * 3, max_chars=100)
    error = info.value
    assert error.code == "input_too_large"
    assert "100" in error.message and str(len(BODY * 3)) in error.message
    assert "BRIEF_MAX_ARTICLE_CHARS" in error.hint
    assert clean_article(BODY, max_chars=len(BODY)).paragraphs == [BODY]


def test_markup_does_not_count_towards_the_limit() -> None:
    html = f"<html><body><div class='a very long class name'><p>{BODY}</p></div></body></html>"
    assert clean_article(html, max_chars=len(BODY)).paragraphs == [BODY]
