import pytest

from service.text import split_paragraphs, split_sentences, split_sentences_with_spans

CASES = [
    # plain endings
    ("Piove. Domani sole.", ["Piove.", "Domani sole."]),
    ("Chi è? Non lo so! Vedremo.", ["Chi è?", "Non lo so!", "Vedremo."]),
    ("Aspetta... Poi parte.", ["Aspetta...", "Poi parte."]),
    ("Aspetta… Poi parte.", ["Aspetta…", "Poi parte."]),
    ("Beh... vediamo.", ["Beh... vediamo."]),
    ("Davvero?! Sì.", ["Davvero?!", "Sì."]),
    # figures
    ("Il PIL cresce del 2,5 per cento. La spesa no.", ["Il PIL cresce del 2,5 per cento.", "La spesa no."]),
    ("Sono 7.500 km di confine. Molti.", ["Sono 7.500 km di confine.", "Molti."]),
    ("Costa 1.234,56 euro. Troppo.", ["Costa 1.234,56 euro.", "Troppo."]),
    ("Fu creato nel 2015. Poi crebbe.", ["Fu creato nel 2015.", "Poi crebbe."]),
    ("Le vittime sono 12. 300 i feriti.", ["Le vittime sono 12.", "300 i feriti."]),
    ("Alle 11:00 parte. Arriva alle 20.30. Bene.", ["Alle 11:00 parte.", "Arriva alle 20.30.", "Bene."]),
    ("Il 28.02.2023 a Astana. Poi Tashkent.", ["Il 28.02.2023 a Astana.", "Poi Tashkent."]),
    ("Arriva alle 20.30. Poi cena.", ["Arriva alle 20.30.", "Poi cena."]),
    ("La piattaforma C5 + 1 si riunisce. Il C5+1 esiste dal 2015.",
     ["La piattaforma C5 + 1 si riunisce.", "Il C5+1 esiste dal 2015."]),
    # abbreviations
    ("Il sig. Rossi arriva. Poi va via.", ["Il sig. Rossi arriva.", "Poi va via."]),
    ("I sigg. Bianchi e Verdi. Bene.", ["I sigg. Bianchi e Verdi.", "Bene."]),
    ("Parla il dott. Verdi con la dott.ssa Neri.", ["Parla il dott. Verdi con la dott.ssa Neri."]),
    ("Il Prof. Mario Monti insegna. Lo sanno tutti.", ["Il Prof. Mario Monti insegna.", "Lo sanno tutti."]),
    ("L'avv. Bianchi e l'ing. Neri firmano.", ["L'avv. Bianchi e l'ing. Neri firmano."]),
    ("Ha parlato l'on. Meloni. Poi il sen. Renzi.", ["Ha parlato l'on. Meloni.", "Poi il sen. Renzi."]),
    ("Progetto dell'arch. Piano e del geom. Russo.", ["Progetto dell'arch. Piano e del geom. Russo."]),
    ("Vedi pag. 12 e art. 3 della legge n. 40.", ["Vedi pag. 12 e art. 3 della legge n. 40."]),
    ("Chiamare il tel. 06 1234 o il nr. 5. Grazie.", ["Chiamare il tel. 06 1234 o il nr. 5.", "Grazie."]),
    ("Sono ca. 300 persone.", ["Sono ca. 300 persone."]),
    ("Frutta, p.es. Mele e pere.", ["Frutta, p.es. Mele e pere."]),
    ("Mele, pere ecc. Poi il resto.", ["Mele, pere ecc.", "Poi il resto."]),
    ("Mele, pere ecc. Marco le compra.", ["Mele, pere ecc. Marco le compra."]),
    ("Lavora alla Fiat S.p.A. Torino è lontana.", ["Lavora alla Fiat S.p.A. Torino è lontana."]),
    ("Lavora alla Fiat S.p.A. Il resto no.", ["Lavora alla Fiat S.p.A.", "Il resto no."]),
    ("Una s.r.l. Di Roma.", ["Una s.r.l. Di Roma."]),
    ("Vive negli U.S.A. Washington lo sa.", ["Vive negli U.S.A. Washington lo sa."]),
    ("Vive negli U.S.A. Dal 2010 è lì.", ["Vive negli U.S.A.", "Dal 2010 è lì."]),
    ("Nato nel 63 a.C. Poi morto nel 14 d.C. Era vecchio.",
     ["Nato nel 63 a.C.", "Poi morto nel 14 d.C.", "Era vecchio."]),
    # initials
    ("Lo scrisse J. R. R. Tolkien. Lo lessi.", ["Lo scrisse J. R. R. Tolkien.", "Lo lessi."]),
    ("Firmato G. Rossi.", ["Firmato G. Rossi."]),
    ("Parla George H. W. Bush. Poi basta.", ["Parla George H. W. Bush.", "Poi basta."]),
    # quotes and brackets
    ('Ha detto: "Basta." Poi se ne è andato.', ['Ha detto: "Basta."', "Poi se ne è andato."]),
    ('"Basta!" ha gridato.', ['"Basta!" ha gridato.']),
    ("Ha detto «basta». Poi è uscito.", ["Ha detto «basta».", "Poi è uscito."]),
    ("Ha detto: «Basta.» Poi è uscito.", ["Ha detto: «Basta.»", "Poi è uscito."]),
    ('Piove. "Non usciamo", disse.', ["Piove.", '"Non usciamo", disse.']),
    ("Era tardi (lo sapevano). Poi partì.", ["Era tardi (lo sapevano).", "Poi partì."]),
    ("Lo disse (e ripeté.) Ma nessuno ascoltò.", ["Lo disse (e ripeté.)", "Ma nessuno ascoltò."]),
    # URLs and emails
    ("Scrivete a info@esempio.it. Risponderemo.", ["Scrivete a info@esempio.it.", "Risponderemo."]),
    ("Vedi www.esempio.it/pagina.html per dettagli.", ["Vedi www.esempio.it/pagina.html per dettagli."]),
    ("Il sito è https://www.esempio.it. Apre oggi.", ["Il sito è https://www.esempio.it.", "Apre oggi."]),
    # no split before lower case
    ("Il 1. maggio si festeggia.", ["Il 1. maggio si festeggia."]),
    ("Davvero? disse lui.", ["Davvero? disse lui."]),
    # single sentence, no final mark
    ("Nessun punto finale", ["Nessun punto finale"]),
]


@pytest.mark.parametrize(("paragraph", "expected"), CASES)
def test_split_sentences(paragraph: str, expected: list[str]) -> None:
    assert split_sentences(paragraph) == expected


@pytest.mark.parametrize(("paragraph", "expected"), CASES)
def test_sentences_round_trip(paragraph: str, expected: list[str]) -> None:
    assert " ".join(split_sentences(paragraph)).split() == paragraph.split()


def test_spans_point_into_the_paragraph() -> None:
    paragraph = "  Piove.   Il sig. Rossi esce.\nPoi torna.  "
    spans = split_sentences_with_spans(paragraph)
    assert [paragraph[a:b] for a, b in spans] == ["Piove.", "Il sig. Rossi esce.", "Poi torna."]


def test_empty_paragraph() -> None:
    assert split_sentences("   ") == []


def test_split_paragraphs() -> None:
    text = "Primo paragrafo\nsu due righe.\n\n\n  \nSecondo.\r\n\r\nTerzo."
    assert split_paragraphs(text) == ["Primo paragrafo su due righe.", "Secondo.", "Terzo."]
