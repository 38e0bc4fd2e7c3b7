"""A Title Case headline is read in sentence case where the article's English supports it."""

from service.facts.compare import check_support, undo_title_case

CONTEXT = ("Secretary of State Blinken visited Kazakhstan on Monday, promoting security cooperation "
           "in Central Asia against terrorism.")


def test_words_whose_stem_the_article_uses_are_not_names() -> None:
    headline = "Secretary Blinken Visits Central Asia to Promote Security and Cooperation Against Terrorism"
    assert undo_title_case(headline, CONTEXT) == (
        "Secretary Blinken visits Central Asia to promote security and cooperation against terrorism")


def test_names_the_article_never_uses_stay_names() -> None:
    assert undo_title_case("Blinken Meets Putin In Moscow", CONTEXT) == "Blinken meets Putin in Moscow"
    report = check_support("Blinken ha visitato il Kazakistan.", "Blinken Meets Putin In Moscow", english_context=CONTEXT)
    flagged = {f["text"] for f in report.to_dict()["facts"] if f["status"] == "unsupported"}
    assert "Moscow" in flagged, flagged
